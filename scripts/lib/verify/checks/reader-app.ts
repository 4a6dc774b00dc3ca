import { z } from 'zod';
import { MICROSOFT_GRAPH_APP_ID, READER_APP_ROLES } from '../../../../constructs/internal/graph-permissions';
import type { CheckContext } from '../context';
import { ConfigError, HttpStatusError, MalformedResponseError, ownErrorIn, statusCodeOf } from '../errors';
import { type CheckResult, result } from '../report';
import { withRetry } from '../retry';

/**
 * Check 5, `reader-app`: the app a SIEM uses to read the audit API through Microsoft Graph can really
 * read it. Read with the verifying identity (Microsoft Graph v1.0; Application.Read.All is the least
 * privileged permission for each of these calls, learn.microsoft.com/graph/api/application-get,
 * serviceprincipal-list, serviceprincipal-list-approleassignments, application-list-federatedidentitycredentials):
 * - `GET /applications(appId='{clientId}')?$select=…`: the app, its `passwordCredentials` and `keyCredentials`;
 * - `GET /servicePrincipals?$filter=appId eq '{id}'`: its service principal, and Microsoft Graph's
 *   (appId 00000003-0000-0000-c000-000000000000);
 * - `GET /servicePrincipals/{id}/appRoleAssignments`: the application permissions granted to it, which is
 *   what admin consent creates; AuditLog.Read.All and Directory.Read.All must be there, on Graph;
 * - `GET /applications/{id}/federatedIdentityCredentials`: listed with their subjects.
 * With `--reader-credential`, it then signs in as the reader app and reads
 * `GET /auditLogs/directoryAudits?$top=1` and `GET /auditLogs/signIns?$top=1`, the path a SIEM pulling
 * over Graph takes (both need AuditLog.Read.All and Directory.Read.All: learn.microsoft.com/graph/api/directoryaudit-list,
 * signin-list). Sign-ins need a Microsoft Entra ID P1 or P2 licence; without one Graph answers 403
 * `Authentication_RequestFromNonPremiumTenantOrB2CTenant` ("Neither tenant is B2C or tenant doesn't have
 * premium license": learn.microsoft.com/entra/identity/monitoring-health/howto-configure-prerequisites-for-reporting-api,
 * "Common errors"; MicrosoftDocs/azure-docs#77948), which is reported as licensing, not as consent.
 */

/** A credential expiring within this many days warns. */
export const CREDENTIAL_WARNING_DAYS = 30;
/** Pages of a Graph list followed at most (`@odata.nextLink`). */
export const MAX_GRAPH_PAGES = 10;
/** Who can grant admin consent to Microsoft Graph application permissions (learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent). */
const CONSENT_GRANTERS = 'a Privileged Role Administrator or Global Administrator';
/** Graph's refusal of the sign-in logs to a tenant without Entra ID P1/P2. */
export const NON_PREMIUM_TENANT = 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

const credentialSchema = z.object({
  keyId: z.string().nullish(),
  displayName: z.string().nullish(),
  startDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
}).passthrough();
const applicationSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().nullish(),
  passwordCredentials: z.array(credentialSchema),
  keyCredentials: z.array(credentialSchema).nullish(),
}).passthrough();
const servicePrincipalSchema = z.object({ id: z.string(), appId: z.string(), displayName: z.string().nullish() }).passthrough();
const assignmentSchema = z.object({ appRoleId: z.string(), resourceId: z.string(), createdDateTime: z.string().nullish() }).passthrough();
const federatedSchema = z.object({ name: z.string(), issuer: z.string(), subject: z.string() }).passthrough();
const listSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() }).passthrough();
const auditSchema = z.object({ activityDateTime: z.string().nullish(), createdDateTime: z.string().nullish() }).passthrough();

/** The audit endpoints read as the reader app, with the Entra log category each serves. */
const AUDIT_ENDPOINTS = [
  { path: '/v1.0/auditLogs/directoryAudits', category: 'AuditLogs', what: 'directory audits' },
  { path: '/v1.0/auditLogs/signIns', category: 'SignInLogs', what: 'sign-ins' },
] as const;

export interface CredentialAssessment {
  readonly status: 'pass' | 'warn' | 'fail';
  readonly message: string;
}

interface Credential {
  readonly name: string;
  readonly start?: Date;
  readonly end?: Date;
}

const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const daysFrom = (now: Date, d: Date): number => Math.floor((d.getTime() - now.getTime()) / DAY_MS);

function describe(c: Credential, now: Date): string {
  if (c.end && c.end.getTime() <= now.getTime()) return `${c.name} expired ${iso(c.end)}`;
  const until = c.end ? `until ${iso(c.end)} (in ${daysFrom(now, c.end)} days)` : 'with no end date';
  return c.start && c.start.getTime() > now.getTime() ? `${c.name} valid from ${iso(c.start)} ${until}` : `${c.name} valid ${until}`;
}

/**
 * Whether a set of secrets (or certificates) keeps a SIEM signed in. The reader app's secrets live in
 * two slots (entra-audit-reader-a and -b, a new one every half lifetime), so one expiring is normal:
 * - fail: none is valid now (all expired, or the next not yet started);
 * - warn: the newest one, counting one that starts before the current ones end, expires within
 *   `warnDays` (the date is given);
 * - pass: otherwise.
 */
export function assessCredentials(noun: string, credentials: readonly Credential[], now: Date, warnDays = CREDENTIAL_WARNING_DAYS): CredentialAssessment {
  const t = now.getTime();
  const list = credentials.map((c) => describe(c, now)).join('; ');
  const valid = credentials.filter((c) => (!c.start || c.start.getTime() <= t) && (!c.end || c.end.getTime() > t));
  const upcoming = credentials.filter((c) => c.start && c.start.getTime() > t).sort((a, b) => (a.start as Date).getTime() - (b.start as Date).getTime());
  if (valid.length === 0) {
    return upcoming.length > 0
      ? { status: 'fail', message: `no ${noun} is valid now (${list}); a SIEM cannot sign in before ${iso(upcoming[0]?.start as Date)}` }
      : { status: 'fail', message: `every ${noun} has expired (${list}): a SIEM using them can no longer sign in; run the deployment (terraform apply) to issue a new one` };
  }
  // How long sign-in stays possible without a gap: the valid ones, then each upcoming one that starts in time.
  const endOf = (c: Credential): number => c.end?.getTime() ?? Infinity;
  let coveredUntil = Math.max(...valid.map(endOf));
  let last = valid.find((c) => endOf(c) === coveredUntil) as Credential;
  for (const c of upcoming) {
    if ((c.start as Date).getTime() > coveredUntil) break;
    if (endOf(c) > coveredUntil) {
      coveredUntil = endOf(c);
      last = c;
    }
  }
  if (coveredUntil > t + warnDays * DAY_MS) return { status: 'pass', message: `${credentials.length} ${noun}(s): ${list}` };
  const end = new Date(coveredUntil);
  return {
    status: 'warn',
    message: `the newest ${noun}, ${last.name}, expires ${iso(end)} (in ${daysFrom(now, end)} days) and none takes over after it: rotate before then (run the deployment after the slot's rotation date; only an apply rotates). All: ${list}`,
  };
}

function credentialsOf(raw: ReadonlyArray<z.infer<typeof credentialSchema>>, noun: string): Credential[] {
  return raw.map((c, i) => {
    const date = (text: string | null | undefined, field: string): Date | undefined => {
      if (!text) return undefined;
      const d = new Date(text);
      if (Number.isNaN(d.getTime())) throw new MalformedResponseError('Microsoft Graph', `the ${noun} ${c.displayName ?? i} has a ${field} that is not a date: ${JSON.stringify(text)}`);
      return d;
    };
    return { name: c.displayName || `${noun} ${c.keyId ?? i + 1}`, start: date(c.startDateTime, 'startDateTime'), end: date(c.endDateTime, 'endDateTime') };
  });
}

/** The claims of a JWT access token (appid or azp, roles), or undefined when the token is not one. Never the token itself. */
export function tokenClaims(token: string): { appId?: string; roles?: string[] } | undefined {
  const part = token.split('.')[1];
  if (token.split('.').length !== 3 || !part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { appid?: unknown; azp?: unknown; roles?: unknown };
    const appId = typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : undefined;
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : undefined;
    return { appId, roles };
  } catch {
    return undefined;
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedResponseError('Microsoft Graph', `the ${what} answer is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Every item of a Graph list, following `@odata.nextLink` on the same Graph endpoint, at most MAX_GRAPH_PAGES pages. */
async function listAll<T>(ctx: CheckContext, name: string, url: string, item: z.ZodType<T>): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = url;
  for (let page = 0; next !== undefined; page++) {
    if (page >= MAX_GRAPH_PAGES) throw new MalformedResponseError('Microsoft Graph', `${name}: more than ${MAX_GRAPH_PAGES} pages; not read further`);
    if (!next.startsWith(`${ctx.clients.graphEndpoint}/`)) {
      throw new MalformedResponseError('Microsoft Graph', `${name}: the next page is on another host (${new URL(next).origin}); a bearer token is not sent there`);
    }
    const target: string = next;
    const response = await withRetry(name, (signal) => ctx.clients.graph.request('GET', target, undefined, signal), ctx.retry);
    const list = parse(listSchema, response.body, name);
    items.push(...list.value.map((v) => parse(item, v, name)));
    next = list['@odata.nextLink'];
  }
  return items;
}

const line = (target: string, status: CheckResult['status'], message: string, extra: Partial<CheckResult> = {}): CheckResult =>
  result({ check: 'reader-app', destination: 'graph', target, status, message, ...extra });

function consentMissing(name: string, roleId: string): string {
  return `${name} is not granted: the reader app has no admin consent for this Microsoft Graph application permission (app role ${roleId}), so a SIEM reading the audit logs through Graph is refused; ${CONSENT_GRANTERS} grants it: run the deployment again as one, or grant admin consent on the app's API permissions`;
}

export async function checkReaderApp(ctx: CheckContext): Promise<CheckResult[]> {
  const clientId = ctx.locations.readerAppClientId;
  if (!clientId) {
    throw new ConfigError('MissingLocation', 'the reader-app check needs the reader app\'s client id: the output reader_app_client_id is missing; pass --reader-app-client-id <guid>, or leave the check out with --skip reader-app');
  }
  if (!GUID.test(clientId)) throw new ConfigError('InvalidReaderApp', `the reader app client id must be a GUID, got ${JSON.stringify(clientId)}`);
  const graph = `${ctx.clients.graphEndpoint}/v1.0`;
  const now = ctx.window.end;
  const results: CheckResult[] = [];

  let application: z.infer<typeof applicationSchema>;
  try {
    const response = await withRetry(
      'read the reader app',
      (signal) => ctx.clients.graph.request('GET', `${graph}/applications(appId='${clientId}')?$select=id,appId,displayName,passwordCredentials,keyCredentials`, undefined, signal),
      ctx.retry,
    );
    application = parse(applicationSchema, response.body, 'application');
  } catch (error) {
    if (statusCodeOf(error) !== 404) throw error;
    return [line('application', 'fail', `no application with client id ${clientId} in this tenant: the reader app was deleted, or the client id (output reader_app_client_id or --reader-app-client-id) belongs to another tenant; run the deployment again`)];
  }
  const name = application.displayName ? `"${application.displayName}"` : 'the reader app';
  const findServicePrincipal = async (appId: string, what: string) =>
    (await listAll(ctx, `find the ${what} service principal`, `${graph}/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}&$select=id,appId,displayName`, servicePrincipalSchema))[0];
  const servicePrincipal = await findServicePrincipal(clientId, 'reader app\'s');
  if (!servicePrincipal) {
    results.push(line('application', 'fail', `${name} (client id ${clientId}) has no service principal in this tenant: nothing can sign in as it or hold its consent; run the deployment again`));
  } else {
    results.push(line('application', 'pass', `${name} (client id ${clientId}) and its service principal exist`));
    const graphPrincipal = await findServicePrincipal(MICROSOFT_GRAPH_APP_ID, 'Microsoft Graph');
    const assignments = await listAll(ctx, 'list the reader app\'s app role assignments', `${graph}/servicePrincipals/${servicePrincipal.id}/appRoleAssignments`, assignmentSchema);
    for (const [permission, roleId] of Object.entries(READER_APP_ROLES)) {
      const grant = graphPrincipal && assignments.find((a) => a.appRoleId.toLowerCase() === roleId && a.resourceId.toLowerCase() === graphPrincipal.id.toLowerCase());
      results.push(
        grant
          ? line(permission, 'pass', `granted on Microsoft Graph (application permission, admin consent${grant.createdDateTime ? ` of ${grant.createdDateTime}` : ''})`)
          : line(permission, 'error', graphPrincipal ? consentMissing(permission, roleId) : `${permission} cannot be granted: the tenant has no Microsoft Graph service principal (appId ${MICROSOFT_GRAPH_APP_ID})`),
      );
    }
  }

  const secrets = credentialsOf(application.passwordCredentials, 'client secret');
  const certificates = credentialsOf(application.keyCredentials ?? [], 'certificate');
  const federated = await listAll(ctx, 'list the reader app\'s federated credentials', `${graph}/applications/${application.id}/federatedIdentityCredentials`, federatedSchema);
  for (const [target, noun, list] of [['client secrets', 'client secret', secrets], ['certificates', 'certificate', certificates]] as const) {
    if (list.length === 0) continue;
    const { status, message } = assessCredentials(noun, list, now);
    results.push(line(target, status, message, { count: list.length }));
  }
  if (federated.length > 0) {
    results.push(line('federated credentials', 'pass', `${federated.length} federated credential(s), no secret to expire: ${federated.map((f) => `${f.name} (issuer ${f.issuer}, subject ${f.subject})`).join('; ')}`, { count: federated.length }));
  }
  if (secrets.length + certificates.length + federated.length === 0) {
    results.push(line('credentials', 'warn', `${name} has no client secret, certificate or federated credential: a SIEM cannot sign in as it yet (set readerApp.credential, docs/configuration.md)`, { count: 0 }));
  }

  if (ctx.clients.reader) results.push(...(await readAsReader(ctx, clientId, results)));
  return results;
}

/** Signs in as the reader app and reads one record from each audit endpoint, as a SIEM would. */
async function readAsReader(ctx: CheckContext, clientId: string, found: readonly CheckResult[]): Promise<CheckResult[]> {
  const reader = ctx.clients.reader as NonNullable<CheckContext['clients']['reader']>;
  const how = `--reader-credential ${reader.kind}`;
  let token: string;
  try {
    const issued = await withRetry('sign in as the reader app', (signal) => reader.credential.getToken(reader.scope, { abortSignal: signal }), ctx.retry);
    if (!issued) throw new Error('the credential returned no token');
    token = issued.token;
  } catch (error) {
    if (ownErrorIn(error)) throw error;
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
    return [line('sign-in as the reader app', 'error', `signing in as the reader app (${how}) failed: ${reason}`)];
  }
  const claims = tokenClaims(token);
  if (claims?.appId && claims.appId.toLowerCase() !== clientId.toLowerCase()) {
    return [line('sign-in as the reader app', 'error', `${how} signed in as application ${claims.appId}, not as the reader app ${clientId}: what is read would prove nothing about the reader app; sign in as the reader app (azure-cli: \`az login --service-principal\` with its client id)`)];
  }
  const required = Object.keys(READER_APP_ROLES);
  const lacking = (): string[] => {
    // What the token says it holds beats what the assignments said (consent can take a while to reach
    // tokens); a token without a roles claim holds no application permission at all.
    if (claims) return required.filter((r) => !(claims.roles ?? []).includes(r));
    const notGranted = required.filter((r) => found.some((c) => c.target === r && c.status !== 'pass'));
    return notGranted.length > 0 ? notGranted : required;
  };
  const out: CheckResult[] = [];
  for (const endpoint of AUDIT_ENDPOINTS) {
    const target = `GET ${endpoint.path}`;
    const base = { category: endpoint.category };
    try {
      const response = await withRetry(`read ${endpoint.what} as the reader app`, (signal) => reader.graph.request('GET', `${ctx.clients.graphEndpoint}${endpoint.path}?$top=1`, undefined, signal), ctx.retry);
      const records = parse(listSchema, response.body, endpoint.what).value.map((v) => parse(auditSchema, v, endpoint.what));
      const at = records[0]?.activityDateTime ?? records[0]?.createdDateTime ?? null;
      const newest = at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : null;
      out.push(line(target, 'pass', `the reader app read ${endpoint.what}: ${records.length === 0 ? 'no record yet (the answer was allowed)' : `${records.length} record(s)`}`, { ...base, count: records.length, newest }));
    } catch (error) {
      if (!(error instanceof HttpStatusError) || (error.statusCode !== 403 && error.statusCode !== 401)) throw error;
      const said = error.message.replace(/\.+$/, '');
      if (error.code === NON_PREMIUM_TENANT) {
        out.push(line(target, 'error', `licensing: ${said}. Reading ${endpoint.what} through Microsoft Graph needs a Microsoft Entra ID P1 or P2 licence in the tenant; consent is not the cause, and granting permissions does not help`, base));
      } else if (error.code === 'Authorization_RequestDenied') {
        const missing = lacking();
        out.push(line(target, 'error', missing.length > 0
          ? `the reader app was refused: ${said}. Its token lacks ${missing.join(' and ')} (admin consent of the Microsoft Graph application permission${missing.length > 1 ? 's' : ''}); ${CONSENT_GRANTERS} grants it, then a new token carries it`
          : `the reader app was refused: ${said}, although its token carries ${required.join(' and ')}`, base));
      } else {
        out.push(line(target, 'error', `the reader app was refused: ${said}`, base));
      }
    }
  }
  return out;
}

/**
 * Microsoft Graph v1.0 as the reader-app check reads it, as strict as Graph is about what it is sent:
 * - `GET /applications(appId='{appId}')` with `$select` of known properties only
 *   (learn.microsoft.com/graph/api/application-get); 404 `Request_ResourceNotFound` for an unknown app;
 * - `GET /servicePrincipals?$filter=appId eq '{guid}'` (no other filter shape) and `$select`;
 * - `GET /servicePrincipals/{id}/appRoleAssignments`, one assignment per page, `@odata.nextLink` with `$skiptoken`;
 * - `GET /applications/{id}/federatedIdentityCredentials`;
 * - `GET /auditLogs/directoryAudits?$top=n` and `/auditLogs/signIns?$top=n`, only for a token of the reader
 *   app that carries AuditLog.Read.All and Directory.Read.All in its `roles` (learn.microsoft.com/graph/api/directoryaudit-list,
 *   signin-list), and sign-ins only in a licensed tenant: else the documented 403s.
 * Unknown query parameters are refused (400), and the reader app's token is refused for the
 * directory reads (it holds no Application.Read.All), as Graph would.
 */
import type { ServerResponse } from 'node:http';
import { MICROSOFT_GRAPH_APP_ID, READER_APP_ROLES } from '../../../../constructs/internal/graph-permissions';

export interface FakePasswordCredential {
  readonly displayName: string | null;
  readonly keyId: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
}

export interface FakeFederatedCredential {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

export interface GraphScenario {
  /** The reader app registration; null: no such app in the tenant. */
  readerApp: {
    readonly appId: string;
    readonly objectId: string;
    readonly displayName: string;
    passwordCredentials: FakePasswordCredential[];
    federatedIdentityCredentials: FakeFederatedCredential[];
  } | null;
  /** Whether the reader app has a service principal. */
  readerServicePrincipal: boolean;
  /** Names of the Microsoft Graph application permissions granted to it (app role assignments). */
  granted: string[];
  /** Whether the tenant has Entra ID P1/P2 (sign-ins readable through Graph). */
  premium: boolean;
}

export const READER_SP_ID = '5c4b3a29-1807-4f6e-9d5c-4b3a29180700';
export const GRAPH_SP_ID = '0f9e8d7c-6b5a-4948-8372-6150f4e3d201';

type Json = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => number;

const APPLICATION_PROPERTIES = new Set(['id', 'appId', 'displayName', 'passwordCredentials', 'keyCredentials', 'notes', 'requiredResourceAccess', 'signInAudience']);
const SERVICE_PRINCIPAL_PROPERTIES = new Set(['id', 'appId', 'displayName', 'appRoles', 'servicePrincipalType']);
const FILTER_APP_ID = /^appId eq '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'$/i;

const error = (json: Json, res: ServerResponse, status: number, code: string, message: string): number =>
  json(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': '7d3c1b2a-0000-4000-8000-000000000000' } } });

/** The claims of a fake JWT (header.payload.signature, base64url JSON payload). */
export function claimsOf(token: string | undefined): { appid?: string; roles?: string[] } | undefined {
  const part = token?.split('.')[1];
  if (!part || token?.split('.').length !== 3) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { appid?: string; roles?: string[] };
  } catch {
    return undefined;
  }
}

/** An unsigned access token shaped like Entra's (v1 Graph token: `appid`, `roles`); only this fake reads it. */
export function fakeAccessToken(appId: string, roles: readonly string[], tenantId = '7f000000-0000-4000-8000-0000000000aa'): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'none' })}.${part({ aud: 'https://graph.microsoft.com', appid: appId, tid: tenantId, roles, iat: 1_700_000_000 })}.fake-signature-not-verified`;
}

/** Answers a Graph request, or returns undefined when the path is not one of these. */
export function handleGraph(method: string, url: URL, token: string | undefined, res: ServerResponse, graph: GraphScenario, origin: string, json: Json): number | undefined {
  const path = url.pathname;
  if (method !== 'GET' || !/^\/v1\.0\/(applications|servicePrincipals|auditLogs)\b/.test(path)) return undefined;
  const claims = claimsOf(token);
  const query = [...url.searchParams.keys()];
  const allowOnly = (allowed: readonly string[]): number | undefined => {
    const unknown = query.find((k) => !allowed.includes(k));
    return unknown === undefined ? undefined : error(json, res, 400, 'Request_BadRequest', `Query option '${unknown}' is not allowed on this request.`);
  };
  const select = (allowed: Set<string>): number | undefined => {
    const bad = (url.searchParams.get('$select') ?? '').split(',').filter((p) => p !== '' && !allowed.has(p));
    return bad.length > 0 ? error(json, res, 400, 'Request_BadRequest', `Could not find a property named '${bad[0]}' on type 'microsoft.graph.entity'.`) : undefined;
  };
  const app = graph.readerApp;
  const isReader = app !== null && claims?.appid === app.appId;

  const audit = /^\/v1\.0\/auditLogs\/(directoryAudits|signIns)$/.exec(path);
  if (audit) {
    const refused = allowOnly(['$top']);
    if (refused !== undefined) return refused;
    const top = url.searchParams.get('$top');
    if (top !== null && !/^([1-9]\d{0,2}|1000)$/.test(top)) return error(json, res, 400, 'Request_BadRequest', `Invalid value '${top}' for query option '$top'.`);
    const roles = claims?.roles ?? [];
    if (!isReader || !Object.keys(READER_APP_ROLES).every((r) => roles.includes(r))) {
      return error(json, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    if (audit[1] === 'signIns' && !graph.premium) {
      return error(json, res, 403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
    }
    const record = audit[1] === 'signIns'
      ? { id: '66ea54eb-6301-4ee5-be62-ff5a759b0100', createdDateTime: '2026-11-23T09:15:41Z', appDisplayName: 'Graph Explorer', status: { errorCode: 0 } }
      : { id: 'Directory_0f1e2d3c', category: 'ApplicationManagement', activityDisplayName: 'Update application', activityDateTime: '2026-11-23T09:20:02Z', result: 'success' };
    return json(res, 200, { '@odata.context': `${origin}/v1.0/$metadata#auditLogs/${audit[1]}`, value: [record] });
  }

  // Directory reads: the verifying identity's; the reader app holds no Application.Read.All.
  if (isReader) return error(json, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

  const byAppId = /^\/v1\.0\/applications\(appId='([^']+)'\)$/.exec(path);
  if (byAppId) {
    const refused = allowOnly(['$select']) ?? select(APPLICATION_PROPERTIES);
    if (refused !== undefined) return refused;
    if (!app || app.appId !== byAppId[1]) {
      return error(json, res, 404, 'Request_ResourceNotFound', `Resource '${byAppId[1]}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return json(res, 200, {
      '@odata.context': `${origin}/v1.0/$metadata#applications(id,appId,displayName,passwordCredentials,keyCredentials)/$entity`,
      id: app.objectId, appId: app.appId, displayName: app.displayName,
      passwordCredentials: app.passwordCredentials.map((p) => ({ customKeyIdentifier: null, hint: 'Abc', secretText: null, ...p })),
      keyCredentials: [],
    });
  }
  const fics = /^\/v1\.0\/applications\/([^/]+)\/federatedIdentityCredentials$/.exec(path);
  if (fics) {
    const refused = allowOnly([]);
    if (refused !== undefined) return refused;
    if (!app || app.objectId !== fics[1]) return error(json, res, 404, 'Request_ResourceNotFound', `Resource '${fics[1]}' does not exist or one of its queried reference-property objects are not present.`);
    return json(res, 200, { value: app.federatedIdentityCredentials.map((f, i) => ({ id: `bdad0963-4a7a-43ae-b569-e67e1da3f2c${i}`, description: null, ...f })) });
  }
  if (path === '/v1.0/servicePrincipals') {
    const refused = allowOnly(['$filter', '$select']) ?? select(SERVICE_PRINCIPAL_PROPERTIES);
    if (refused !== undefined) return refused;
    const filter = FILTER_APP_ID.exec(url.searchParams.get('$filter') ?? '');
    if (!filter) return error(json, res, 400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property 'appId' of resource 'ServicePrincipal'.`);
    const appId = (filter[1] as string).toLowerCase();
    const value =
      appId === MICROSOFT_GRAPH_APP_ID ? [{ id: GRAPH_SP_ID, appId: MICROSOFT_GRAPH_APP_ID, displayName: 'Microsoft Graph' }]
        : app && graph.readerServicePrincipal && appId === app.appId.toLowerCase() ? [{ id: READER_SP_ID, appId: app.appId, displayName: app.displayName }]
          : [];
    return json(res, 200, { '@odata.context': `${origin}/v1.0/$metadata#servicePrincipals(id,appId,displayName)`, value });
  }
  const assignments = /^\/v1\.0\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(path);
  if (assignments) {
    const refused = allowOnly(['$skiptoken']);
    if (refused !== undefined) return refused;
    if (assignments[1] !== READER_SP_ID || !graph.readerServicePrincipal) {
      return error(json, res, 404, 'Request_ResourceNotFound', `Resource '${assignments[1]}' does not exist or one of its queried reference-property objects are not present.`);
    }
    const all = graph.granted.map((name, i) => ({
      id: `UxOIjjUXr0WvIe4TRFgqTY4z9Wu5KxpBtlEpoTGjw-${i}`,
      createdDateTime: '2026-11-01T08:00:00Z',
      appRoleId: READER_APP_ROLES[name] ?? name,
      principalDisplayName: app?.displayName ?? null,
      principalId: READER_SP_ID,
      principalType: 'ServicePrincipal',
      resourceDisplayName: 'Microsoft Graph',
      resourceId: GRAPH_SP_ID,
    }));
    const page = Number(url.searchParams.get('$skiptoken') ?? '0');
    const next = page + 1 < all.length ? { '@odata.nextLink': `${origin}/v1.0/servicePrincipals/${READER_SP_ID}/appRoleAssignments?$skiptoken=${page + 1}` } : {};
    return json(res, 200, { '@odata.context': `${origin}/v1.0/$metadata#servicePrincipals('${READER_SP_ID}')/appRoleAssignments`, value: all.slice(page, page + 1), ...next });
  }
  return undefined;
}

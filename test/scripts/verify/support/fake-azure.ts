/**
 * One HTTPS server on 127.0.0.1 speaking the documented shapes of the services the verifier calls:
 * - Microsoft Entra token endpoint + OpenID metadata (for the child-process test's client-secret sign-in);
 * - ARM `GET /providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01` (a `{ value: [...] }` list);
 * - ARM `GET {resourceUri}/providers/Microsoft.Insights/metrics` (api-version 2018-01-01 `Response`);
 * - Log Analytics `POST /v1/workspaces/{id}/query` (`{ tables: [{ name, columns, rows }], error? }`);
 * - Microsoft Graph `PATCH /v1.0/applications/{id}` (204).
 * Tests set `scenario` and queue `faults`; every request is recorded (without its token).
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { CLOCK_SKEW_MS } from '../../../../scripts/lib/verify/checks/canary';

export interface TableData {
  readonly rows: number;
  readonly newest: string;
  readonly p50: number;
  readonly p95: number;
}

export interface Scenario {
  /** The `value` of the diagnostic settings list (anything, to test malformed answers). */
  diagnosticSettings: unknown;
  /** Per table: what the arrival query returns; tables absent here return no row. */
  logTables: Record<string, TableData>;
  /** Tables that do not exist in the workspace (answer becomes a partial failure). */
  missingTables: string[];
  /** IncomingMessages total per hub name. */
  hubMessages: Record<string, number>;
  /** The canary shows in Log Analytics from this poll on (1-based); null: never. */
  canaryLogAnalyticsFromPoll: number | null;
  /** Called (and awaited) on each canary Log Analytics poll, with its number. */
  onCanaryPoll?: (poll: number, changedAt: Date) => Promise<void>;
  /** Replaces the arrival query answer (malformed-answer tests). */
  arrivalAnswer?: unknown;
}

export interface Fault {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** How many matching requests fail. */
  times: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly bearer: boolean;
  readonly status: number;
}

export interface FakeAzure {
  readonly origin: string;
  scenario: Scenario;
  readonly faults: Fault[];
  readonly requests: RecordedRequest[];
  /** Notes PATCHed to applications, by object id. */
  readonly notes: Map<string, string>;
  /** Tokens issued by the token endpoint. */
  readonly issuedTokens: string[];
  canaryPolls: number;
  reset(scenario: Scenario): void;
  close(): Promise<void>;
}

const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number => {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
  return status;
};

export async function startFakeAzure(tls: { certPem: string; keyPem: string }, scenario: Scenario): Promise<FakeAzure> {
  const state = {
    scenario,
    faults: [] as Fault[],
    requests: [] as RecordedRequest[],
    notes: new Map<string, string>(),
    issuedTokens: [] as string[],
    canaryPolls: 0,
  };
  let origin = '';

  const handle = async (method: string, url: URL, body: unknown, form: URLSearchParams | undefined, bearer: boolean, res: import('node:http').ServerResponse): Promise<number> => {
    const path = url.pathname;
    const fault = state.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault) {
      fault.times--;
      return json(res, fault.status, fault.body ?? { error: { code: `Status${fault.status}`, message: `injected ${fault.status}` } }, fault.headers);
    }
    // Microsoft Entra (v2.0 endpoints), only what MSAL's client-credentials flow reads.
    const tenantMatch = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (method === 'GET' && tenantMatch) {
      const t = tenantMatch[1];
      return json(res, 200, {
        token_endpoint: `${origin}/${t}/oauth2/v2.0/token`,
        authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
        device_authorization_endpoint: `${origin}/${t}/oauth2/v2.0/devicecode`,
        jwks_uri: `${origin}/${t}/discovery/v2.0/keys`,
        issuer: `${origin}/${t}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
      });
    }
    if (method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(path)) {
      if (form?.get('grant_type') !== 'client_credentials' || !form.get('client_secret')) {
        return json(res, 400, { error: 'invalid_request', error_description: 'expected client credentials' });
      }
      const token = `fake-access-token-${state.issuedTokens.length + 1}-${form.get('scope')?.replace(/[^a-z]/gi, '')}`;
      state.issuedTokens.push(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    if (!bearer) return json(res, 401, { error: { code: 'AuthenticationFailed', message: 'no bearer token' } });

    if (method === 'GET' && path.toLowerCase() === '/providers/microsoft.aadiam/diagnosticsettings') {
      if (url.searchParams.get('api-version') !== '2017-04-01') return json(res, 400, { error: { code: 'InvalidApiVersion', message: 'api-version' } });
      return json(res, 200, { value: state.scenario.diagnosticSettings });
    }
    if (method === 'GET' && /\/providers\/Microsoft\.Insights\/metrics$/i.test(path)) {
      const resourceUri = path.replace(/\/providers\/Microsoft\.Insights\/metrics$/i, '');
      const filter = url.searchParams.get('$filter') ?? '';
      const hubs = [...filter.matchAll(/EntityName eq '([^']+)'/g)].map((m) => m[1] as string);
      const [, end = new Date().toISOString()] = (url.searchParams.get('timespan') ?? '').split('/');
      const lastBin = new Date(Math.floor((Date.parse(end) - 60_000) / 60_000) * 60_000).toISOString();
      return json(res, 200, {
        cost: 0,
        timespan: url.searchParams.get('timespan'),
        interval: url.searchParams.get('interval'),
        namespace: 'Microsoft.EventHub/namespaces',
        resourceregion: 'westeurope',
        value: [{
          id: `${resourceUri}/providers/Microsoft.Insights/metrics/IncomingMessages`,
          type: 'Microsoft.Insights/metrics',
          name: { value: 'IncomingMessages', localizedValue: 'Incoming Messages' },
          displayDescription: 'Incoming Messages for Microsoft.EventHub.',
          unit: 'Count',
          errorCode: 'Success',
          timeseries: hubs.map((hub) => ({
            metadatavalues: [{ name: { value: 'entityname', localizedValue: 'entityname' }, value: hub }],
            data: [{ timeStamp: lastBin, total: state.scenario.hubMessages[hub] ?? 0 }],
          })),
        }],
      });
    }
    if (method === 'POST' && /^\/v1\/workspaces\/[^/]+\/query$/.test(path)) {
      const query = String((body as { query?: unknown })?.query ?? '');
      if (query.startsWith('union')) {
        if (state.scenario.arrivalAnswer !== undefined) return json(res, 200, state.scenario.arrivalAnswer);
        const tables = /isfuzzy=true ([^\n]+)/.exec(query)?.[1]?.split(',').map((t) => t.trim()) ?? [];
        const rows = tables.filter((t) => state.scenario.logTables[t]).map((t) => {
          const d = state.scenario.logTables[t] as TableData;
          return [t, d.rows, d.newest, d.p50, d.p95];
        });
        const missing = tables.filter((t) => state.scenario.missingTables.includes(t));
        return json(res, 200, {
          tables: [{
            name: 'PrimaryResult',
            columns: [
              { name: 'SourceTable', type: 'string' }, { name: 'Rows', type: 'long' }, { name: 'NewestTimeGenerated', type: 'datetime' },
              { name: 'P50Seconds', type: 'real' }, { name: 'P95Seconds', type: 'real' },
            ],
            rows,
          }],
          ...(missing.length > 0
            ? { error: { code: 'PartialError', message: 'There were some errors when processing your query.', details: missing.map((t) => ({ code: 'SEM0100', message: `'union' operator: Failed to resolve table expression named '${t}'` })) } }
            : {}),
        });
      }
      if (query.startsWith('AuditLogs')) {
        state.canaryPolls++;
        const since = Date.parse(/datetime\(([^)]+)\)/.exec(query)?.[1] ?? '');
        const changedAt = new Date(since + CLOCK_SKEW_MS);
        await state.scenario.onCanaryPoll?.(state.canaryPolls, changedAt);
        const from = state.scenario.canaryLogAnalyticsFromPoll;
        const seen = from !== null && state.canaryPolls >= from;
        return json(res, 200, {
          tables: [{
            name: 'PrimaryResult',
            columns: [{ name: 'Events', type: 'long' }, { name: 'FirstIngested', type: 'datetime' }],
            rows: [[seen ? 1 : 0, seen ? new Date(changedAt.getTime() + 42_000).toISOString() : null]],
          }],
        });
      }
      return json(res, 400, { error: { code: 'BadArgumentError', message: 'unexpected query' } });
    }
    const app = /^\/v1\.0\/applications\/([^/]+)$/.exec(path);
    if (method === 'PATCH' && app) {
      const notes = (body as { notes?: unknown })?.notes;
      if (typeof notes !== 'string') return json(res, 400, { error: { code: 'Request_BadRequest', message: 'notes' } });
      state.notes.set(app[1] as string, notes);
      res.writeHead(204);
      res.end();
      return 204;
    }
    return json(res, 404, { error: { code: 'NotFound', message: `${method} ${path}` } });
  };

  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', origin);
      const text = Buffer.concat(chunks).toString('utf8');
      const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
      let body: unknown;
      try {
        body = text && !isForm ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const form = isForm ? new URLSearchParams(text) : undefined;
      const bearer = /^Bearer \S+/.test(req.headers.authorization ?? '');
      handle(req.method ?? 'GET', url, body, form, bearer, res).then(
        (status) => state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, bearer, status }),
        (error: unknown) => {
          json(res, 500, { error: { code: 'FakeServerError', message: String(error) } });
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeAzure = {
    origin,
    get scenario() {
      return state.scenario;
    },
    set scenario(s: Scenario) {
      state.scenario = s;
    },
    faults: state.faults,
    requests: state.requests,
    notes: state.notes,
    issuedTokens: state.issuedTokens,
    get canaryPolls() {
      return state.canaryPolls;
    },
    set canaryPolls(n: number) {
      state.canaryPolls = n;
    },
    reset(s) {
      state.scenario = s;
      state.faults.length = 0;
      state.requests.length = 0;
      state.notes.clear();
      state.canaryPolls = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/**
 * One HTTPS server on 127.0.0.1 speaking the documented shapes of the services the verifier calls:
 * - Microsoft Entra token endpoint + OpenID metadata (for the child-process test's client-secret sign-in);
 * - ARM `GET /providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01` (a `{ value: [...] }` list);
 * - ARM `GET {resourceUri}/providers/Microsoft.Insights/metrics` (api-version 2024-02-01 `Response`);
 * - Log Analytics `POST /v1/workspaces/{id}/query` (`{ tables: [{ name, columns, rows }], error? }`);
 * - Microsoft Graph `PATCH /v1.0/applications/{id}` (204), and the reads of the reader-app check (./fake-graph.ts);
 * - blob storage under `/devstoreaccount1/...`, passed on to Azurite when `blobBackend` is set, so
 *   that faults can be injected into storage requests too, or refused as a storage firewall does (`blobDenial`).
 * Tests set `scenario` and queue `faults`; every request is recorded (without its token). A fault
 * answers with a status, or misbehaves (`mode`): never answers, trickles, sends a huge body, an HTML
 * page or a redirect, or echoes the credential it received.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { CLOCK_SKEW_MS } from '../../../../scripts/lib/verify/checks/canary';
import { fakeAccessToken, type GraphScenario, handleGraph } from './fake-graph';

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
  /** Microsoft Graph: the reader app, its service principal, consent and credentials (./fake-graph.ts). */
  graph: GraphScenario;
  /**
   * Every blob request under /devstoreaccount1 is refused with 403 and this storage error code, as
   * Azure Storage does: `AuthorizationFailure` from the account firewall, `AuthorizationPermissionMismatch`
   * for an identity without a data role, `KeyBasedAuthenticationNotPermitted` for a shared key when
   * shared keys are off (learn.microsoft.com troubleshoot/azure/azure-storage/blobs/authentication/storage-troubleshoot-403-errors).
   */
  blobDenial?: 'AuthorizationFailure' | 'AuthorizationPermissionMismatch' | 'KeyBasedAuthenticationNotPermitted';
}

/** Azure Storage's messages for the 403 codes above (REST "Shared access signature error codes" and the 403 troubleshooting page). */
const STORAGE_403_MESSAGES: Readonly<Record<NonNullable<Scenario['blobDenial']>, string>> = {
  AuthorizationFailure: 'This request is not authorized to perform this operation.',
  AuthorizationPermissionMismatch: 'This request is not authorized to perform this operation using this permission.',
  KeyBasedAuthenticationNotPermitted: 'Key based authentication is not permitted on this storage account.',
};

/**
 * - `status` (default): answers `status` with `body` (or an Azure-style error);
 * - `hang`: never answers;
 * - `trickle`: answers 200 (with `headers`, and a Content-Length of 1 MiB) and then one byte every 10 ms, never finishing;
 * - `huge`: answers 200 with `hugeBytes` of body, written as fast as the client reads it
 *   (with `declareLength`, the Content-Length says so up front);
 * - `html`: an HTML sign-in page with `status` (default 200);
 * - `redirect`: 302 to `https://login.example.invalid/portal?next=...`;
 * - `echo-token`: `status` (default 401) with an error message quoting the bearer token received,
 *   or the client secret of a token request.
 */
export type FaultMode = 'status' | 'hang' | 'trickle' | 'huge' | 'html' | 'redirect' | 'echo-token';

export interface Fault {
  readonly method: string;
  readonly path: RegExp;
  /** Matched against the query string (with its `?`) when given. */
  readonly query?: RegExp;
  readonly mode?: FaultMode;
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly hugeBytes?: number;
  readonly declareLength?: boolean;
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
  /** A token of the reader app as Entra would issue it now: its roles are the permissions granted. */
  readerToken(): string;
  canaryPolls: number;
  /** Body bytes written by `huge` faults (to show the client stopped reading). */
  readonly hugeBytesSent: number;
  /** Azurite's blob origin (`http://127.0.0.1:<port>`): requests under /devstoreaccount1 go there. */
  blobBackend: string | undefined;
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
    hugeBytesSent: 0,
    blobBackend: undefined as string | undefined,
  };
  let origin = '';

  const misbehave = (fault: Fault, res: import('node:http').ServerResponse, token: string | undefined, form: URLSearchParams | undefined): number => {
    switch (fault.mode ?? 'status') {
      case 'hang':
        return 0;
      case 'trickle': {
        // A declared length, so that clients which insist on one (blob downloads) wait for the body.
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(1024 * 1024), ...fault.headers });
        let sent = 0;
        const timer = setInterval(() => {
          if (res.destroyed || ++sent > 3_000) return clearInterval(timer);
          res.write(' ');
        }, 10);
        res.on('close', () => clearInterval(timer));
        return 200;
      }
      case 'huge': {
        const total = fault.hugeBytes ?? 400 * 1024 * 1024;
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...(fault.declareLength ? { 'content-length': String(total) } : {}) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let written = 0;
        const pump = (): void => {
          while (written < total && !res.destroyed) {
            const n = Math.min(chunk.length, total - written);
            written += n;
            state.hugeBytesSent += n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
          }
          if (written >= total) res.end();
        };
        pump();
        return 200;
      }
      case 'html': {
        const page = '<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>Sign in</body></html>';
        res.writeHead(fault.status ?? 200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(page)) });
        res.end(page);
        return fault.status ?? 200;
      }
      case 'redirect':
        res.writeHead(302, { location: 'https://login.example.invalid/portal?next=%2Fsecret-path', 'content-length': '0' });
        res.end();
        return 302;
      case 'echo-token': {
        const status = fault.status ?? 401;
        if (token === undefined && form) {
          return json(res, status, { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided: ${form.get('client_secret')}` });
        }
        return json(res, status, { error: { code: 'InvalidAuthenticationToken', message: `The access token '${token}' is not valid for this resource.` } });
      }
      case 'status':
        return json(res, fault.status ?? 500, fault.body ?? { error: { code: `Status${fault.status}`, message: `injected ${fault.status}` } }, fault.headers);
    }
  };

  /** Passes a storage request on to Azurite as it came (the SharedKey signature covers method, path, query and x-ms headers, not the host). */
  const toBlobBackend = (method: string, url: URL, headers: import('node:http').IncomingHttpHeaders, raw: Buffer, res: import('node:http').ServerResponse): Promise<number> =>
    new Promise((resolve) => {
      const target = new URL(`${url.pathname}${url.search}`, state.blobBackend);
      const upstream = http.request(target, { method, headers: { ...headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => resolve(answer.statusCode ?? 502));
      });
      upstream.on('error', (error) => resolve(json(res, 502, { error: { code: 'BlobBackend', message: String(error) } })));
      upstream.end(raw);
    });

  const handle = async (
    method: string, url: URL, body: unknown, form: URLSearchParams | undefined, token: string | undefined, res: import('node:http').ServerResponse,
    headers: import('node:http').IncomingHttpHeaders, raw: Buffer,
  ): Promise<number> => {
    const path = url.pathname;
    const bearer = token !== undefined;
    const fault = state.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path) && (f.query === undefined || f.query.test(url.search)));
    if (fault) {
      fault.times--;
      return misbehave(fault, res, token, form);
    }
    if (state.scenario.blobDenial && path.startsWith('/devstoreaccount1')) {
      const code = state.scenario.blobDenial;
      const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${STORAGE_403_MESSAGES[code]}\nRequestId:0f1e2d3c-001e-0011-2a3b-4c5d6e000000\nTime:${new Date().toISOString()}</Message></Error>`;
      res.writeHead(403, { 'content-type': 'application/xml', 'x-ms-error-code': code, 'x-ms-request-id': '0f1e2d3c-001e-0011-2a3b-4c5d6e000000', 'content-length': method === 'HEAD' ? '0' : String(Buffer.byteLength(xml)) });
      res.end(method === 'HEAD' ? undefined : xml);
      return 403;
    }
    if (state.blobBackend && path.startsWith('/devstoreaccount1')) return toBlobBackend(method, url, headers, raw, res);
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
      const reader = state.scenario.graph.readerApp;
      const token = reader && form.get('client_id') === reader.appId
        ? fakeAccessToken(reader.appId, state.scenario.graph.granted)
        : `fake-access-token-${state.issuedTokens.length + 1}-${form.get('scope')?.replace(/[^a-z]/gi, '')}`;
      state.issuedTokens.push(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    if (!bearer) return json(res, 401, { error: { code: 'AuthenticationFailed', message: 'no bearer token' } });

    const graphAnswer = handleGraph(method, url, token, res, state.scenario.graph, origin, json);
    if (graphAnswer !== undefined) return graphAnswer;
    if (method === 'GET' && path.toLowerCase() === '/providers/microsoft.aadiam/diagnosticsettings') {
      if (url.searchParams.get('api-version') !== '2017-04-01') return json(res, 400, { error: { code: 'InvalidApiVersion', message: 'api-version' } });
      return json(res, 200, { value: state.scenario.diagnosticSettings });
    }
    if (method === 'GET' && /\/providers\/Microsoft\.Insights\/metrics$/i.test(path)) {
      const resourceUri = path.replace(/\/providers\/Microsoft\.Insights\/metrics$/i, '');
      // ARM refuses a request without api-version (MissingApiVersionParameter). The version is the one
      // @azure/arm-monitor 8.0.0 sends (dist/commonjs/api/metrics/operations.js: "2024-02-01"), so an SDK
      // upgrade that changes it fails here instead of passing unnoticed.
      if (url.searchParams.get('api-version') !== '2024-02-01') return json(res, 400, { error: { code: 'InvalidApiVersionParameter', message: `api-version ${url.searchParams.get('api-version')}` } });
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
    // A strict server: an empty path segment (`//subscriptions/...`) names no resource.
    const rawPath = (req.url ?? '/').split('?')[0] as string;
    if (rawPath.includes('//')) {
      req.resume();
      const status = json(res, 400, { error: { code: 'InvalidRequestUri', message: `The request path '${rawPath}' has an empty segment.` } });
      state.requests.push({ method: req.method ?? 'GET', path: rawPath, query: {}, body: undefined, bearer: /^Bearer /.test(req.headers.authorization ?? ''), status });
      return;
    }
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
      const token = /^Bearer (\S+)/.exec(req.headers.authorization ?? '')?.[1];
      handle(req.method ?? 'GET', url, body, form, token, res, req.headers, Buffer.concat(chunks)).then(
        (status) => state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, bearer: token !== undefined, status }),
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
    readerToken() {
      const reader = state.scenario.graph.readerApp;
      if (!reader) throw new Error('the scenario has no reader app');
      return fakeAccessToken(reader.appId, state.scenario.graph.granted);
    },
    get canaryPolls() {
      return state.canaryPolls;
    },
    set canaryPolls(n: number) {
      state.canaryPolls = n;
    },
    get hugeBytesSent() {
      return state.hugeBytesSent;
    },
    get blobBackend() {
      return state.blobBackend;
    },
    set blobBackend(origin: string | undefined) {
      state.blobBackend = origin;
    },
    reset(s) {
      state.scenario = s;
      state.faults.length = 0;
      state.requests.length = 0;
      state.notes.clear();
      state.canaryPolls = 0;
      state.hugeBytesSent = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

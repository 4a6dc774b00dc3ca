/**
 * The Log Analytics query API on 127.0.0.1 over HTTPS (the test CA from ../../verify/support/tls.ts),
 * answering `POST /v1/workspaces/{workspaceId}/query` with the documented shapes
 * (learn.microsoft.com/azure/azure-monitor/logs/api/response-format):
 * - 200 `{ tables: [{ name: "PrimaryResult", columns: [{ name, type }], rows: [[...]] }] }`;
 * - a partial result: 200 with the tables and an `error` object beside them;
 * - an error: 4xx/5xx `{ error: { code, message, innererror? } }`.
 * Each query names its KPI on its first line (`// entra-audit-report: <key>`); the scenario says
 * what each KPI answers. Requests without a bearer token get 401. Every request is recorded.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { kpiKeyOf } from '../../../../scripts/lib/audit-report/kpis';

export interface LogsColumn {
  readonly name: string;
  /** Logs API column types: string, datetime, long, real, int, bool, dynamic, guid, timespan, decimal. */
  readonly type: string;
}

export type KpiAnswer =
  | { readonly kind: 'table'; readonly columns: readonly LogsColumn[]; readonly rows: readonly (readonly unknown[])[]; readonly partialError?: { code: string; message: string } }
  /** Any status and body (errors, malformed answers). */
  | { readonly kind: 'raw'; readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> }
  /** Never answers. */
  | { readonly kind: 'hang' }
  /** An HTML sign-in page. */
  | { readonly kind: 'html' };

export interface LogsRequest {
  readonly workspaceId: string;
  readonly kpi: string | undefined;
  readonly query: string;
  readonly timespan: string | undefined;
  readonly bearer: boolean;
  readonly prefer: string | undefined;
}

export interface FakeLogs {
  readonly origin: string;
  /** Answers by KPI key; a KPI with no entry answers 400 BadArgumentError. A list is consumed one answer per request (the last one repeats). */
  answers: Record<string, KpiAnswer | KpiAnswer[]>;
  readonly requests: LogsRequest[];
  close(): Promise<void>;
}

function send(res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export async function startFakeLogs(tls: { certPem: string; keyPem: string }, answers: Record<string, KpiAnswer | KpiAnswer[]> = {}): Promise<FakeLogs> {
  const state = { answers, requests: [] as LogsRequest[] };
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const match = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) return send(res, 404, { error: { code: 'PathNotFoundError', message: `${req.method} ${url.pathname}` } });
      let body: { query?: unknown; timespan?: unknown } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return send(res, 400, { error: { code: 'BadArgumentError', message: 'The request body is not JSON' } });
      }
      const query = String(body.query ?? '');
      const kpi = kpiKeyOf(query);
      const bearer = /^Bearer \S+/.test(req.headers.authorization ?? '');
      state.requests.push({ workspaceId: match[1] as string, kpi, query, timespan: typeof body.timespan === 'string' ? body.timespan : undefined, bearer, prefer: req.headers.prefer as string | undefined });
      if (!bearer) return send(res, 401, { error: { code: 'AuthorizationRequiredError', message: 'Valid authentication was not provided' } });
      const entry = kpi === undefined ? undefined : state.answers[kpi];
      const answer = Array.isArray(entry) ? (entry.length > 1 ? entry.shift() : entry[0]) : entry;
      if (!answer) return send(res, 400, { error: { code: 'BadArgumentError', message: `The request had some invalid properties (no answer for ${kpi ?? 'this query'})` } });
      switch (answer.kind) {
        case 'hang':
          return undefined;
        case 'html': {
          const page = '<!DOCTYPE html><html><body>Sign in</body></html>';
          res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(page.length) });
          return res.end(page);
        }
        case 'raw':
          return send(res, answer.status, answer.body, answer.headers);
        case 'table':
          return send(res, 200, {
            tables: [{ name: 'PrimaryResult', columns: answer.columns, rows: answer.rows }],
            ...(answer.partialError ? { error: { ...answer.partialError, details: [{ code: 'SEM0100', message: answer.partialError.message }] } } : {}),
          });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get answers() {
      return state.answers;
    },
    set answers(a) {
      state.answers = a;
    },
    requests: state.requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

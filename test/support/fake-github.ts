/**
 * A fake GitHub REST API on 127.0.0.1 for the scripts in .github/scripts, and a small client with the
 * shape of the Octokit client actions/github-script passes them (`github.rest.issues.*`, `github.paginate`).
 *
 * The server keeps issues and comments in memory and speaks the documented shapes: list endpoints page
 * with `per_page`/`page` and a `Link: <…>; rel="next"` header; editing a comment by another author answers
 * 403 when `foreignEditsForbidden` is set (as for a token that may not edit it).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  readonly login: string;
  readonly type: 'Bot' | 'User';
}
export interface FakeComment {
  id: number;
  body: string;
  user: FakeUser;
  issue: number;
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  pull_request?: object;
  user: FakeUser;
}
export interface FakePull {
  readonly number: number;
  readonly merged_at: string | null;
  readonly labels: { name: string }[];
}
export interface RequestLog {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

export const BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

export class FakeGitHub {
  readonly comments: FakeComment[] = [];
  readonly issues: FakeIssue[] = [];
  readonly pullsByCommit = new Map<string, FakePull[]>();
  readonly requests: RequestLog[] = [];
  /** Who the token belongs to: comments and issues created through the API get this author. */
  tokenUser: FakeUser = BOT;
  /** Answer 403 to edits of comments written by someone else. */
  foreignEditsForbidden = false;
  private nextId = 1000;
  private server?: Server;
  baseUrl = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  addComment(issue: number, body: string, user: FakeUser = BOT): FakeComment {
    const comment = { id: this.nextId++, body, user, issue };
    this.comments.push(comment);
    return comment;
  }

  addIssue(fields: Partial<FakeIssue> & { title: string; body: string }): FakeIssue {
    const issue: FakeIssue = { number: this.nextId++, state: 'open', user: BOT, ...fields };
    this.issues.push(issue);
    return issue;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    const page = <T>(items: T[]) => {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const n = Number(url.searchParams.get('page') ?? 1);
      const slice = items.slice((n - 1) * perPage, n * perPage);
      const headers: Record<string, string> = {};
      if (n * perPage < items.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(n + 1));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      send(200, slice, headers);
    };
    const comment = (c: FakeComment) => ({ id: c.id, body: c.body, user: c.user, html_url: `https://github.example/c/${c.id}` });
    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const issue = Number(m[1]);
      if (req.method === 'GET') return page(this.commentsOn(issue).map(comment));
      if (req.method === 'POST') return send(201, comment(this.addComment(issue, body.body, this.tokenUser)));
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(url.pathname)) && req.method === 'PATCH') {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      if (this.foreignEditsForbidden && c.user.login !== this.tokenUser.login) return send(403, { message: 'Resource not accessible by integration' });
      c.body = body.body;
      return send(200, comment(c));
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues$/.test(url.pathname)) {
      if (req.method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        return page(this.issues.filter((i) => state === 'all' || i.state === state));
      }
      if (req.method === 'POST') {
        const issue = this.addIssue({ title: body.title, body: body.body, user: this.tokenUser });
        return send(201, issue);
      }
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(url.pathname)) && req.method === 'PATCH') {
      const issue = this.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      Object.assign(issue, body);
      return send(200, issue);
    }
    if ((m = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]+)\/pulls$/.exec(url.pathname)) && req.method === 'GET') {
      return send(200, this.pullsByCommit.get(m[1]) ?? []);
    }
    send(404, { message: `no route for ${req.method} ${url.pathname}` });
  }
}

/** The error shape Octokit throws for an HTTP error: `status` and `message`. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Params = Record<string, unknown>;
interface Response {
  readonly status: number;
  readonly data: any;
  readonly headers: Record<string, string>;
}
type Method = ((params: Params) => Promise<Response>) & { readonly route: (params: Params) => string };

/** An Octokit-shaped client for the methods the scripts use, speaking HTTP to `baseUrl`. */
export function fakeOctokit(baseUrl: string) {
  async function request(method: string, url: string, body?: unknown): Promise<Response> {
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', authorization: 'token test-token' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const data = await res.json();
    if (res.status >= 400) throw new RequestError(res.status, (data as { message?: string }).message ?? `HTTP ${res.status}`);
    return { status: res.status, data, headers: Object.fromEntries(res.headers.entries()) };
  }
  const endpoint = (verb: string, path: (p: Params) => string, query: string[] = [], bodyKeys: string[] = []): Method => {
    const route = (p: Params) => {
      const u = new URL(path(p), baseUrl);
      for (const q of query) if (p[q] !== undefined) u.searchParams.set(q, String(p[q]));
      return u.toString();
    };
    const fn = async (p: Params) => {
      const body = bodyKeys.length === 0 ? undefined : Object.fromEntries(bodyKeys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
      return request(verb, route(p), body);
    };
    return Object.assign(fn, { route });
  };
  const repo = (p: Params) => `/repos/${p.owner}/${p.repo}`;
  const rest = {
    issues: {
      listComments: endpoint('GET', (p) => `${repo(p)}/issues/${p.issue_number}/comments`, ['per_page', 'page']),
      createComment: endpoint('POST', (p) => `${repo(p)}/issues/${p.issue_number}/comments`, [], ['body']),
      updateComment: endpoint('PATCH', (p) => `${repo(p)}/issues/comments/${p.comment_id}`, [], ['body']),
      listForRepo: endpoint('GET', (p) => `${repo(p)}/issues`, ['state', 'per_page', 'page']),
      create: endpoint('POST', (p) => `${repo(p)}/issues`, [], ['title', 'body']),
      update: endpoint('PATCH', (p) => `${repo(p)}/issues/${p.issue_number}`, [], ['title', 'body', 'state', 'state_reason']),
    },
    repos: {
      listPullRequestsAssociatedWithCommit: endpoint('GET', (p) => `${repo(p)}/commits/${p.commit_sha}/pulls`),
    },
  };
  /** Follows `Link: rel="next"` like Octokit's paginate, at most 50 pages. */
  async function paginate(method: Method, params: Params): Promise<unknown[]> {
    const out: unknown[] = [];
    let url: string | undefined = method.route(params);
    for (let i = 0; url !== undefined && i < 50; i++) {
      const res: Response = await request('GET', url);
      out.push(...(res.data as unknown[]));
      url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.link ?? '')?.[1];
    }
    return out;
  }
  return { rest, paginate };
}

/** The `core` of actions/toolkit, recording what the script reports. */
export function fakeCore() {
  const calls = { info: [] as string[], warning: [] as string[], failed: [] as string[], outputs: new Map<string, string>() };
  return {
    calls,
    info: (m: string) => void calls.info.push(m),
    warning: (m: string) => void calls.warning.push(m),
    setFailed: (m: string) => void calls.failed.push(m),
    setOutput: (k: string, v: string) => void calls.outputs.set(k, v),
  };
}

/** The `context` of a pull_request run. */
export function prContext(fields: { number?: number; headSha?: string; labels?: string[]; sha?: string } = {}) {
  return {
    repo: { owner: 'contoso', repo: 'entra-audit' },
    issue: { number: fields.number ?? 7 },
    sha: fields.sha ?? 'f'.repeat(40),
    runId: 4242,
    serverUrl: 'https://github.com',
    payload: {
      pull_request: { number: fields.number ?? 7, head: { sha: fields.headSha ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }, labels: (fields.labels ?? []).map((name) => ({ name })) },
    },
  };
}

/**
 * The one HTTP transport every request of the verify command goes through: the Azure SDK clients
 * (Log Analytics, metrics, blob storage, and the credential's token requests) get it as their
 * `httpClient`, and the small JSON client for ARM and Microsoft Graph calls it directly.
 *
 * What it guarantees, whatever the server does:
 * - bounded time: the request's abort signal (set by `withRetry` from the per-request deadline and
 *   `--timeout`) destroys the socket, and a backstop timer does the same for requests that carry a
 *   signal of their own (MSAL's token requests) — a server that never answers or trickles bytes is cut off;
 * - bounded memory: a body is read up to `maxResponseBytes` and no further (a declared
 *   Content-Length above it is refused before reading); a streamed body (blob download) is
 *   counted as it is consumed;
 * - readable refusals: an HTML page or a redirect is not an Azure API answer; it is refused with
 *   the status, the content type and the flag to check, and a redirect is never followed (a bearer
 *   token must not travel on to another host).
 * It never logs or returns request headers.
 */
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse, RawHttpHeaders } from '@azure/core-rest-pipeline';
import type { HttpOperationResponse, IHttpClient, WebResource } from '@azure/storage-blob';
import { DeadlineError, ResponseTooLargeError, UnexpectedAnswerError } from './errors';

/** The largest answer read from any service, in bytes (16 MiB; the largest expected is a 1,000-item blob listing, about 1 MiB). */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface TransportOptions {
  /** The service, for messages: "Log Analytics", "Azure Resource Manager", ... */
  readonly service: string;
  /** What to check when the answer is not the service's: "--logs-endpoint and --cloud". */
  readonly check: string;
  /** Extra trusted CA certificates (tests); the process-wide store (NODE_EXTRA_CA_CERTS) applies anyway. */
  readonly ca?: string;
  /** @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
  /** Backstop: no request lives longer than this, signal or not. */
  readonly backstopMs: number;
}

interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RawRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignalLike;
  /** True for statuses whose body the caller reads as a stream (blob downloads). */
  readonly streamed?: (status: number) => boolean;
  /** An agent set by the SDK's proxy policy (HTTPS_PROXY); the CA option does not apply then. */
  readonly agent?: http.Agent;
  /** A shorter timeout the caller asks for (the managed-identity probe). */
  readonly timeoutMs?: number;
}

export interface RawResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly stream?: NodeJS.ReadableStream;
}

const mib = (bytes: number): string => (bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`);

function isHtml(contentType: string): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType);
}

/** Sends one request under the guarantees above. */
export function send(options: TransportOptions, request: RawRequest): Promise<RawResponse> {
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const url = new URL(request.url);
  const { service } = options;
  const notAzure = `this does not look like the ${service} API: check ${options.check}`;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let streaming: Transform | undefined;
    const cleanup = (): void => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: Error): void => {
      cleanup();
      outgoing.destroy();
      streaming?.destroy(error);
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    const ms = Math.min(options.backstopMs, request.timeoutMs ?? Infinity);
    const timer = setTimeout(() => fail(new DeadlineError('request', `${service}: no complete answer from ${url.origin} within ${ms} ms`)), ms);
    const onAbort = (): void => fail(Object.assign(new Error(`${service}: request to ${url.origin} aborted`), { name: 'AbortError' }));
    if (request.signal?.aborted) {
      clearTimeout(timer);
      reject(Object.assign(new Error(`${service}: request to ${url.origin} aborted`), { name: 'AbortError' }));
      return;
    }
    request.signal?.addEventListener('abort', onAbort);

    const module = url.protocol === 'http:' ? http : https;
    const outgoing = module.request(
      url,
      {
        method: request.method,
        headers: request.headers,
        ...(request.agent ? { agent: request.agent } : options.ca !== undefined && url.protocol === 'https:' ? { ca: options.ca } : {}),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        const contentType = headers['content-type'] ?? '';
        if (status >= 300 && status < 400) {
          let target = 'nowhere';
          try {
            if (headers.location) target = new URL(headers.location, url).origin;
          } catch {
            target = 'an invalid location';
          }
          return fail(new UnexpectedAnswerError(service, status, `${service} answered HTTP ${status}, a redirect to ${target}, from ${url.origin}; ${notAzure} (redirects are not followed)`));
        }
        const isStream = status >= 200 && status < 300 && request.streamed?.(status) === true;
        if (!isStream && isHtml(contentType)) {
          return fail(new UnexpectedAnswerError(service, status, `${service} answered HTTP ${status} with ${contentType.split(';')[0]} from ${url.origin}; ${notAzure}`));
        }
        const declared = Number(headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          return fail(new ResponseTooLargeError(service, limit, `${service} announced an answer of ${mib(declared)} from ${url.origin}; the limit is ${mib(limit)}, so it was not read; ${notAzure}`));
        }
        const tooLarge = (): ResponseTooLargeError =>
          new ResponseTooLargeError(service, limit, `${service} sent more than ${mib(limit)} from ${url.origin}; the rest was not read; ${notAzure}`);
        let received = 0;
        res.on('error', (e) => fail(e));
        res.on('close', () => {
          if (!res.complete) fail(new Error(`${service}: ${url.origin} closed the connection mid-answer`));
        });
        if (isStream) {
          streaming = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              received += chunk.length;
              if (received > limit) callback(tooLarge());
              else callback(null, chunk);
            },
          });
          // Errors reach the consumer through its own listener; this one keeps an abandoned stream
          // (its consumer gone after a deadline) from crashing the process.
          streaming.on('error', () => undefined);
          res.pipe(streaming);
          streaming.on('end', cleanup);
          streaming.on('close', cleanup);
          settled = true;
          resolve({ status, headers, stream: streaming });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > limit) fail(tooLarge());
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          const text = Buffer.concat(chunks).toString('utf8');
          if (!contentType && /^\s*<(!doctype html|html)\b/i.test(text.slice(0, 200))) {
            return fail(new UnexpectedAnswerError(service, status, `${service} answered HTTP ${status} with an HTML page from ${url.origin}; ${notAzure}`));
          }
          cleanup();
          settled = true;
          resolve({ status, headers, text });
        });
      },
    );
    outgoing.on('error', (e) => fail(e));
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}

/** Response headers in the shape `@azure/core-rest-pipeline` expects (case-insensitive). */
class ResponseHeaders implements HttpHeaders {
  private readonly entries = new Map<string, { name: string; value: string }>();

  constructor(raw: Readonly<Record<string, string>>) {
    for (const [name, value] of Object.entries(raw)) this.set(name, value);
  }
  get(name: string): string | undefined {
    return this.entries.get(name.toLowerCase())?.value;
  }
  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }
  set(name: string, value: string | number | boolean): void {
    this.entries.set(name.toLowerCase(), { name, value: String(value) });
  }
  delete(name: string): void {
    this.entries.delete(name.toLowerCase());
  }
  toJSON(options: { preserveCase?: boolean } = {}): RawHttpHeaders {
    const out: RawHttpHeaders = {};
    for (const [key, e] of this.entries) out[options.preserveCase ? e.name : key] = e.value;
    return out;
  }
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const [key, e] of this.entries) yield [key, e.value];
  }
}

function bodyOf(body: unknown, service: string): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new Error(`${service}: this tool sends no streamed request bodies`);
}

/** The transport as an `@azure/core-rest-pipeline` HttpClient (Logs, metrics, @azure/identity). */
export function coreHttpClient(options: TransportOptions): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      if (request.formData || request.multipartBody) throw new Error(`${options.service}: this tool sends no form or multipart bodies`);
      const raw = await send(options, {
        url: request.url,
        method: request.method,
        headers: request.headers.toJSON({ preserveCase: true }),
        body: bodyOf(request.body, options.service),
        signal: request.abortSignal,
        streamed: (status) => request.streamResponseStatusCodes?.has(status) === true,
        agent: request.agent as http.Agent | undefined,
        timeoutMs: request.timeout > 0 ? request.timeout : undefined,
      });
      return { request, status: raw.status, headers: new ResponseHeaders(raw.headers), bodyAsText: raw.text, readableStreamBody: raw.stream };
    },
  };
}

/**
 * The transport as the `httpClient` `@azure/storage-blob` takes (core-http's RequestPolicy shape,
 * which it converts with `@azure/core-http-compat`'s convertHttpClient: that reads `request`,
 * `status`, `headers.toJson()` and the body fields of the answer).
 */
export function storageHttpClient(options: TransportOptions): IHttpClient {
  return {
    async sendRequest(request: WebResource): Promise<HttpOperationResponse> {
      const raw = await send(options, {
        url: request.url,
        method: request.method,
        headers: request.headers.toJson({ preserveCase: true }),
        body: bodyOf(request.body, options.service),
        signal: request.abortSignal,
        streamed: (status) => request.streamResponseStatusCodes?.has(status) === true,
        agent: request.agent as http.Agent | undefined,
        timeoutMs: request.timeout > 0 ? request.timeout : undefined,
      });
      const headers = new ResponseHeaders(raw.headers);
      const headersLike = {
        get: (name: string) => headers.get(name),
        contains: (name: string) => headers.has(name),
        set: (name: string, value: string | number) => headers.set(name, value),
        remove: (name: string) => {
          const had = headers.has(name);
          headers.delete(name);
          return had;
        },
        rawHeaders: () => headers.toJSON(),
        headersArray: () => [...headers].map(([name, value]) => ({ name, value })),
        headerNames: () => [...headers].map(([name]) => name),
        headerValues: () => [...headers].map(([, value]) => value),
        toJson: (o?: { preserveCase?: boolean }) => headers.toJSON(o),
      };
      const response = { request, status: raw.status, headers: { ...headersLike, clone: () => ({ ...headersLike }) }, bodyAsText: raw.text, readableStreamBody: raw.stream };
      return response as unknown as HttpOperationResponse;
    },
  };
}

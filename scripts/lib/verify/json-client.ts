import type { TokenCredential } from '@azure/identity';
import { HttpStatusError, MalformedResponseError } from './errors';
import { send, type TransportOptions } from './transport';

/**
 * A minimal bearer-token JSON client for the two calls no SDK here covers: the tenant-level ARM
 * `microsoft.aadiam/diagnosticSettings` list and the Microsoft Graph PATCH of the canary application.
 * Like the Azure SDKs, it refuses anything but https:// (a bearer token never travels in clear text).
 * Requests go through the bounded transport (deadline, size limit, no redirects, no HTML); it never
 * logs or returns request headers.
 */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed body; undefined for an empty body (204). */
  readonly body: unknown;
}

export interface JsonClient {
  /** `signal` aborts the request (and the token request before it). */
  request(method: 'GET' | 'PATCH', url: string, body?: unknown, signal?: AbortSignal): Promise<JsonResponse>;
}

export interface JsonClientOptions {
  readonly credential: TokenCredential;
  readonly scope: string;
  /** The service and what to check, for messages, and the transport's bounds. */
  readonly transport: TransportOptions;
}

export function createJsonClient(options: JsonClientOptions): JsonClient {
  const service = options.transport.service;
  return {
    async request(method, url, body, signal) {
      const parsedUrl = new URL(url);
      if (parsedUrl.protocol !== 'https:') {
        throw new Error(`${service}: refusing to send a bearer token to ${parsedUrl.origin}; use an https:// endpoint`);
      }
      const token = await options.credential.getToken(options.scope, { abortSignal: signal });
      if (!token) throw new HttpStatusError(401, {}, `${service}: the credential returned no token for ${options.scope}`);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const response = await send(options.transport, {
        url,
        method,
        signal,
        body: payload,
        headers: {
          authorization: `Bearer ${token.token}`,
          accept: 'application/json',
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
        },
      });
      const text = response.text ?? '';
      let parsed: unknown;
      if (text.trim() !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          if (response.status >= 200 && response.status < 300) {
            throw new MalformedResponseError(service, `${service} answered ${method} ${parsedUrl.pathname} with a body that is not JSON`);
          }
        }
      }
      if (response.status < 200 || response.status > 299) {
        const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        const code = typeof error?.code === 'string' ? error.code : undefined;
        const detail = typeof error?.message === 'string' ? `: ${error.message}` : '';
        throw new HttpStatusError(response.status, response.headers, `${service} answered ${response.status}${code ? ` ${code}` : ''}${detail}`, code);
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
  };
}

import https from 'node:https';
import type { TokenCredential } from '@azure/identity';
import { HttpStatusError, MalformedResponseError } from './errors';

/**
 * A minimal bearer-token JSON client for the two calls no SDK here covers: the tenant-level ARM
 * `microsoft.aadiam/diagnosticSettings` list and the Microsoft Graph PATCH of the canary application.
 * Like the Azure SDKs, it refuses anything but https:// (a bearer token never travels in clear text).
 * It never logs or returns request headers.
 */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed body; undefined for an empty body (204). */
  readonly body: unknown;
}

export interface JsonClient {
  request(method: 'GET' | 'PATCH', url: string, body?: unknown): Promise<JsonResponse>;
}

export interface JsonClientOptions {
  readonly credential: TokenCredential;
  readonly scope: string;
  /** Which service, for error messages ("Azure Resource Manager", "Microsoft Graph"). */
  readonly service: string;
  /** Extra trusted CA certificates (tests); the process-wide store (NODE_EXTRA_CA_CERTS) applies anyway. */
  readonly ca?: string;
  /** Per-request timeout. @default 60000 */
  readonly timeoutMs?: number;
}

export function createJsonClient(options: JsonClientOptions): JsonClient {
  return {
    async request(method, url, body) {
      const parsedUrl = new URL(url);
      if (parsedUrl.protocol !== 'https:') {
        throw new Error(`${options.service}: refusing to send a bearer token to ${parsedUrl.origin}; use an https:// endpoint`);
      }
      const token = await options.credential.getToken(options.scope);
      if (!token) throw new HttpStatusError(401, {}, `${options.service}: the credential returned no token for ${options.scope}`);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const response = await new Promise<{ status: number; headers: Record<string, string>; text: string }>((resolve, reject) => {
        const req = https.request(
          parsedUrl,
          {
            method,
            ca: options.ca,
            timeout: options.timeoutMs ?? 60_000,
            headers: {
              authorization: `Bearer ${token.token}`,
              accept: 'application/json',
              ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
              resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error(`${options.service}: no answer from ${parsedUrl.origin} within ${options.timeoutMs ?? 60_000} ms`)));
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
      let parsed: unknown;
      if (response.text.trim() !== '') {
        try {
          parsed = JSON.parse(response.text);
        } catch {
          if (response.status >= 200 && response.status < 300) {
            throw new MalformedResponseError(options.service, `${options.service} answered ${method} ${parsedUrl.pathname} with a body that is not JSON`);
          }
        }
      }
      if (response.status < 200 || response.status > 299) {
        const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
        const code = typeof error?.code === 'string' ? error.code : undefined;
        const detail = typeof error?.message === 'string' ? `: ${error.message}` : '';
        throw new HttpStatusError(response.status, response.headers, `${options.service} answered ${response.status}${code ? ` ${code}` : ''}${detail}`, code);
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
  };
}

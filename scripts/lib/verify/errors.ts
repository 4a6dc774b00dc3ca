/**
 * The errors the verification command distinguishes. Every one of them ends the run with exit code 2
 * ("configuration, authentication or permission error"), because none of them says anything about
 * whether logs arrive: they say the command could not find out.
 */

/** Wrong or missing input: a flag, the synthesized stack, the stack outputs. */
export class ConfigError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Azure answered 401 or 403: names the role or permission the verifying identity lacks. */
export class PermissionError extends Error {
  constructor(
    readonly statusCode: number,
    readonly requiredPermission: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermissionError';
  }
}

/** Azure (or something in between) answered with a body this tool cannot read. */
export class MalformedResponseError extends Error {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
    this.name = 'MalformedResponseError';
  }
}

/** A non-2xx answer from the small JSON client used for ARM and Microsoft Graph. */
export class HttpStatusError extends Error {
  constructor(
    readonly statusCode: number,
    readonly headers: Readonly<Record<string, string>>,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

/** The HTTP status of an error from our JSON client or from an Azure SDK (`RestError.statusCode`). */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A response header from our JSON client's error or from an Azure SDK `RestError.response.headers`. */
export function headerOf(error: unknown, name: string): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (error instanceof HttpStatusError) return error.headers[name.toLowerCase()];
  const headers = (error as { response?: { headers?: { get?: (n: string) => string | undefined } } }).response?.headers;
  return typeof headers?.get === 'function' ? headers.get(name) ?? undefined : undefined;
}

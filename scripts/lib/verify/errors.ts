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

/**
 * An answer that cannot come from the Azure API the tool meant to call: an HTML page (a proxy,
 * a captive portal, a sign-in page) or a redirect. Nothing is followed.
 */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly service: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'UnexpectedAnswerError';
  }
}

/** An answer larger than the response limit; the rest was not read. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly service: string,
    readonly limitBytes: number,
    message: string,
  ) {
    super(message);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * A request cut off by a deadline: its own (`request`, exit 2: the service did not answer) or the
 * run's `--timeout` (`run`, exit 3, like any other timeout).
 */
export class DeadlineError extends Error {
  constructor(
    readonly kind: 'request' | 'run',
    message: string,
  ) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** The first of our own errors in `error`, its `cause` chain or the `errors` of an AggregateError (credential chains wrap them). */
export function ownErrorIn(error: unknown, depth = 0): Error | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  if (error instanceof DeadlineError || error instanceof UnexpectedAnswerError || error instanceof ResponseTooLargeError) return error;
  const nested = [(error as { cause?: unknown }).cause, ...(Array.isArray((error as { errors?: unknown }).errors) ? ((error as { errors: unknown[] }).errors) : [])];
  for (const inner of nested) {
    const found = ownErrorIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

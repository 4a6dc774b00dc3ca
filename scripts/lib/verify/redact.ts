/**
 * Last line of defence against printing a secret: every string of the report, and every progress
 * line, goes through here before it is rendered.
 *
 * Two rules, in this order:
 * 1. By value: every secret the tool holds is replaced wherever it appears, in its raw,
 *    URL-encoded and JSON-escaped forms. The tool holds the access tokens it sent (recorded as the
 *    credential hands them out, see `recordingCredential`), the client secret and certificate
 *    password from the environment, and the storage connection string with its account key and
 *    SAS. This catches an opaque (non-JWT) token a service echoes back in an error message.
 * 2. By pattern, for secrets the tool never held (a key or SAS an SDK error echoes in a URL): a
 *    value after `Bearer`, `AccountKey=`, `SharedAccessSignature=`, `SharedAccessKey=`, `sig=`,
 *    `client_secret=`, `access_token`, and anything shaped like a JWT. After `Bearer`, only a
 *    token-shaped word is replaced (a digit or one of `_ ~ + / = -`, an inner `.`, or 20+
 *    characters), so "a bearer token is sent" stays as written.
 * Secrets shorter than 8 characters are not matched by value: they would rewrite ordinary words.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

export const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 8;

/** The secrets seen so far in a run; tokens are added as the credential issues them. */
export class SecretRegistry {
  private readonly values = new Set<string>();

  constructor(initial: Iterable<string | undefined> = []) {
    for (const value of initial) this.add(value);
  }

  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) return;
    this.values.add(value);
  }

  /** Every form a value can take in a message, longest first (so a longer secret wins over its parts). */
  forms(): string[] {
    const forms = new Set<string>();
    for (const value of this.values) {
      forms.add(value);
      forms.add(encodeURIComponent(value));
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }
}

/** The secrets a storage connection string holds: itself, its AccountKey and its SharedAccessSignature. */
export function connectionStringSecrets(connectionString: string | undefined): string[] {
  if (!connectionString) return [];
  const parts = connectionString.split(';').map((p) => /^\s*(AccountKey|SharedAccessSignature)\s*=(.*)$/i.exec(p)?.[2]?.trim()).filter((v): v is string => !!v);
  return [connectionString, ...parts];
}

/** A credential that records every token it hands out, so the token actually sent can be redacted by value. */
export function recordingCredential(inner: TokenCredential, registry: SecretRegistry): TokenCredential {
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await inner.getToken(scopes, options);
      if (token) registry.add(token.token);
      return token;
    },
  };
}

/** True for a word after `Bearer` that looks like a token rather than English. */
function tokenShaped(word: string): boolean {
  return word.length >= 20 || /[0-9_~+/=-]/.test(word) || /\.[A-Za-z0-9]/.test(word);
}

const PATTERNS: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/\b(Bearer\s+)([A-Za-z0-9._~+/=-]+)/gi, (match: string, prefix: string, word: string) => (tokenShaped(word) ? `${prefix}${REDACTED}` : match)],
  [/(AccountKey=)[^;\s"']+/gi, `$1${REDACTED}`],
  [/(SharedAccessSignature=)[^;\s"']+/gi, `$1${REDACTED}`],
  [/(SharedAccessKey=)[^;\s"']+/gi, `$1${REDACTED}`],
  [/([?&]sig=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/(client_secret=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/("?access_token"?\s*[:=]\s*"?)[^"&\s,}]+/gi, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

/** `text` with every known secret (by value) and every secret-shaped value (by pattern) replaced. */
export function redact(text: string, secrets: SecretRegistry | readonly string[] = []): string {
  let out = text;
  const forms = secrets instanceof SecretRegistry ? secrets.forms() : new SecretRegistry(secrets).forms();
  for (const form of forms) out = out.split(form).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement as string);
  return out;
}

/** A copy of `value` with every string in it redacted (objects and arrays walked). */
export function redactDeep<T>(value: T, secrets: SecretRegistry | readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  }
  return value;
}

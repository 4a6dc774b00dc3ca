/**
 * Last line of defence against printing a secret: every message that reaches a report goes through
 * here. Tokens, account keys, SAS signatures and client secrets are replaced, whatever their source
 * (an SDK error that echoes a URL, a connection string in a stack trace).
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]'],
  [/(AccountKey=)[^;\s"']+/gi, '$1[redacted]'],
  [/(SharedAccessSignature=)[^;\s"']+/gi, '$1[redacted]'],
  [/(SharedAccessKey=)[^;\s"']+/gi, '$1[redacted]'],
  [/([?&]sig=)[^&\s"']+/gi, '$1[redacted]'],
  [/(client_secret=)[^&\s"']+/gi, '$1[redacted]'],
  [/("?access_token"?\s*[:=]\s*"?)[^"&\s,}]+/gi, '$1[redacted]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

export function redact(text: string, extraSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of extraSecrets) {
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

import { ConfigError, MalformedResponseError, PermissionError, statusCodeOf } from './errors';
import { REQUIRED_PERMISSION } from './permissions';
import { redact } from './redact';
import type { CheckKind, Problem } from './report';

/** Turns anything a check threw into a report problem (exit code 2), naming the missing permission on 401/403. */
export function toProblem(check: CheckKind | null, error: unknown, secrets: readonly string[] = []): Problem {
  const text = (m: string): string => redact(m, secrets);
  if (error instanceof ConfigError) return { code: error.code, check, message: text(error.message), requiredPermission: null };
  if (error instanceof PermissionError) {
    return { code: 'PermissionDenied', check, message: text(error.message), requiredPermission: error.requiredPermission };
  }
  if (error instanceof MalformedResponseError) return { code: 'MalformedResponse', check, message: text(error.message), requiredPermission: null };
  const status = statusCodeOf(error);
  const message = text(error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
  if (status === 401 || status === 403) {
    const permission = check === null ? null : REQUIRED_PERMISSION[check];
    return {
      code: status === 401 ? 'AuthenticationFailed' : 'PermissionDenied',
      check,
      message: `${status === 401 ? 'not authenticated' : 'permission denied'} (${status}): ${message}${permission ? `; the verifying identity needs ${permission}` : ''}`,
      requiredPermission: permission,
    };
  }
  if (error instanceof Error && error.name === 'CredentialUnavailableError') {
    return { code: 'CredentialUnavailable', check, message: `no credential available: ${message}; choose one with --credential`, requiredPermission: null };
  }
  if (error instanceof Error && error.name === 'AuthenticationError') {
    return { code: 'AuthenticationFailed', check, message: `sign-in failed: ${message}`, requiredPermission: null };
  }
  return { code: 'RequestFailed', check, message: status ? `${message} (HTTP ${status})` : message, requiredPermission: null };
}

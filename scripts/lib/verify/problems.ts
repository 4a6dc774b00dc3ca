import { ConfigError, DeadlineError, HttpStatusError, MalformedResponseError, ownErrorIn, PermissionError, ResponseTooLargeError, statusCodeOf, UnexpectedAnswerError } from './errors';
import { REQUIRED_PERMISSION } from './permissions';
import { redact, type SecretRegistry } from './redact';
import type { CheckKind, Problem } from './report';

/** A problem message is cut here (after redaction): a server can echo a whole page into an error. */
export const MAX_MESSAGE_CHARS = 1_000;

/** Problem code of a request cut off by `--timeout`: such a run ends like any timeout (exit 3). */
export const RUN_TIMEOUT_CODE = 'Timeout';

function cut(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}… (${text.length - MAX_MESSAGE_CHARS} more characters not shown)` : text;
}

/**
 * Azure Storage's error code of a 403 (the SDK's `RestError.code`, from the `x-ms-error-code` header),
 * for the three refusals that need different fixes
 * (learn.microsoft.com/troubleshoot/azure/azure-storage/blobs/authentication/storage-troubleshoot-403-errors;
 * learn.microsoft.com/azure/storage/blobs/blob-access-points-troubleshoot: "The network rules of the storage
 * account block the client ... 403 with error code AuthorizationFailure").
 */
function storageRefusal(error: unknown, check: CheckKind | null): Omit<Problem, 'check'> | undefined {
  if (error instanceof HttpStatusError || statusCodeOf(error) !== 403) return undefined;
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'AuthorizationFailure':
      return {
        code: 'StorageNetworkDenied',
        message:
          'the storage account refused the request (403 AuthorizationFailure): its firewall does not admit the network this runs from (the archive account denies public network access). ' +
          'Run verify from a network the account allows (a runner in its virtual network, or one that reaches its private endpoint, with --blob-endpoint), ' +
          "add this runner's public IP address to the account's firewall for the run and remove it afterwards, or leave storage out with --skip storage",
        requiredPermission: null,
      };
    case 'AuthorizationPermissionMismatch': {
      const permission = REQUIRED_PERMISSION[check === 'canary' ? 'storage' : check ?? 'storage'];
      return {
        code: 'PermissionDenied',
        message: `permission denied (403 AuthorizationPermissionMismatch): the request reached the storage account but the verifying identity has no data role on it; it needs ${permission}`,
        requiredPermission: permission,
      };
    }
    case 'KeyBasedAuthenticationNotPermitted':
      return {
        code: 'SharedKeyDisabled',
        message:
          'the storage account does not accept shared keys (403 KeyBasedAuthenticationNotPermitted), so AZURE_STORAGE_CONNECTION_STRING with an AccountKey cannot read it: ' +
          `unset it, and storage is read with the credential, which needs ${REQUIRED_PERMISSION.storage}`,
        requiredPermission: REQUIRED_PERMISSION.storage,
      };
    default:
      return undefined;
  }
}

/** Turns anything a check threw into a report problem (exit code 2), naming the missing permission on 401/403. */
export function toProblem(check: CheckKind | null, error: unknown, secrets: SecretRegistry | readonly string[] = []): Problem {
  const text = (m: string): string => cut(redact(m, secrets));
  const problem = (code: string, message: string, requiredPermission: string | null = null): Problem => ({ code, check, message: text(message), requiredPermission });
  if (error instanceof ConfigError) return problem(error.code, error.message);
  if (error instanceof PermissionError) return problem('PermissionDenied', error.message, error.requiredPermission);
  if (error instanceof MalformedResponseError) return problem('MalformedResponse', error.message);
  // Our transport's and withRetry's errors, also when an SDK or a credential chain wrapped them.
  const own = ownErrorIn(error);
  if (own instanceof DeadlineError) return problem(own.kind === 'run' ? RUN_TIMEOUT_CODE : 'RequestTimeout', own.message);
  if (own instanceof UnexpectedAnswerError) return problem('UnexpectedAnswer', own.message);
  if (own instanceof ResponseTooLargeError) return problem('ResponseTooLarge', own.message);
  const refusal = storageRefusal(error, check);
  if (refusal) return problem(refusal.code, refusal.message, refusal.requiredPermission);
  const status = statusCodeOf(error);
  // All of it, on one line: a sign-in error's reason (AADSTS...) comes after its first line.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
  if (status === 401 || status === 403) {
    const permission = check === null ? null : REQUIRED_PERMISSION[check];
    return problem(
      status === 401 ? 'AuthenticationFailed' : 'PermissionDenied',
      `${status === 401 ? 'not authenticated' : 'permission denied'} (${status}): ${message}${permission ? `; the verifying identity needs ${permission}` : ''}`,
      permission,
    );
  }
  if (error instanceof Error && error.name === 'CredentialUnavailableError') return problem('CredentialUnavailable', `no credential available: ${message}; choose one with --credential`);
  if (error instanceof Error && error.name === 'AuthenticationError') return problem('AuthenticationFailed', `sign-in failed: ${message}`);
  return problem('RequestFailed', status ? `${message} (HTTP ${status})` : message);
}

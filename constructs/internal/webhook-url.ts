/**
 * What is wrong with an action-group webhook URL, phrased as what to write instead, or undefined
 * when it is fine: an absolute https URL without credentials. Plain http sends the alert in clear
 * text; a user name or password in the URL ends up in Terraform state, plans and the portal. An
 * endpoint that needs authentication gets it from Entra ID (the receiver's `aadAuth`), not the URL.
 */
export function webhookUrlProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'an absolute https URL like https://example.com/hooks/alerts';
  }
  if (url.protocol === 'http:') return 'an https:// URL: over http the alert and the URL travel unencrypted';
  if (url.protocol !== 'https:') return 'an absolute https URL like https://example.com/hooks/alerts';
  if (url.username !== '' || url.password !== '') {
    return 'a URL without a user name or password (they would be stored in plain text in state and shown in plans): use a secret-free URL, and aadAuth for an endpoint that needs authentication';
  }
  return undefined;
}

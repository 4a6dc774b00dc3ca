import { str } from '../values';
import { fmt, get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/** Application credential resources (azuread v3.7.0 docs/resources/app_role_assignment.md; learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent). */
export const CREDENTIAL_TYPES: Readonly<Record<string, string>> = {
  azuread_application_password: 'client secret',
  azuread_application_certificate: 'certificate',
  azuread_application_federated_identity_credential: 'federated identity credential',
};

export const CredentialAdded: AuditRiskRule = {
  id: 'AR13',
  name: 'CredentialAdded',
  severity: 'high',
  description: 'Adds an application credential (secret, certificate, federated identity credential), or changes who a federated credential trusts.',
  check(change) {
    const kind = CREDENTIAL_TYPES[change.type];
    if (!kind) return [];
    if (change.action === 'create') {
      const subject = str(get(change.after, 'subject'));
      return [`${kind} added${subject ? ` for subject ${fmt(subject)}` : ''}`];
    }
    if (change.action === 'replace') return [`${kind} re-created: a new credential is issued`];
    if (change.type === 'azuread_application_federated_identity_credential' && isModified(change)) {
      return ['issuer', 'subject']
        .filter((field) => fmt(get(change.before, field)) !== fmt(get(change.after, field)))
        .map((field) => `federated credential now trusts ${field} ${fmt(get(change.after, field))} (was ${fmt(get(change.before, field))})`);
    }
    return [];
  },
};

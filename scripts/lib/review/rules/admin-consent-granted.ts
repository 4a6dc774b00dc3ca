import { permissionName } from '../known-ids';
import { str } from '../values';
import { get } from './helpers';
import type { AuditRiskRule } from './rule';

/** `azuread_app_role_assignment` is how admin consent to an application permission is granted (azuread v3.7.0 docs/resources/app_role_assignment.md; learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent). */
export const AdminConsentGranted: AuditRiskRule = {
  id: 'AR2',
  name: 'AdminConsentGranted',
  severity: 'critical',
  description: 'Creates (or re-creates) an app role assignment: admin consent to an application permission, a privilege escalation.',
  check(change) {
    if (change.type !== 'azuread_app_role_assignment') return [];
    if (change.action !== 'create' && change.action !== 'replace') return [];
    const role = str(get(change.after, 'app_role_id'));
    const principal = str(get(change.after, 'principal_object_id'));
    return [
      `admin consent granted: app role ${role ? permissionName(role) : '(known after apply)'} to service principal ${principal ?? '(known after apply)'}`,
    ];
  },
};

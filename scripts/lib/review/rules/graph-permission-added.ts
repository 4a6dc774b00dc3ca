import { permissionName, resourceAppName } from '../known-ids';
import { blocks, str, type Value } from '../values';
import { get } from './helpers';
import type { AuditRiskRule } from './rule';

function permissions(value: Value | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const resource of blocks(value)) {
    const app = str(resource.resource_app_id) ?? '(unknown app)';
    for (const access of blocks(resource.resource_access)) {
      const id = str(access.id);
      if (!id) continue;
      const type = str(access.type) ?? '?';
      out.set(`${app}|${id}|${type}`.toLowerCase(), `${resourceAppName(app)} ${permissionName(id)} [${type}]`);
    }
  }
  return out;
}

/** Declaring a permission does not grant it (azuread v3.7.0 docs/resources/app_role_assignment.md; learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent), but it is what consent is given to. */
export const GraphPermissionAdded: AuditRiskRule = {
  id: 'AR3',
  name: 'GraphPermissionAdded',
  severity: 'critical',
  description: 'Adds an API permission (`required_resource_access`) to an application, such as the log reader app.',
  check(change) {
    if (change.type !== 'azuread_application' || change.after === null) return [];
    if (change.action === 'delete' || change.action === 'move') return [];
    const before = permissions(get(change.before, 'required_resource_access'));
    const after = permissions(get(change.after, 'required_resource_access'));
    return [...after.entries()].filter(([key]) => !before.has(key)).map(([, label]) => `permission requested: ${label}`);
  },
};

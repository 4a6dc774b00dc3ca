import type { AuditRiskRule } from './rule';

/** Only synth diffs see `lifecycle.prevent_destroy`: Terraform plans do not carry it. */
export const PreventDestroyRemoved: AuditRiskRule = {
  id: 'AR6',
  name: 'PreventDestroyRemoved',
  severity: 'high',
  description: 'Removes `lifecycle.prevent_destroy` from a resource (visible in synth diffs only).',
  check(change) {
    if (!change.preventDestroy?.before || change.preventDestroy.after) return [];
    return change.action === 'delete'
      ? ['prevent_destroy is removed together with the resource']
      : ['lifecycle.prevent_destroy removed: Terraform will no longer refuse to destroy it'];
  },
};

import { blocks, num, str, type Value, type ValueObject } from '../values';
import { get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/**
 * Delete actions of `azurerm_storage_management_policy` rules, per action block.
 * Day values 0–99999, -1 means unset (azurerm v4.55.0 storage_management_policy_resource.go).
 */
const DELETE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  base_blob: [
    'delete_after_days_since_modification_greater_than',
    'delete_after_days_since_creation_greater_than',
    'delete_after_days_since_last_access_time_greater_than',
  ],
  snapshot: ['delete_after_days_since_creation_greater_than'],
  version: ['delete_after_days_since_creation'],
};

/** `rule name → "block.field" → days`, for enabled rules only. */
function deleteDays(policy: ValueObject): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const rule of blocks(get(policy, 'rule'))) {
    if (rule.enabled === false) continue;
    const days = new Map<string, number>();
    for (const actions of blocks(rule.actions)) {
      for (const [block, fields] of Object.entries(DELETE_FIELDS)) {
        for (const action of blocks(actions[block] as Value | undefined)) {
          for (const field of fields) {
            const value = num(action[field]);
            if (value !== undefined && value >= 0) days.set(`${block}.${field}`, value);
          }
        }
      }
    }
    out.set(str(rule.name) ?? '(unnamed)', days);
  }
  return out;
}

export const LifecycleDeleteSooner: AuditRiskRule = {
  id: 'AR9',
  name: 'LifecycleDeleteSooner',
  severity: 'high',
  description: 'Makes a storage lifecycle rule delete blobs, snapshots or versions sooner, or adds a delete action to an existing policy.',
  check(change) {
    if (change.type !== 'azurerm_storage_management_policy' || !isModified(change)) return [];
    const before = deleteDays(change.before);
    const out: string[] = [];
    for (const [rule, afterDays] of deleteDays(change.after)) {
      const beforeDays = before.get(rule);
      for (const [field, days] of afterDays) {
        const previous = beforeDays?.get(field);
        if (previous === undefined) out.push(`rule ${rule}: ${field} = ${days} added (blobs were not deleted this way before)`);
        else if (days < previous) out.push(`rule ${rule}: ${field} reduced from ${previous} to ${days} days`);
      }
    }
    return out;
  },
};

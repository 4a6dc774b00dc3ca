import { firstBlock, str } from '../values';
import { decreased, fmt, get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/**
 * Account-level `immutability_policy { state Disabled|Unlocked|Locked, period_since_creation_in_days }` and
 * container-level `azurerm_storage_container_immutability_policy { immutability_period_in_days, locked }`
 * (azurerm v4.55.0 storage_container_immutability_policy_resource.go and storage_account_resource.go).
 */
const STATE_STRENGTH: Readonly<Record<string, number>> = { Disabled: 0, Unlocked: 1, Locked: 2 };

export const ImmutabilityWeakened: AuditRiskRule = {
  id: 'AR7',
  name: 'ImmutabilityWeakened',
  severity: 'high',
  description: 'Shortens an immutability (WORM) period, unlocks or disables a policy, or removes the account-level `immutability_policy` block.',
  check(change) {
    if (!isModified(change)) return [];
    const out: string[] = [];
    if (change.type === 'azurerm_storage_container_immutability_policy') {
      const before = get(change.before, 'immutability_period_in_days');
      const after = get(change.after, 'immutability_period_in_days');
      if (decreased(before, after)) out.push(`immutability period reduced from ${fmt(before)} to ${fmt(after)} days`);
      if (get(change.before, 'locked') === true && get(change.after, 'locked') === false) out.push('immutability policy unlocked');
    }
    if (change.type === 'azurerm_storage_account') {
      const before = firstBlock(get(change.before, 'immutability_policy'));
      const after = firstBlock(get(change.after, 'immutability_policy'));
      if (before && !after) {
        out.push(`account immutability_policy removed (state was ${fmt(before.state)})`);
      } else if (before && after) {
        const b = STATE_STRENGTH[str(before.state) ?? ''];
        const a = STATE_STRENGTH[str(after.state) ?? ''];
        if (b !== undefined && a !== undefined && a < b) out.push(`account immutability state weakened from ${fmt(before.state)} to ${fmt(after.state)}`);
        if (decreased(before.period_since_creation_in_days, after.period_since_creation_in_days)) {
          out.push(`account immutability period reduced from ${fmt(before.period_since_creation_in_days)} to ${fmt(after.period_since_creation_in_days)} days`);
        }
      }
    }
    return out;
  },
};

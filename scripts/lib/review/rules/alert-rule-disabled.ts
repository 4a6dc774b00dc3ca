import { bool } from '../values';
import { get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/** `enabled` defaults to true (azurerm v4.55.0 monitor_scheduled_query_rules_alert_v2_resource.go). */
export const AlertRuleDisabled: AuditRiskRule = {
  id: 'AR11',
  name: 'AlertRuleDisabled',
  severity: 'high',
  description: 'Disables a scheduled query alert rule.',
  check(change) {
    if (change.type !== 'azurerm_monitor_scheduled_query_rules_alert_v2' || !isModified(change)) return [];
    const before = bool(get(change.before, 'enabled'), true);
    const after = bool(get(change.after, 'enabled'), true);
    return before === true && after === false ? ['alert rule disabled'] : [];
  },
};

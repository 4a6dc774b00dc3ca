import { num } from '../values';
import { get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/** Azure alert severity is 0–4 (azurerm v4.55.0 monitor_scheduled_query_rules_alert_v2_resource.go) and 0 is the most severe: a higher number is a LOWER severity. */
export const AlertSeverityLowered: AuditRiskRule = {
  id: 'AR15',
  name: 'AlertSeverityLowered',
  severity: 'medium',
  description: 'Lowers an alert rule severity, i.e. raises the number (0 is the most severe).',
  check(change) {
    if (change.type !== 'azurerm_monitor_scheduled_query_rules_alert_v2' || !isModified(change)) return [];
    const before = num(get(change.before, 'severity'));
    const after = num(get(change.after, 'severity'));
    return before !== undefined && after !== undefined && after > before ? [`severity lowered from Sev${before} to Sev${after}`] : [];
  },
};

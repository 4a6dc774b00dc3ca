import { deepEqual, str } from '../values';
import { fmt, get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/** The three destinations of an Entra diagnostic setting (azurerm v4.55.0 monitor_aad_diagnostic_setting_resource.go). */
const DESTINATIONS: readonly [string, string][] = [
  ['log_analytics_workspace_id', 'Log Analytics workspace'],
  ['storage_account_id', 'storage account'],
  ['eventhub_authorization_rule_id', 'Event Hub'],
];

export const DiagnosticDestinationRemoved: AuditRiskRule = {
  id: 'AR5',
  name: 'DiagnosticDestinationRemoved',
  severity: 'high',
  description: 'Removes a destination from the Entra diagnostic setting, or points it somewhere else.',
  check(change) {
    if (change.type !== 'azurerm_monitor_aad_diagnostic_setting' || !isModified(change)) return [];
    const out: string[] = [];
    for (const [field, label] of DESTINATIONS) {
      const before = get(change.before, field);
      const after = get(change.after, field);
      if (!str(before) || deepEqual(before, after)) continue;
      const removed = after === undefined || after === null || after === '';
      out.push(
        removed
          ? `${label} destination removed (was ${fmt(before)})`
          : `${label} destination changed from ${fmt(before)} to ${fmt(after)}`,
      );
    }
    return out;
  },
};

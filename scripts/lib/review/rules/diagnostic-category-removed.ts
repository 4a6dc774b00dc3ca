import { blockStrings, get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

export const DiagnosticCategoryRemoved: AuditRiskRule = {
  id: 'AR4',
  name: 'DiagnosticCategoryRemoved',
  severity: 'high',
  description: 'Removes a log category (`enabled_log`) from the Entra diagnostic setting.',
  check(change) {
    if (change.type !== 'azurerm_monitor_aad_diagnostic_setting' || !isModified(change)) return [];
    const after = new Set(blockStrings(get(change.after, 'enabled_log'), 'category'));
    return blockStrings(get(change.before, 'enabled_log'), 'category')
      .filter((category) => !after.has(category))
      .map((category) => `log category ${category} is no longer exported`);
  },
};

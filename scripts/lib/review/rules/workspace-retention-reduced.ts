import { fmt, decreased, get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/**
 * Workspace `retention_in_days`; table `retention_in_days` (interactive) and `total_retention_in_days`
 * (azurerm v4.55.0 log_analytics_workspace_resource.go and log_analytics_workspace_table_resource.go). A value that becomes unset falls back to a default, which may be shorter.
 */
const FIELDS: Readonly<Record<string, readonly [string, string][]>> = {
  azurerm_log_analytics_workspace: [['retention_in_days', 'workspace retention']],
  azurerm_log_analytics_workspace_table: [
    ['retention_in_days', 'table interactive retention'],
    ['total_retention_in_days', 'table total retention'],
  ],
};

export const WorkspaceRetentionReduced: AuditRiskRule = {
  id: 'AR8',
  name: 'WorkspaceRetentionReduced',
  severity: 'high',
  description: 'Reduces the retention of the Log Analytics workspace, or the interactive or total retention of a table.',
  check(change) {
    const fields = FIELDS[change.type];
    if (!fields || !isModified(change)) return [];
    const out: string[] = [];
    for (const [field, label] of fields) {
      const before = get(change.before, field);
      const after = get(change.after, field);
      if (decreased(before, after)) out.push(`${label} reduced from ${fmt(before)} to ${fmt(after)} days`);
      else if (typeof before === 'number' && (after === null || after === undefined)) out.push(`${label} of ${before} days removed: the default applies`);
    }
    return out;
  },
};

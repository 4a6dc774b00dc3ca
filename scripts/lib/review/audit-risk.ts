/** Runs the Audit-risk rule pack over stacks of changes; findings come back most severe first. */
import type { StackChanges } from './change-model';
import { AUDIT_RISK_RULES, SEVERITY_ORDER, type AuditRiskRule, type Finding } from './rules';

export function findAuditRisks(stacks: readonly StackChanges[], rules: readonly AuditRiskRule[] = AUDIT_RISK_RULES): Finding[] {
  const findings: { finding: Finding; order: number }[] = [];
  let order = 0;
  for (const rule of rules) {
    for (const stack of stacks) {
      const context = { locks: stack.locks ?? [] };
      for (const change of stack.changes) {
        for (const message of rule.check(change, context)) {
          findings.push({
            finding: { ruleId: rule.id, ruleName: rule.name, severity: rule.severity, stack: stack.stack, address: change.address, message },
            order: order++,
          });
        }
      }
    }
  }
  return findings
    .sort((x, y) => SEVERITY_ORDER.indexOf(x.finding.severity) - SEVERITY_ORDER.indexOf(y.finding.severity) || x.order - y.order)
    .map((f) => f.finding);
}

/** Every compliance rule, in id order. */
import type { ComplianceRule } from '../rule';
import { AuditTrailImmutable } from './audit-trail-immutable';
import { AuditTrailRetained } from './audit-trail-retained';
import { CoreCategoriesArchived } from './core-categories-archived';
import { CoreCategoriesInWorkspace } from './core-categories-in-workspace';
import { DeleteLocksInProduction } from './delete-locks-in-production';
import { EntraActivityLogsExported } from './entra-activity-logs-exported';
import { GraphActivityLogsExported } from './graph-activity-logs-exported';
import { PipelineHealthDetections } from './pipeline-health-detections';
import { ReaderSecretLifetime } from './reader-secret-lifetime';
import { RecentAuditTrailAvailable } from './recent-audit-trail-available';

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  CoreCategoriesInWorkspace,
  CoreCategoriesArchived,
  PipelineHealthDetections,
  DeleteLocksInProduction,
  ReaderSecretLifetime,
  AuditTrailRetained,
  RecentAuditTrailAvailable,
  AuditTrailImmutable,
  EntraActivityLogsExported,
  GraphActivityLogsExported,
];

export const RULE_IDS: readonly string[] = COMPLIANCE_RULES.map((r) => r.id);

const BY_ID = new Map(COMPLIANCE_RULES.map((r) => [r.id, r]));

/** The rule of that id, if any. */
export function findRule(id: string): ComplianceRule | undefined {
  return BY_ID.get(id);
}

export {
  AuditTrailImmutable,
  AuditTrailRetained,
  CoreCategoriesArchived,
  CoreCategoriesInWorkspace,
  DeleteLocksInProduction,
  EntraActivityLogsExported,
  GraphActivityLogsExported,
  PipelineHealthDetections,
  ReaderSecretLifetime,
  RecentAuditTrailAvailable,
};

/** The Audit-risk rule pack, most severe first. Ids are stable; never renumber. */
import { ActionGroupReceiverRemoved } from './action-group-receiver-removed';
import { AdminConsentGranted } from './admin-consent-granted';
import { AlertRuleDisabled } from './alert-rule-disabled';
import { AlertSeverityLowered } from './alert-severity-lowered';
import { AlertThresholdLoosened } from './alert-threshold-loosened';
import { AuditResourceDestroyed } from './audit-resource-destroyed';
import { CredentialAdded } from './credential-added';
import { CredentialLifetimeExtended } from './credential-lifetime-extended';
import { DiagnosticCategoryRemoved } from './diagnostic-category-removed';
import { DiagnosticDestinationRemoved } from './diagnostic-destination-removed';
import { EventHubRetentionReduced } from './event-hub-retention-reduced';
import { GraphPermissionAdded } from './graph-permission-added';
import { ImmutabilityWeakened } from './immutability-weakened';
import { LifecycleDeleteSooner } from './lifecycle-delete-sooner';
import { LockedParentChange } from './locked-parent-change';
import { PreventDestroyRemoved } from './prevent-destroy-removed';
import type { AuditRiskRule } from './rule';
import { WorkspaceRetentionReduced } from './workspace-retention-reduced';

export type { AuditRiskRule, Finding, RuleContext, Severity } from './rule';
export { SEVERITY_ORDER } from './rule';

export const AUDIT_RISK_RULES: readonly AuditRiskRule[] = [
  AuditResourceDestroyed,
  AdminConsentGranted,
  GraphPermissionAdded,
  DiagnosticCategoryRemoved,
  DiagnosticDestinationRemoved,
  PreventDestroyRemoved,
  ImmutabilityWeakened,
  WorkspaceRetentionReduced,
  LifecycleDeleteSooner,
  EventHubRetentionReduced,
  AlertRuleDisabled,
  ActionGroupReceiverRemoved,
  CredentialAdded,
  CredentialLifetimeExtended,
  AlertSeverityLowered,
  AlertThresholdLoosened,
  LockedParentChange,
];

/** Facts of a stack that meets every rule of every profile, to change one thing at a time in rule tests. */
import type { AuditFacts, CategoryFacts, DetectionFacts } from '../../../constructs/compliance/facts';
import { findCategory } from '../../../constructs/internal/log-categories';
import type { DestinationKind } from '../../../constructs/entra-diagnostic-settings';

export const ALL: readonly DestinationKind[] = ['logAnalytics', 'eventHub', 'storage'];

export function category(name: string, destinations: readonly DestinationKind[] = ALL): CategoryFacts {
  return { category: name, table: findCategory(name)?.table, destinations };
}

export function detection(key: string, enabled = true): DetectionFacts {
  return { key, displayName: key, custom: false, severity: 1, enabled, tactics: ['TA0005'], techniques: ['T1562.008'], tables: [] };
}

const CATEGORIES = ['AuditLogs', 'SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs', 'ProvisioningLogs', 'MicrosoftGraphActivityLogs'];

/** Every table kept 90 days interactive and 365 in total, set by tableDefaults. */
function tables(names: readonly string[]) {
  return Object.fromEntries(
    names.map((c) => [
      findCategory(c)!.table,
      { plan: 'Analytics' as const, retentionInDays: 90, totalRetentionInDays: 365, retentionSetting: 'retentionInDays', totalRetentionSetting: 'tableDefaults.totalRetentionInDays' },
    ]),
  );
}

export function compliantFacts(overrides: Partial<AuditFacts> = {}): AuditFacts {
  return {
    path: 'contoso-prod',
    production: true,
    diagnostics: { path: 'contoso-prod/DiagnosticSettings', settings: [{ name: 'entra-audit-contoso-prod-law-evh-st', destinations: ALL, categories: CATEGORIES }] },
    categories: CATEGORIES.map((c) => category(c)),
    logAnalytics: { path: 'contoso-prod/LogAnalytics', existing: false, workspaceRetentionInDays: 90, tables: tables(CATEGORIES), lock: 'locked' },
    eventHub: { path: 'contoso-prod/EventHub', existing: false, messageRetentionInDays: 7, lock: 'locked' },
    storage: { path: 'contoso-prod/Storage', existing: false, retentionInDays: 365, immutability: { periodInDays: 90, locked: false }, lock: 'locked' },
    alerts: { path: 'contoso-prod/Alerts', detections: [detection('no-audit-logs-ingested'), detection('no-sign-in-logs-ingested')] },
    readerApp: { path: 'contoso-prod/ReaderApp', graphPermissions: ['AuditLog.Read.All', 'Directory.Read.All'], credential: { type: 'secret', lifetimeInDays: 180, intervalInDays: 90, maxLifetimeInDays: 365, keyVault: false } },
    ...overrides,
  };
}

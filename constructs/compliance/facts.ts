/**
 * What a stack collects, where, and for how long, read from its constructs: the one model the
 * compliance rules check and the coverage report renders. Pure data, no tokens: a value Terraform
 * only knows at plan time (the retention of an existing workspace) is `undefined` here.
 */
import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { DestinationKind, EntraDiagnosticSettings } from '../entra-diagnostic-settings';
import { EntraAlertRules } from '../entra-alert-rules/entra-alert-rules';
import { findDetection } from '../entra-alert-rules/catalog';
import { EntraReaderApp, secretSchedule } from '../entra-reader-app';
import { EventHubDestination } from '../event-hub-destination';
import { LogAnalyticsDestination } from '../log-analytics-destination';
import { StorageArchiveDestination } from '../storage-archive-destination';
import { findCategory } from '../internal/log-categories';
import { AuditDataLock } from '../audit-data-lock';

/** Whether a destination carries its delete lock. */
export type LockState = 'locked' | 'suspended' | 'none';

/** Retention of one table in the workspace. `undefined` days: read from an existing workspace at plan time. */
export interface TableFacts {
  readonly plan: 'Analytics' | 'Basic';
  /** Interactive (analytics) retention; undefined on the Basic plan or when read at plan time. */
  readonly retentionInDays?: number;
  /** Interactive plus long-term retention. */
  readonly totalRetentionInDays?: number;
  /** The setting (relative to the workspace's settings) that sets the interactive retention; undefined when none does. */
  readonly retentionSetting?: string;
  /** The setting that sets the total retention; undefined when it follows the interactive retention. */
  readonly totalRetentionSetting?: string;
}

export interface LogAnalyticsFacts {
  readonly path: string;
  /** An existing workspace (`existingWorkspaceId`): its own retention is read at plan time. */
  readonly existing: boolean;
  /** The workspace's interactive retention, when known at synth. */
  readonly workspaceRetentionInDays?: number;
  /** The managed tables, by table name. */
  readonly tables: Readonly<Record<string, TableFacts>>;
  readonly lock: LockState;
  readonly lockSuspensionReason?: string;
}

export interface StorageFacts {
  readonly path: string;
  readonly existing: boolean;
  /** Days the lifecycle policy keeps archived logs; undefined when the policy is managed elsewhere. */
  readonly retentionInDays?: number;
  readonly immutability?: { readonly periodInDays: number; readonly locked: boolean };
  readonly lock: LockState;
  readonly lockSuspensionReason?: string;
}

export interface EventHubFacts {
  readonly path: string;
  readonly existing: boolean;
  readonly messageRetentionInDays: number;
  readonly lock: LockState;
  readonly lockSuspensionReason?: string;
}

/** One routed category and the destinations it goes to. */
export interface CategoryFacts {
  readonly category: string;
  /** Its Log Analytics table, for a category the toolkit knows. */
  readonly table?: string;
  readonly destinations: readonly DestinationKind[];
}

/** One Entra diagnostic setting. */
export interface SettingFacts {
  readonly name: string;
  readonly destinations: readonly DestinationKind[];
  readonly categories: readonly string[];
}

/** One alert rule as deployed. */
export interface DetectionFacts {
  readonly key: string;
  readonly displayName: string;
  readonly custom: boolean;
  readonly severity: number;
  /** `false`: deployed switched off (`overrides.<key>.enabled: false`). */
  readonly enabled: boolean;
  /** MITRE ATT&CK tactic ids, from the catalog (custom detections have none). */
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly tables: readonly string[];
}

export interface AlertFacts {
  readonly path: string;
  /** Every deployed rule, catalog ones in catalog order, then custom ones. */
  readonly detections: readonly DetectionFacts[];
}

export interface ReaderAppFacts {
  readonly path: string;
  readonly graphPermissions: readonly string[];
  readonly credential:
    | { readonly type: 'none' }
    | { readonly type: 'federated'; readonly subjects: readonly string[] }
    | { readonly type: 'secret'; readonly lifetimeInDays: number; readonly intervalInDays: number; readonly maxLifetimeInDays: number; readonly keyVault: boolean };
}

/** Everything the rules and the report read about one stack. */
export interface AuditFacts {
  /** Path of the scope the facts were read from (the stack). */
  readonly path: string;
  readonly production: boolean;
  readonly diagnostics?: { readonly path: string; readonly settings: readonly SettingFacts[] };
  /** Routed categories, in routing order. */
  readonly categories: readonly CategoryFacts[];
  readonly logAnalytics?: LogAnalyticsFacts;
  readonly eventHub?: EventHubFacts;
  readonly storage?: StorageFacts;
  readonly alerts?: AlertFacts;
  readonly readerApp?: ReaderAppFacts;
}

/** Thrown when a scope holds more than one construct of a kind the facts expect once. */
export class AuditFactsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditFactsError';
  }
}

/** A number known at synth, or undefined for a token. */
function known(value: number | undefined): number | undefined {
  return value === undefined || Token.isUnresolved(value) ? undefined : value;
}

function lockState(protection: { lock?: boolean; lockSuspension?: { reason: string } }, lock: AuditDataLock | undefined): LockState {
  if (lock) return 'locked';
  return protection.lock && protection.lockSuspension ? 'suspended' : 'none';
}

function one<T>(scope: IConstruct, type: abstract new (...args: never[]) => T, name: string): T | undefined {
  const found = scope.node.findAll().filter((c): c is IConstruct & T => c instanceof type);
  if (found.length > 1) {
    throw new AuditFactsError(
      `[${scope.node.path}] compliance checks and the coverage report read one ${name} per stack; found ${found.length} (${found.map((c) => c.node.path).join(', ')}). Put each set of destinations in a stack of its own`,
    );
  }
  return found[0] as T | undefined;
}

/** Reads the facts of the audit logging in `scope` (a stack). */
export function auditFacts(scope: IConstruct, options: { readonly production?: boolean } = {}): AuditFacts {
  const law = one(scope, LogAnalyticsDestination, 'LogAnalyticsDestination');
  const evh = one(scope, EventHubDestination, 'EventHubDestination');
  const st = one(scope, StorageArchiveDestination, 'StorageArchiveDestination');
  const diagnostics = one(scope, EntraDiagnosticSettings, 'EntraDiagnosticSettings');
  const alerts = one(scope, EntraAlertRules, 'EntraAlertRules');
  const reader = one(scope, EntraReaderApp, 'EntraReaderApp');

  const categories: CategoryFacts[] = Object.entries(diagnostics?.routing ?? {})
    .filter(([, kinds]) => kinds.length > 0)
    .map(([category, kinds]) => ({ category, table: findCategory(category)?.table, destinations: [...kinds] }));

  return {
    path: scope.node.path,
    production: options.production ?? false,
    diagnostics: diagnostics && {
      path: diagnostics.node.path,
      settings: diagnostics.groups.map((g) => ({ name: g.name, destinations: [...g.kinds], categories: [...g.categories] })),
    },
    categories,
    logAnalytics: law && {
      path: law.node.path,
      existing: law.workspace === undefined,
      workspaceRetentionInDays: known(law.workspaceRetentionInDays),
      tables: Object.fromEntries(
        Object.entries(law.tableRetention).map(([name, t]) => [
          name,
          {
            plan: t.plan ?? 'Analytics',
            retentionInDays: known(t.retentionInDays),
            totalRetentionInDays: known(t.totalRetentionInDays),
            retentionSetting: law.tableRetentionSettings[name]?.retentionInDays,
            totalRetentionSetting: law.tableRetentionSettings[name]?.totalRetentionInDays,
          },
        ]),
      ),
      lock: lockState(law.protection, law.lock),
      lockSuspensionReason: law.protection.lockSuspension?.reason,
    },
    eventHub: evh && {
      path: evh.node.path,
      existing: evh.namespace === undefined,
      messageRetentionInDays: evh.messageRetentionInDays,
      lock: lockState(evh.protection, evh.lock),
      lockSuspensionReason: evh.protection.lockSuspension?.reason,
    },
    storage: st && {
      path: st.node.path,
      existing: st.account === undefined,
      retentionInDays: st.retentionInDays,
      immutability: st.immutability && { periodInDays: st.immutability.periodInDays, locked: st.immutability.locked ?? false },
      lock: lockState(st.protection, st.lock),
      lockSuspensionReason: st.protection.lockSuspension?.reason,
    },
    alerts: alerts && {
      path: alerts.node.path,
      detections: alerts.resolvedRules.map((r) => {
        const catalog = r.custom ? undefined : findDetection(r.key);
        return {
          key: r.key,
          displayName: r.displayName,
          custom: r.custom,
          severity: r.severity,
          enabled: r.enabled,
          tactics: [...(catalog?.tactics ?? [])],
          techniques: [...(catalog?.techniques ?? [])],
          tables: [...r.tables],
        };
      }),
    },
    readerApp: reader && {
      path: reader.node.path,
      graphPermissions: [...reader.graphPermissions],
      credential: readerCredential(reader),
    },
  };
}

function readerCredential(reader: EntraReaderApp): ReaderAppFacts['credential'] {
  const c = reader.credential;
  if (c.type === 'federated') return { type: 'federated', subjects: c.federated.map((f) => f.subject) };
  if (c.type === 'secret') {
    const s = secretSchedule(c);
    return { type: 'secret', lifetimeInDays: s.lifetimeInDays, intervalInDays: s.intervalInDays, maxLifetimeInDays: s.maxLifetimeInDays, keyVault: c.keyVaultId !== undefined };
  }
  return { type: 'none' };
}

/** The retention a destination gives one category. */
export interface CategoryRetention {
  /** Workspace interactive retention (queryable at once), when routed there and known. */
  readonly interactiveInDays?: number;
  /** Workspace total retention, when routed there and known. */
  readonly workspaceTotalInDays?: number;
  /** Archive lifecycle retention, when archived and managed here. */
  readonly archiveInDays?: number;
  /** Event Hub message retention, when streamed. */
  readonly streamInDays?: number;
}

/**
 * What each destination keeps of one category. A category without a managed table (one of
 * `additionalCategories`) keeps the workspace's retention.
 */
export function categoryRetention(facts: AuditFacts, category: CategoryFacts): CategoryRetention {
  const out: { -readonly [K in keyof CategoryRetention]: CategoryRetention[K] } = {};
  if (category.destinations.includes('logAnalytics') && facts.logAnalytics) {
    const table = category.table ? facts.logAnalytics.tables[category.table] : undefined;
    if (table) {
      out.interactiveInDays = table.plan === 'Basic' ? undefined : table.retentionInDays;
      out.workspaceTotalInDays = table.totalRetentionInDays;
    } else {
      out.interactiveInDays = facts.logAnalytics.workspaceRetentionInDays;
      out.workspaceTotalInDays = facts.logAnalytics.workspaceRetentionInDays;
    }
  }
  if (category.destinations.includes('storage') && facts.storage) out.archiveInDays = facts.storage.retentionInDays;
  if (category.destinations.includes('eventHub') && facts.eventHub) out.streamInDays = facts.eventHub.messageRetentionInDays;
  return out;
}

import { DataAzurermLogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/data-azurerm-log-analytics-workspace';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AuditDataLock, AuditDataProtection, protectAuditData } from './audit-data-lock';
import { findCategory } from './internal/log-categories';
import {
  armIdPattern,
  parseArmId,
  Problem,
  ProblemList,
  throwIfProblems,
} from './internal/validation';
import { tagProblems } from './internal/tags';

/**
 * Workspace SKUs that can still be created. The provider also accepts `Premium` and `Standard`, but
 * the API refuses new workspaces with them (learn.microsoft.com/azure/azure-monitor/logs/cost-logs,
 * legacy pricing tiers; azurerm v4.55.0 log_analytics_workspace_resource.go).
 */
export const LOG_ANALYTICS_SKUS = ['PerGB2018', 'CapacityReservation'] as const;
export type LogAnalyticsSku = (typeof LOG_ANALYTICS_SKUS)[number];

/** Capacity reservation tiers in GB/day (TFAZ `log_analytics_workspace_resource.go`). */
export const RESERVATION_CAPACITIES = [100, 200, 300, 400, 500, 1000, 2000, 5000] as const;

/**
 * Total-retention values above 730 days that Azure accepts: whole years up to 12
 * (TFAZ `log_analytics_workspace_table_resource.go`; AMD `logs/data-retention-configure.md`).
 */
export const LONG_TERM_RETENTION_DAYS = [1095, 1460, 1826, 2191, 2556, 2922, 3288, 3653, 4018, 4383] as const;

/** Interactive retention of a workspace created without `retentionInDays`. */
export const DEFAULT_WORKSPACE_RETENTION_IN_DAYS = 90;

export const TABLE_PLANS = ['Analytics', 'Basic'] as const;
export type TablePlan = (typeof TABLE_PLANS)[number];

/** Retention of one Log Analytics table. */
export interface TableRetention {
  /**
   * Interactive (analytics) retention in days, 4–730. Not allowed on the Basic plan.
   * @default - the workspace's retention (written out explicitly, so plans settle)
   */
  readonly retentionInDays?: number;
  /**
   * Total retention (interactive + long-term) in days: 4–730 or one of 1095, 1460, 1826, 2191, 2556,
   * 2922, 3288, 3653, 4018, 4383. Never less than `retentionInDays`.
   * @default - equal to the interactive retention (on the Basic plan: the workspace's retention)
   */
  readonly totalRetentionInDays?: number;
  /**
   * Table plan. Only some Entra tables can be Basic, and log alerts cannot query Basic tables.
   * @default 'Analytics'
   */
  readonly plan?: TablePlan;
}

export interface LogAnalyticsDestinationProps {
  /**
   * ARM id of an existing workspace to use instead of creating one. Its own retention, SKU and
   * daily cap are left alone; per-table retention is still managed.
   * @default - a new workspace is created
   */
  readonly existingWorkspaceId?: string;
  /** Name of the new workspace: 4–63 characters, letters, digits and hyphens, alphanumeric at both ends. Required unless `existingWorkspaceId` is set. */
  readonly name?: string;
  /** Resource group of the new workspace. Required unless `existingWorkspaceId` is set. */
  readonly resourceGroupName?: string;
  /** Azure region of the new workspace. Required unless `existingWorkspaceId` is set. */
  readonly location?: string;
  /** @default 'PerGB2018' */
  readonly sku?: LogAnalyticsSku;
  /** GB/day reserved, only with the `CapacityReservation` SKU: 100, 200, 300, 400, 500, 1000, 2000 or 5000. */
  readonly reservationCapacityInGbPerDay?: number;
  /**
   * Workspace retention in days, 30–730.
   * @default 90
   */
  readonly retentionInDays?: number;
  /**
   * Daily ingestion cap in GB; -1 means no cap. A cap silently drops audit data once reached, so
   * none is set by default.
   * @default -1
   */
  readonly dailyQuotaGb?: number;
  /**
   * Allow shared-key (workspace key) access. Diagnostic settings do not need it.
   * @default false
   */
  readonly localAuthenticationEnabled?: boolean;
  /**
   * Tables to manage (e.g. `SigninLogs`, never the category name), each with its retention; unset
   * fields come from `tableDefaults`. Deleting a table resource reverts the table to workspace retention.
   * @default - no table is managed
   */
  readonly tables?: Readonly<Record<string, TableRetention>>;
  /**
   * Retention applied to every managed table where the table sets none.
   * @default - interactive retention of the workspace, total retention equal to the interactive one
   */
  readonly tableDefaults?: TableRetention;
  /**
   * Seconds to wait after creating a new workspace before its tables (and whatever depends on
   * {@link LogAnalyticsDestination.ready}, such as alert rules) are created: right after creation the
   * workspace answers `404 ResourceNotFound: Workspace not active` (hashicorp/terraform-provider-azurerm#30069,
   * #17145; Azure/terraform-azurerm-avm-ptn-aks-production#187). The wait runs once, when the workspace is
   * created (or replaced), never on later applies. 0 turns it off. Needs the hashicorp/time provider in the stack.
   * Ignored with `existingWorkspaceId`.
   * @default 120
   */
  readonly activationWaitInSeconds?: number;
  /** Protection against deletion. @default - none */
  readonly protection?: AuditDataProtection;
  /** Tags for the new workspace. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const WORKSPACE_ID = armIdPattern('Microsoft.OperationalInsights/workspaces');
const WORKSPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/;
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Every problem with `props`, paths relative to the props. Pure: used by the constructor and by configuration validation. */
export function logAnalyticsDestinationProblems(props: LogAnalyticsDestinationProps): Problem[] {
  const p = new ProblemList();
  if (props.existingWorkspaceId !== undefined) {
    p.matches(
      'existingWorkspaceId',
      props.existingWorkspaceId,
      WORKSPACE_ID,
      'an ARM id like /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>',
    );
  } else {
    if (props.name === undefined) p.add('name', undefined, 'a workspace name (or set existingWorkspaceId)');
    p.matches('name', props.name, WORKSPACE_NAME, '4–63 letters, digits or hyphens, starting and ending with a letter or digit');
    if (props.resourceGroupName === undefined) p.add('resourceGroupName', undefined, 'a resource group name');
    if (props.location === undefined) p.add('location', undefined, 'an Azure region');
  }
  p.oneOf('sku', props.sku, LOG_ANALYTICS_SKUS);
  p.integerInRange('activationWaitInSeconds', props.activationWaitInSeconds, 0, 900);
  p.integerInRange('retentionInDays', props.retentionInDays, 30, 730);
  if (props.dailyQuotaGb !== undefined && props.dailyQuotaGb !== -1 && !(props.dailyQuotaGb > 0)) {
    p.add('dailyQuotaGb', props.dailyQuotaGb, '-1 (no cap, recommended for audit data) or a positive number of GB');
  }
  if (props.sku === 'CapacityReservation') {
    if (props.reservationCapacityInGbPerDay === undefined) {
      p.add('reservationCapacityInGbPerDay', undefined, `one of ${RESERVATION_CAPACITIES.join(', ')} with the CapacityReservation SKU`);
    } else {
      p.oneOf('reservationCapacityInGbPerDay', props.reservationCapacityInGbPerDay, RESERVATION_CAPACITIES);
    }
  } else if (props.reservationCapacityInGbPerDay !== undefined) {
    p.add('reservationCapacityInGbPerDay', props.reservationCapacityInGbPerDay, 'unset unless sku is CapacityReservation');
  }
  if (props.tableDefaults) tableRetentionProblems(p, 'tableDefaults', props.tableDefaults);
  const reportedDefaults = new Set<string>();
  for (const [table, retention] of Object.entries(props.tables ?? {})) {
    const base = `tables.${table}`;
    if (!TABLE_NAME.test(table)) p.add(base, table, 'a Log Analytics table name such as SigninLogs');
    const asCategory = findCategory(table);
    if (asCategory && asCategory.table !== table) p.add(base, table, `the table name ${JSON.stringify(asCategory.table)}, not the category name`);
    tableRetentionProblems(p, base, retention);
    // An existing workspace's retention is read at plan time; a new one's is known now.
    const resolved = resolveTableRetention(retention, props.tableDefaults, props.existingWorkspaceId === undefined ? (props.retentionInDays ?? DEFAULT_WORKSPACE_RETENTION_IN_DAYS) : undefined);
    if (
      resolved.retentionInDays !== undefined &&
      resolved.totalRetentionInDays !== undefined &&
      resolved.totalRetentionInDays < resolved.retentionInDays &&
      (retention.retentionInDays === undefined || retention.totalRetentionInDays === undefined)
    ) {
      // Total retention includes the interactive one, so it can't be shorter; a table without its own
      // interactive retention inherits the workspace's (learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure,
      // "Configure table-level retention"). Each cause is reported once, where it is written.
      const defaults = props.tableDefaults ?? {};
      const bothFromDefaults = retention.retentionInDays === undefined && retention.totalRetentionInDays === undefined && defaults.retentionInDays !== undefined;
      const fromWorkspace = retention.retentionInDays === undefined && defaults.retentionInDays === undefined;
      const path = retention.totalRetentionInDays === undefined && retention.retentionInDays === undefined ? 'tableDefaults.totalRetentionInDays' : `${base}.totalRetentionInDays`;
      if (!bothFromDefaults && !reportedDefaults.has(path)) {
        reportedDefaults.add(path);
        const inherited = `${resolved.retentionInDays} days, ${props.retentionInDays === undefined ? 'the default' : 'the workspace retentionInDays'}`;
        const expected = !fromWorkspace
          ? `at least the interactive retention (${resolved.retentionInDays}), counting tableDefaults`
          : path.startsWith('tableDefaults')
            ? `at least the interactive retention tables inherit from the workspace (${inherited}): raise it, or set retentionInDays in tableDefaults`
            : `at least the interactive retention the table inherits from the workspace (${inherited}): raise it, or set the table's retentionInDays`;
        p.add(path, resolved.totalRetentionInDays, expected);
      }
    }
  }
  p.items.push(...tagProblems(props.tags));
  return p.items;
}

/**
 * A table's retention with every default filled in from `defaults` and then from the workspace.
 *
 * Both retention attributes of `azurerm_log_analytics_workspace_table` are Optional and not Computed,
 * and Read stores what Azure returns (internal/services/loganalytics/log_analytics_workspace_table_resource.go,
 * hashicorp/terraform-provider-azurerm v4.55.0; its `TestAccLogAnalyticsWorkspaceTable_updateTableRetention`
 * expects a non-empty plan when `retention_in_days` is left out). Left out, every later plan would show
 * `90 → null`. So both are always written: interactive retention on Analytics tables (Read ignores it on
 * Basic ones, and 4.55 rejects it there), total retention on every table.
 */
export function resolveTableRetention(table: TableRetention, defaults: TableRetention = {}, workspaceRetentionInDays?: number): TableRetention {
  const plan = table.plan ?? defaults.plan ?? 'Analytics';
  const retentionInDays = plan === 'Basic' ? undefined : (table.retentionInDays ?? defaults.retentionInDays ?? workspaceRetentionInDays);
  return { plan, retentionInDays, totalRetentionInDays: table.totalRetentionInDays ?? defaults.totalRetentionInDays ?? retentionInDays ?? workspaceRetentionInDays };
}

/**
 * The props that set a table's interactive and total retention, as paths relative to the props
 * (`tables.AuditLogs.totalRetentionInDays`, `tableDefaults.retentionInDays`, `retentionInDays`), so that
 * a message can name the setting to change. Undefined: nothing sets it (the Basic plan's interactive
 * retention, an existing workspace's own retention, or a total equal to the interactive retention).
 */
export function tableRetentionSettings(
  name: string,
  table: TableRetention,
  defaults: TableRetention = {},
  existingWorkspace = false,
): { readonly retentionInDays?: string; readonly totalRetentionInDays?: string } {
  const plan = table.plan ?? defaults.plan ?? 'Analytics';
  const retentionInDays =
    plan === 'Basic'
      ? undefined
      : table.retentionInDays !== undefined
        ? `tables.${name}.retentionInDays`
        : defaults.retentionInDays !== undefined
          ? 'tableDefaults.retentionInDays'
          : existingWorkspace
            ? undefined
            : 'retentionInDays';
  const totalRetentionInDays =
    table.totalRetentionInDays !== undefined ? `tables.${name}.totalRetentionInDays` : defaults.totalRetentionInDays !== undefined ? 'tableDefaults.totalRetentionInDays' : undefined;
  return { retentionInDays, totalRetentionInDays };
}

function tableRetentionProblems(p: ProblemList, base: string, retention: TableRetention): void {
  p.oneOf(`${base}.plan`, retention.plan, TABLE_PLANS);
  if (retention.plan === 'Basic' && retention.retentionInDays !== undefined) {
    p.add(`${base}.retentionInDays`, retention.retentionInDays, 'unset: Basic tables have a fixed interactive retention');
  } else {
    p.integerInRange(`${base}.retentionInDays`, retention.retentionInDays, 4, 730);
  }
  const total = retention.totalRetentionInDays;
  if (total === undefined) return;
  const valid = Number.isInteger(total) && ((total >= 4 && total <= 730) || (LONG_TERM_RETENTION_DAYS as readonly number[]).includes(total));
  if (!valid) {
    p.add(`${base}.totalRetentionInDays`, total, `an integer from 4 to 730, or one of ${LONG_TERM_RETENTION_DAYS.join(', ')}`);
  } else if (retention.retentionInDays !== undefined && total < retention.retentionInDays) {
    p.add(`${base}.totalRetentionInDays`, total, `at least the interactive retention (${retention.retentionInDays})`);
  }
}

/**
 * The Log Analytics destination of Entra logs: a workspace (or an existing one) and per-table
 * interactive and total retention for the Entra tables it receives.
 *
 * Creates `azurerm_log_analytics_workspace` (PerGB2018, no daily cap, 90 days, no shared-key access)
 * and one `azurerm_log_analytics_workspace_table` per managed table.
 */
export class LogAnalyticsDestination extends Construct {
  /** ARM id of the workspace: what diagnostic settings and alert scopes take. */
  readonly workspaceResourceId: string;
  /** The workspace (customer) GUID: what the Logs query API takes. */
  readonly workspaceGuid: string;
  /** The workspace's interactive retention: configured for a new workspace, read at plan time for an existing one. */
  readonly workspaceRetentionInDays: number;
  /** The workspace created here, if any. */
  readonly workspace?: LogAnalyticsWorkspace;
  /**
   * Depend on this to be created only once the workspace accepts requests: the activation wait after a
   * new workspace, else the workspace (or nothing, for an existing one).
   */
  readonly ready: readonly ITerraformDependable[];
  /** The `time_sleep` after a new workspace, if any: its stack needs the hashicorp/time provider. */
  readonly activationWait?: Sleep;
  /** The table resources, by table name. */
  readonly tables: Readonly<Record<string, LogAnalyticsWorkspaceTable>>;
  /**
   * Each managed table's retention with every default filled in (see {@link resolveTableRetention}): what
   * its table resource declares. With an existing workspace and no `tableDefaults`, the inherited values
   * are tokens read at plan time.
   */
  readonly tableRetention: Readonly<Record<string, TableRetention>>;
  /** The props that set each managed table's retention (see {@link tableRetentionSettings}). */
  readonly tableRetentionSettings: Readonly<Record<string, { readonly retentionInDays?: string; readonly totalRetentionInDays?: string }>>;
  /** The protection asked for. */
  readonly protection: AuditDataProtection;
  /** The delete lock, when `protection.lock` is on and not suspended. */
  readonly lock?: AuditDataLock;

  constructor(scope: Construct, id: string, props: LogAnalyticsDestinationProps) {
    super(scope, id);
    throwIfProblems(this, logAnalyticsDestinationProblems(props));

    if (props.existingWorkspaceId !== undefined) {
      const existing = parseArmId(props.existingWorkspaceId);
      const data = new DataAzurermLogAnalyticsWorkspace(this, 'Existing', {
        name: existing.name,
        resourceGroupName: existing.resourceGroupName,
      });
      this.workspaceResourceId = props.existingWorkspaceId;
      this.workspaceGuid = data.workspaceId;
      this.workspaceRetentionInDays = data.retentionInDays;
    } else {
      this.workspace = new LogAnalyticsWorkspace(this, 'Resource', {
        name: props.name!,
        resourceGroupName: props.resourceGroupName!,
        location: props.location!,
        sku: props.sku ?? 'PerGB2018',
        reservationCapacityInGbPerDay: props.reservationCapacityInGbPerDay,
        retentionInDays: props.retentionInDays ?? DEFAULT_WORKSPACE_RETENTION_IN_DAYS,
        dailyQuotaGb: props.dailyQuotaGb ?? -1,
        localAuthenticationEnabled: props.localAuthenticationEnabled ?? false,
        tags: props.tags ? { ...props.tags } : undefined,
      });
      this.workspaceResourceId = this.workspace.id;
      this.workspaceGuid = this.workspace.workspaceId;
      this.workspaceRetentionInDays = props.retentionInDays ?? DEFAULT_WORKSPACE_RETENTION_IN_DAYS;
    }
    const wait = this.workspace ? (props.activationWaitInSeconds ?? 120) : 0;
    if (this.workspace && wait > 0) {
      this.activationWait = new Sleep(this, 'ActivationWait', { createDuration: `${wait}s`, triggers: { workspace_id: this.workspace.id }, dependsOn: [this.workspace] });
    }
    this.ready = this.activationWait ? [this.activationWait] : this.workspace ? [this.workspace] : [];

    const tablesScope = new Construct(this, 'Tables');
    const tables: Record<string, LogAnalyticsWorkspaceTable> = {};
    const tableRetention: Record<string, TableRetention> = {};
    const settings: Record<string, { retentionInDays?: string; totalRetentionInDays?: string }> = {};
    for (const [name, table] of Object.entries(props.tables ?? {})) {
      const retention = resolveTableRetention(table, props.tableDefaults, this.workspaceRetentionInDays);
      tableRetention[name] = retention;
      settings[name] = tableRetentionSettings(name, table, props.tableDefaults, props.existingWorkspaceId !== undefined);
      tables[name] = new LogAnalyticsWorkspaceTable(tablesScope, name, {
        name,
        workspaceId: this.workspaceResourceId,
        plan: retention.plan,
        retentionInDays: retention.retentionInDays,
        totalRetentionInDays: retention.totalRetentionInDays,
        dependsOn: this.ready.length > 0 ? [...this.ready] : undefined,
      });
    }
    this.tables = tables;
    this.tableRetention = tableRetention;
    this.tableRetentionSettings = settings;

    this.protection = props.protection ?? {};
    this.lock = protectAuditData(this, props.protection, this.workspaceResourceId, this.workspace ? [this.workspace] : []);
  }
}

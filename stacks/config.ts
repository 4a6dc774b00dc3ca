/**
 * Loads and validates the configuration file, and turns each environment into the props of the
 * constructs its stack is built from. Every problem in the file is reported in one run, each with its
 * path in the file, the value found and what is allowed; nothing is synthesized while any remains.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DESTINATION_KINDS, groupRouting, resolveRouting, entraDiagnosticSettingsProblems, DestinationKind, EntraDiagnosticSettingsProps } from '../constructs/entra-diagnostic-settings';
import { entraReaderAppProblems, EntraReaderAppProps } from '../constructs/entra-reader-app';
import { eventHubDestinationProblems, EventHubDestinationProps } from '../constructs/event-hub-destination';
import { logAnalyticsDestinationProblems, LogAnalyticsDestinationProps, resolveTableRetention, TableRetention } from '../constructs/log-analytics-destination';
import { storageArchiveDestinationProblems, StorageArchiveDestinationProps } from '../constructs/storage-archive-destination';
import { AuditDataProtection } from '../constructs/audit-data-lock';
import { AlertRulesProblem, entraAlertRulesProblems, EntraAlertRulesProps, howToRoute } from '../constructs/entra-alert-rules/entra-alert-rules';
import { entraCanaryAppProblems, EntraCanaryAppProps } from '../constructs/entra-canary-app';
import { auditWorkbookProblems, AuditWorkbookProps } from '../constructs/audit-workbook/audit-workbook';
import { availableSections } from '../constructs/audit-workbook/sections';
import { entraComplianceProblems, EntraComplianceProps } from '../constructs/compliance/entra-compliance';
import { alertProblemSetting, alertRulesPropsFromConfig, alertsConfigSchema } from './alerts-config';
import { AZURE_REGIONS } from '../constructs/internal/azure-regions';
import { findCategory, LOG_CATEGORIES, tableOfCategory } from '../constructs/internal/log-categories';
import { closest, GUID_PATTERN, GUID_TEXT, joinPath, oneOfText, Problem, renderProblem, show } from '../constructs/internal/validation';
import { EnvironmentConfig, environmentSchema, fileSchema } from './config-schema';
import { ConfigError, ConfigProblem, placed } from './config-error';
import { MAX_CONFIG_BYTES, parseConfigSource, readConfigFile } from './config-input';
import { pathSegments } from './config-position';
import { crossEnvironmentProblems, tagProblems, toolkitTags } from './config-limits';

export { ConfigError } from './config-error';

/** The default configuration file, relative to the project root. */
export const DEFAULT_CONFIG_PATH = 'stacks/environments.yaml';
/** Environment variable naming another configuration file. */
export const CONFIG_ENV_VAR = 'ENTRA_AUDIT_CONFIG';
/** Azure Monitor allows 5 diagnostic settings per resource; applied to the Entra tenant scope (see docs/decisions.md). */
export const MAX_SETTINGS_PER_TENANT = 5;

const TENANT_KEY = /^[a-z][a-z0-9]{1,15}$/;
const ENVIRONMENT_KEY = /^[a-z][a-z0-9]{1,9}$/;

export type BackendConfig = NonNullable<EnvironmentConfig['backend']>;

/** Everything one stack (one tenant and environment) is built from, with defaults resolved. */
export interface StackPlan {
  /** `<tenant>-<environment>`: the stack id and `cdktf deploy` argument. */
  readonly id: string;
  readonly tenantKey: string;
  readonly environmentKey: string;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly location: string;
  readonly production: boolean;
  readonly resourceGroupName: string;
  readonly createResourceGroup: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly protection: AuditDataProtection;
  /** Props without the resource group, location and tags the stack adds. */
  readonly logAnalytics?: LogAnalyticsDestinationProps;
  readonly eventHub?: EventHubDestinationProps;
  readonly storage?: StorageArchiveDestinationProps;
  /** Diagnostic settings without destinations (the stack wires them). */
  readonly diagnostics: Omit<EntraDiagnosticSettingsProps, 'destinations'> & { readonly routing: Readonly<Record<string, readonly DestinationKind[]>> };
  readonly readerApp?: EntraReaderAppProps;
  /** Alert rules on the workspace; the stack fills in `workspaceResourceId`. */
  readonly alerts?: Omit<EntraAlertRulesProps, 'workspaceResourceId'>;
  /** The canary app for `npm run verify -- --canary`. */
  readonly canary?: EntraCanaryAppProps;
  /** The audit workbook on the workspace; the stack fills in the workspace, what it waits for and the alert rules. */
  readonly workbook?: Omit<AuditWorkbookProps, 'workspaceResourceId' | 'firedAlerts' | 'dependsOn'>;
  /** Compliance profiles and suppressions; the stack adds production and where the settings live. */
  readonly compliance: Pick<EntraComplianceProps, 'profiles' | 'suppressions' | 'nist80053'>;
  readonly backend: BackendConfig;
}

/**
 * Reads, parses and validates a configuration file; throws {@link ConfigError} listing every problem.
 * A relative `file` is read from `baseDir` (default: the working folder) and named as given.
 */
export function loadConfig(file: string, baseDir?: string): StackPlan[] {
  const path = baseDir === undefined ? file : resolve(baseDir, file);
  return parseConfig(readConfigFile(file, `set ${CONFIG_ENV_VAR} to a readable YAML file`, MAX_CONFIG_BYTES, path), file);
}

/**
 * Parses and validates configuration text (YAML; JSON is valid YAML). Every problem is reported
 * once, at its line and column (`file:line:column: <setting>: got …; expected …`), in file order.
 */
export function parseConfig(text: string, file = '<config>'): StackPlan[] {
  const { raw, locate } = parseConfigSource(text, file);
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, ['the file is empty; expected a "tenants" map (see stacks/environments.yaml)']);
  }
  const problems: ConfigProblem[] = [];
  const plans = validateConfig(raw, problems);
  if (problems.length > 0) {
    const located = problems.map((p) => ({ position: locate(p.path, { key: p.key }), text: p.text }));
    // File order; a problem of the file as a whole (no position) first. The sort is stable.
    located.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.col ?? 0) - (b.position?.col ?? 0));
    throw new ConfigError(file, located.map((p) => placed(file, p.position, p.text)));
  }
  return plans;
}

/** Validates a parsed document; pushes its problems and returns the plans of the valid environments. */
export function validateConfig(raw: unknown, problems: ConfigProblem[]): StackPlan[] {
  const top = fileSchema.safeParse(raw);
  if (!top.success) {
    problems.push(...zodProblems(top.error, raw, ''));
    return [];
  }
  const plans: StackPlan[] = [];
  const tenants = Object.entries(top.data.tenants);
  if (tenants.length === 0) problems.push(located({ path: 'tenants', got: {}, expected: 'at least one tenant' }));
  for (const [tenantKey, tenant] of tenants) {
    const tenantPath = joinPath('tenants', tenantKey);
    const tenantKeyValid = TENANT_KEY.test(tenantKey);
    // Names derived from an invalid key are invalid too: reported with the key, not one by one.
    const derivedFromTenantKey: string[] = [];
    if (!GUID_PATTERN.test(tenant.tenantId)) problems.push(located({ path: `${tenantPath}.tenantId`, got: tenant.tenantId, expected: GUID_TEXT }));
    const environments = Object.entries(tenant.environments);
    if (environments.length === 0) problems.push(located({ path: `${tenantPath}.environments`, got: {}, expected: 'at least one environment' }));
    for (const [environmentKey, rawEnvironment] of environments) {
      const envPath = joinPath(`${tenantPath}.environments`, environmentKey);
      const environmentKeyValid = ENVIRONMENT_KEY.test(environmentKey);
      const parsed = environmentSchema.safeParse(rawEnvironment ?? {});
      let derived: string[] = [];
      if (!parsed.success) {
        problems.push(...zodProblems(parsed.error, rawEnvironment, envPath));
      } else {
        const result = planEnvironment(tenantKey, tenant.tenantId, environmentKey, parsed.data, tenantKeyValid && environmentKeyValid);
        problems.push(...result.problems.map((p) => located(p, envPath)));
        plans.push(result.plan);
        derived = result.invalidDerivedNames;
      }
      if (!environmentKeyValid) {
        problems.push(located({ path: envPath, got: environmentKey, expected: `an environment key of 2–10 lowercase letters and digits, starting with a letter${derivedNote(derived)}` }));
      } else {
        derivedFromTenantKey.push(...derived.map((d) => `${environmentKey}: ${d}`));
      }
    }
    if (!tenantKeyValid) {
      problems.push(located({ path: tenantPath, got: tenantKey, expected: `a tenant key of 2–16 lowercase letters and digits, starting with a letter (it names stacks and resources)${derivedNote(derivedFromTenantKey)}` }));
    }
  }
  problems.push(...tenantWideProblems(plans, top.data.tenants), ...crossEnvironmentProblems(plans));
  return plans;
}

/** A problem of one environment, relative to it. `at` is where it points when that is more precise than `path`, which names it in the message. */
interface EnvironmentProblem extends Problem {
  readonly at?: string;
}

/**
 * A problem placed at its setting. A problem about a key (a tenant or table name, a misspelt
 * category: the value shown is the path's last key) points at the key.
 */
function located(problem: EnvironmentProblem, prefix = ''): ConfigProblem {
  const under = (path: string) => (prefix ? (path ? `${prefix}.${path}` : prefix) : path);
  const path = under(problem.at ?? problem.path);
  const last = pathSegments(path).at(-1);
  return { path, key: typeof problem.got === 'string' && problem.got === last, text: renderProblem(problem, prefix) };
}

function derivedNote(names: readonly string[]): string {
  return names.length === 0 ? '' : `; the ${names.length === 1 ? 'name' : `${names.length} names`} derived from it ${names.length === 1 ? 'is' : 'are'} invalid until it is fixed (${listed(names)})`;
}

/** `a, b, c and 7 more`: at most `max` items named. */
function listed(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Entra diagnostic settings are tenant-wide: count them, and check their names, across all environments of a tenant. */
function tenantWideProblems(plans: readonly StackPlan[], tenants: Record<string, { tenantId: string }>): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const byTenantId = new Map<string, StackPlan[]>();
  for (const plan of plans) {
    const key = plan.tenantId.toLowerCase();
    byTenantId.set(key, [...(byTenantId.get(key) ?? []), plan]);
  }
  for (const [tenantId, group] of byTenantId) {
    const settings = group.flatMap((plan) => groupRouting(plan.diagnostics.name, plan.diagnostics.routing).map((s) => ({ plan, name: s.name })));
    const tenantKeys = Object.entries(tenants).filter(([, t]) => t.tenantId.toLowerCase() === tenantId).map(([k]) => k);
    if (settings.length > MAX_SETTINGS_PER_TENANT) {
      out.push(
        located({
          path: joinPath('tenants', tenantKeys[0]),
          got: settings.map((s) => `${s.plan.id}: ${s.name}`),
          expected: `at most ${MAX_SETTINGS_PER_TENANT} Entra diagnostic settings in tenant ${tenantId} across all its environments; route categories with the same destinations together, or use fewer environments in this tenant`,
        }),
      );
    }
    const seen = new Map<string, string>();
    for (const s of settings) {
      const lower = s.name.toLowerCase();
      const other = seen.get(lower);
      if (other !== undefined && other !== s.plan.id) {
        out.push(
          located({
            path: `${joinPath(joinPath('tenants', s.plan.tenantKey) + '.environments', s.plan.environmentKey)}.diagnosticSettingName`,
            got: s.name,
            expected: `a setting name unique in tenant ${tenantId} (also used by ${other}): Entra diagnostic settings are tenant-wide`,
          }),
        );
      }
      seen.set(lower, s.plan.id);
    }
  }
  return out;
}

/** Short, stable hash of the environment's identity, for globally unique derived names. */
function identityHash(tenantId: string, subscriptionId: string, tenantKey: string, environmentKey: string, length: number): string {
  return createHash('sha256').update(`${tenantId.toLowerCase()}/${subscriptionId.toLowerCase()}/${tenantKey}/${environmentKey}`).digest('hex').slice(0, length);
}

/** Derived names: always valid for Azure, and unique where Azure needs global uniqueness. */
export function derivedNames(tenantKey: string, tenantId: string, environmentKey: string, subscriptionId: string) {
  const stem = `${tenantKey}-${environmentKey}`;
  return {
    resourceGroupName: `rg-entra-audit-${stem}`,
    workspaceName: `log-entra-audit-${stem}`,
    // 6–50 characters, starts with a letter: "evhns-entra-" (12) + ≤27 + "-" + 8.
    namespaceName: `evhns-entra-${stem}-${identityHash(tenantId, subscriptionId, tenantKey, environmentKey, 8)}`,
    // 3–24 lowercase letters and digits: "st" + ≤12 + 10 hex digits.
    storageAccountName: `st${`${tenantKey}${environmentKey}`.slice(0, 12)}${identityHash(tenantId, subscriptionId, tenantKey, environmentKey, 10)}`,
    diagnosticSettingName: `entra-audit-${stem}`,
    readerAppDisplayName: `Entra audit reader (${stem})`,
  };
}

/**
 * Builds one environment's plan and checks it against the constructs' rules. One cause, one
 * problem: what follows from a setting already reported (routes to a disabled destination, the
 * tables and detections a misspelt category leaves without data, names derived from an invalid
 * key, the alert rules' copy of the location) is folded into that setting's problem.
 */
function planEnvironment(
  tenantKey: string,
  tenantId: string,
  environmentKey: string,
  env: EnvironmentConfig,
  keysValid: boolean,
): { plan: StackPlan; problems: EnvironmentProblem[]; invalidDerivedNames: string[] } {
  const problems: EnvironmentProblem[] = [];
  const invalidDerivedNames: string[] = [];
  const add = (path: string, got: unknown, expected: string, at?: string) => problems.push({ path, got, expected, at });
  // Settings whose value is derived from the tenant and environment keys (not written in the file).
  const derived = new Set<string>(
    [
      env.resourceGroupName === undefined && 'resourceGroupName',
      env.diagnosticSettingName === undefined && 'diagnosticSettingName',
      env.logAnalytics?.name === undefined && 'logAnalytics.name',
      env.eventHub?.namespaceName === undefined && 'eventHub.namespaceName',
      env.storage?.accountName === undefined && 'storage.accountName',
      env.readerApp?.displayName === undefined && 'readerApp.displayName',
    ].filter((p): p is string => p !== false),
  );
  const push = (p: Problem) => {
    if (!keysValid && derived.has(p.path)) invalidDerivedNames.push(`${p.path} ${show(p.got)}`);
    else problems.push(p);
  };
  // Construct props mostly mirror the configuration's keys; `rename` maps the rest (null: reported elsewhere).
  const prefixed = (prefix: string, list: Problem[], rename: Record<string, string | null> = {}) =>
    list.forEach((p) => {
      const head = p.path.split(/[.[]/)[0];
      if (rename[head] === null) return;
      const path = rename[head] !== undefined ? rename[head] + p.path.slice(head.length) : p.path;
      push({ ...p, path: prefix ? (path ? `${prefix}.${path}` : prefix) : path });
    });

  if (!GUID_PATTERN.test(env.subscriptionId)) add('subscriptionId', env.subscriptionId, GUID_TEXT);
  if (!AZURE_REGIONS.includes(env.location)) add('location', env.location, `an Azure region name such as westeurope${regionHint(env.location)}`);

  const names = derivedNames(tenantKey, tenantId, environmentKey, env.subscriptionId);
  const production = env.production ?? false;
  const protection: AuditDataProtection = {
    lock: env.protection?.lock ?? production,
    preventDestroy: env.protection?.preventDestroy ?? production,
    ...(env.protection?.lockSuspension ? { lockSuspension: env.protection.lockSuspension } : {}),
  };
  if (env.protection?.lockSuspension && env.protection.lockSuspension.reason.trim().length < 10) {
    add('protection.lockSuspension.reason', env.protection.lockSuspension.reason, 'a reason of at least 10 characters: it is shown at every synth while the locks are off');
  }
  const tags = { ...toolkitTags(tenantKey, environmentKey), ...(env.tags ?? {}) };
  const resourceGroupName = env.resourceGroupName ?? names.resourceGroupName;
  // Resource group and container name rules: learn.microsoft.com azure-resource-manager/management/resource-name-rules
  // (Microsoft.Resources/resourcegroups: 1–90 characters; Microsoft.Storage storageAccounts/blobServices/containers).
  if (!/^[-\w._()]{0,89}[-\w_()]$/.test(resourceGroupName)) push({ path: 'resourceGroupName', got: resourceGroupName, expected: '1–90 letters, digits, "-", "_", ".", "(" or ")", not ending with "."' });
  const common = { resourceGroupName, location: env.location, tags, protection };

  const enabled = {
    logAnalytics: env.logAnalytics?.enabled ?? true,
    eventHub: env.eventHub?.enabled ?? true,
    storage: env.storage?.enabled ?? true,
  };
  const placeholder = 'placeholder';
  const diagnosticsProps: EntraDiagnosticSettingsProps = {
    name: env.diagnosticSettingName ?? names.diagnosticSettingName,
    routing: env.routing,
    additionalCategories: env.additionalCategories,
    destinations: {
      logAnalyticsWorkspaceId: enabled.logAnalytics ? placeholder : undefined,
      eventHub: enabled.eventHub ? { authorizationRuleId: placeholder, hubName: placeholder } : undefined,
      storageAccountId: enabled.storage ? placeholder : undefined,
    },
  };
  const routing = resolveRouting(diagnosticsProps);
  const routedTo = (kind: DestinationKind) => Object.entries(routing).filter(([, kinds]) => kinds.includes(kind)).map(([c]) => c);

  // Routes to a disabled destination: one problem at its `enabled: false`, naming the categories.
  const routesToDisabled = new Map<DestinationKind, string[]>();
  // Misspelt categories, and the tables they leave unrouted: category → what else needs that table.
  const misspelt = new Map<string, { problem?: EnvironmentProblem; table?: string; needs: string[] }>();
  const categoryLeavingTable = new Map<string, string>();
  const additional = env.additionalCategories ?? [];
  for (const [category, kinds] of Object.entries(env.routing ?? {})) {
    if (findCategory(category) || additional.includes(category)) continue;
    const hint = closest(category, LOG_CATEGORIES.map((c) => c.category));
    const table = hint && kinds.includes('logAnalytics') && enabled.logAnalytics && !routing[hint]?.includes('logAnalytics') ? tableOfCategory(hint) : undefined;
    misspelt.set(category, { table, needs: [] });
    if (table) categoryLeavingTable.set(table, category);
  }
  for (const p of entraDiagnosticSettingsProblems(diagnosticsProps)) {
    const route = /^routing\.(.+)\[\d+\]$/.exec(p.path);
    const kind = DESTINATION_KINDS.find((k) => k === p.got);
    if (route && kind && !enabled[kind]) {
      routesToDisabled.set(kind, [...new Set([...(routesToDisabled.get(kind) ?? []), route[1]])]);
      continue;
    }
    const entry = p.path.startsWith('routing.') && typeof p.got === 'string' ? misspelt.get(p.got) : undefined;
    if (entry && p.path === `routing.${p.got}`) {
      entry.problem = { ...p, at: joinPath('routing', p.got as string) };
      continue;
    }
    const head = p.path.split(/[.[]/)[0];
    if (head === 'destinations') continue; // every destination disabled: reported below
    push({ ...p, path: head === 'name' ? `diagnosticSettingName${p.path.slice(head.length)}` : p.path });
  }

  let logAnalytics: LogAnalyticsDestinationProps | undefined;
  // A table configured in logAnalytics.tables but not routed there: table → its problem, to which alert detections reading it are added.
  const unroutedConfigured = new Map<string, { problem: Problem; needs: string[] }>();
  if (enabled.logAnalytics) {
    const { enabled: _enabled, tables: configured = {}, ...rest } = env.logAnalytics ?? {};
    const routedTables = [...new Set(routedTo('logAnalytics').map(tableOfCategory).filter((t): t is string => t !== undefined))];
    for (const table of Object.keys(configured)) {
      if (routedTables.includes(table)) continue;
      const cause = categoryLeavingTable.get(table);
      if (cause) {
        misspelt.get(cause)!.needs.unshift(joinPath('logAnalytics.tables', table));
        continue;
      }
      const hint = closest(table, routedTables);
      unroutedConfigured.set(table, {
        problem: { path: joinPath('logAnalytics.tables', table), got: table, expected: `a table this environment routes to Log Analytics (${routedTables.join(', ') || 'none'})${hint ? `; did you mean ${show(hint)}?` : ''}` },
        needs: [],
      });
    }
    const tables: Record<string, TableRetention> = Object.fromEntries(routedTables.map((t) => [t, configured[t] ?? {}]));
    logAnalytics = {
      ...common,
      ...rest,
      name: rest.existingWorkspaceId ? undefined : (rest.name ?? names.workspaceName),
      tables,
    };
    prefixed('logAnalytics', logAnalyticsDestinationProblems(logAnalytics), { tags: null });
  }

  let eventHub: EventHubDestinationProps | undefined;
  if (enabled.eventHub) {
    const { enabled: _enabled, ...rest } = env.eventHub ?? {};
    eventHub = { ...common, ...rest, namespaceName: rest.existingNamespaceId ? undefined : (rest.namespaceName ?? names.namespaceName) };
    prefixed('eventHub', eventHubDestinationProblems(eventHub), { tags: null });
  }

  let storage: StorageArchiveDestinationProps | undefined;
  if (enabled.storage) {
    const { enabled: _enabled, ...rest } = env.storage ?? {};
    storage = { ...common, ...rest, accountName: rest.existingAccountId ? undefined : (rest.accountName ?? names.storageAccountName), categories: routedTo('storage') };
    prefixed('storage', storageArchiveDestinationProblems(storage), { categories: 'routing', tags: null });
  }
  // Tags go on every resource: checked once, here (the destinations' own tag problems are skipped above).
  problems.push(...tagProblems(env.tags, storage !== undefined && storage.existingAccountId === undefined));

  let readerApp: EntraReaderAppProps | undefined;
  if (env.readerApp?.enabled ?? true) {
    const { enabled: _enabled, ...rest } = env.readerApp ?? {};
    readerApp = { ...rest, displayName: rest.displayName ?? names.readerAppDisplayName };
    prefixed('readerApp', entraReaderAppProblems(readerApp));
  }

  let alerts: Omit<EntraAlertRulesProps, 'workspaceResourceId'> | undefined;
  const alertsWithoutWorkspace = env.alerts !== undefined && env.alerts.enabled && !logAnalytics;
  if (logAnalytics && (env.alerts?.enabled ?? true)) {
    const tables = logAnalytics.tables ?? {};
    const alertsConfig = env.alerts ?? alertsConfigDefaults();
    const { workspaceResourceId: _placeholder, ...props } = alertRulesPropsFromConfig(alertsConfig, {
      // A well-formed stand-in: the stack passes the real workspace id.
      workspaceResourceId: logAnalytics.existingWorkspaceId ?? `/subscriptions/${env.subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${logAnalytics.name}`,
      resourceGroupName,
      location: env.location,
      namePrefix: names.diagnosticSettingName,
      routedTables: Object.keys(tables),
      basicPlanTables: Object.entries(tables).filter(([, t]) => resolveTableRetention(t, logAnalytics!.tableDefaults).plan === 'Basic').map(([name]) => name),
      tags,
    });
    alerts = props;
    const reported = (path: string) => problems.some((p) => p.path === path || p.path.startsWith(`${path}.`)) || invalidDerivedNames.length > 0;
    const unread = new Map<string, { code: string; detections: string[]; first: AlertRulesProblem }>();
    for (const problem of entraAlertRulesProblems({ ...props, workspaceResourceId: _placeholder })) {
      const alertProblem = { path: `alerts: ${problem.code}: ${problem.what}`, got: problem.got, expected: problem.expected };
      switch (problem.code) {
        // The environment's own settings, already checked above: reported once.
        case 'InvalidLocation':
        case 'InvalidResourceGroupName':
          continue;
        // Built from the subscription, resource group and workspace settings, or the keys.
        case 'InvalidWorkspaceResourceId':
          if (!reported('subscriptionId') && !reported('resourceGroupName') && !reported('logAnalytics')) add(alertProblem.path, alertProblem.got, alertProblem.expected, 'logAnalytics.existingWorkspaceId');
          continue;
        case 'InvalidNamePrefix':
        case 'NameTooLong':
          if (keysValid) add(alertProblem.path, alertProblem.got, alertProblem.expected, '');
          continue;
        // Detections that read a table the workspace does not have (or cannot alert on): grouped by table below.
        case 'UnroutedTable':
        case 'BasicPlanTable': {
          const table = String(problem.got);
          const key = `${problem.code} ${table}`;
          const who = /^((?:custom )?detection \S+) reads table/.exec(problem.what)?.[1] ?? problem.what;
          const group = unread.get(key) ?? { code: problem.code, detections: [], first: problem };
          group.detections.push(who.replace(/^detection /, ''));
          unread.set(key, group);
          continue;
        }
        default:
          add(alertProblem.path, alertProblem.got, alertProblem.expected, ['alerts', alertProblemSetting(problem.what, alertsConfig)].filter(Boolean).join('.'));
      }
    }
    for (const { code, detections, first } of unread.values()) {
      const table = String(first.got);
      const them = `${detections.length} alert detection${detections.length === 1 ? '' : 's'} (${listed(detections)})`;
      if (code === 'UnroutedTable') {
        const cause = categoryLeavingTable.get(table);
        const configured = unroutedConfigured.get(table);
        if (cause) misspelt.get(cause)!.needs.push(them);
        else if (configured) configured.needs.push(them);
        else if (detections.length === 1) add(`alerts: ${first.code}: ${first.what}`, first.got, first.expected, env.routing ? 'routing' : env.alerts?.disabled ? 'alerts.disabled' : 'alerts');
        else {
          add(
            `alerts: UnroutedTable: ${them} read table ${table}, which this stack does not route to the workspace`,
            table,
            `${howToRoute(table)}, or list these detections in alerts.disabled`,
            env.routing ? 'routing' : env.alerts?.disabled ? 'alerts.disabled' : 'alerts',
          );
        }
      } else {
        const at = env.logAnalytics?.tables?.[table]?.plan !== undefined ? joinPath(joinPath('logAnalytics.tables', table), 'plan') : 'logAnalytics.tableDefaults.plan';
        if (detections.length === 1) add(`alerts: ${first.code}: ${first.what}`, first.got, first.expected, at);
        else add(`alerts: BasicPlanTable: ${them} read table ${table}, which is on the Basic plan and cannot be queried by log alerts`, table, `the Analytics plan for ${table}, or list these detections in alerts.disabled`, at);
      }
    }
  }

  // Consequences folded into their cause.
  for (const { problem, table, needs } of misspelt.values()) {
    if (!problem) continue;
    const fold = table && needs.length > 0 ? `; until it is fixed, table ${table} is not routed to Log Analytics, yet ${needs.join(' and ')} use it` : '';
    problems.push({ ...problem, expected: problem.expected + fold });
  }
  for (const { problem, needs } of unroutedConfigured.values()) {
    problems.push(needs.length === 0 ? problem : { ...problem, expected: `${problem.expected}; ${needs.join(' and ')} read it as well: route its category to logAnalytics, or remove this entry and list them in alerts.disabled` });
  }
  const anyEnabled = enabled.logAnalytics || enabled.eventHub || enabled.storage;
  const needsWorkspace = alertsWithoutWorkspace ? ' and alerts.enabled: false (alert rules query the workspace)' : '';
  if (!anyEnabled) {
    const routed = new Set([...routesToDisabled.values()].flat());
    const what = [routed.size > 0 && `the routing sends ${routed.size} categor${routed.size === 1 ? 'y' : 'ies'} to them`, alertsWithoutWorkspace && 'alert rules query logAnalytics'].filter(Boolean).join('; ');
    add('logAnalytics.enabled', false, `at least one destination enabled: logAnalytics, eventHub or storage${what ? ` (${what})` : ''}`);
  } else {
    for (const [kind, categories] of routesToDisabled) {
      const also = kind === 'logAnalytics' ? needsWorkspace : '';
      add(`${kind}.enabled`, false, `true, or ${kind} taken out of the routing of the ${categories.length === 1 ? 'category that sends' : `${categories.length} categories that send`} logs to it (${listed(categories)})${also}`);
    }
    if (alertsWithoutWorkspace && !routesToDisabled.has('logAnalytics')) {
      add('alerts.enabled', true, 'false, or logAnalytics enabled: alert rules query the Log Analytics workspace');
    }
  }

  let workbook: StackPlan['workbook'];
  const workbookConfig = env.dashboards?.workbook;
  if (logAnalytics && (workbookConfig?.enabled ?? true)) {
    const { enabled: _enabled, ...rest } = workbookConfig ?? {};
    const routedTables = Object.keys(logAnalytics.tables ?? {});
    const props = {
      ...rest,
      displayName: rest.displayName ?? `Entra ID audit (${tenantKey}-${environmentKey})`,
      resourceGroupName,
      location: env.location,
      routedTables,
      // The name follows the stack and its workspace: the same workbook across runs, a new one with a new workspace.
      nameSeed: `${tenantKey}-${environmentKey}/${logAnalytics.existingWorkspaceId?.toLowerCase() ?? logAnalytics.name}`,
      tags,
    };
    // Location, resource group and tags are the environment's own settings, checked above: reported once.
    prefixed('dashboards.workbook', auditWorkbookProblems({ ...props, workspaceResourceId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/placeholder' }), { location: null, resourceGroupName: null, tags: null, nameSeed: null });
    if (availableSections(routedTables, {}, rest.disabledSections ?? []).length > 0) {
      workbook = props;
    } else if (workbookConfig?.enabled === true) {
      add('dashboards.workbook.enabled', true, `false, or a category the workbook reads routed to logAnalytics (SignInLogs, NonInteractiveUserSignInLogs, AuditLogs, RiskyUsers, RiskyServicePrincipals or another Entra category)${rest.disabledSections?.length ? ', with its section not in disabledSections' : ''}: the workbook has nothing to show`);
    }
  } else if (!logAnalytics && workbookConfig?.enabled === true) {
    add('dashboards.workbook.enabled', true, 'false, or logAnalytics enabled: the workbook queries the Log Analytics workspace');
  }

  let canary: EntraCanaryAppProps | undefined;
  if (env.canary?.enabled) {
    const { enabled: _enabled, ...rest } = env.canary;
    canary = rest;
    prefixed('canary', entraCanaryAppProblems(canary));
  }

  const compliance: StackPlan['compliance'] = {
    profiles: env.compliance?.profiles ?? [],
    suppressions: env.compliance?.suppressions ?? [],
    ...(env.compliance?.nist80053 ? { nist80053: env.compliance.nist80053 } : {}),
  };
  prefixed('compliance', entraComplianceProblems(compliance));

  const backend: BackendConfig = env.backend ?? { type: 'local' };
  if (production && env.backend === undefined) {
    add(
      'backend',
      undefined,
      'a remote backend for a production environment, e.g. backend: { type: azurerm, resourceGroupName: <rg>, storageAccountName: <account>, containerName: tfstate }: ' +
        'local state is lost with the machine or folder it is on (write backend: { type: local } to accept that)',
    );
  }
  if (backend.type === 'azurerm') {
    if (!/^[a-z0-9]{3,24}$/.test(backend.storageAccountName)) add('backend.storageAccountName', backend.storageAccountName, '3–24 lowercase letters and digits');
    if (backend.subscriptionId !== undefined && !GUID_PATTERN.test(backend.subscriptionId)) add('backend.subscriptionId', backend.subscriptionId, GUID_TEXT);
    if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/.test(backend.containerName)) add('backend.containerName', backend.containerName, '3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit');
  }

  const plan: StackPlan = {
    id: `${tenantKey}-${environmentKey}`,
    tenantKey,
    environmentKey,
    tenantId,
    subscriptionId: env.subscriptionId,
    location: env.location,
    production,
    resourceGroupName,
    createResourceGroup: env.createResourceGroup ?? true,
    tags,
    protection,
    logAnalytics,
    eventHub,
    storage,
    diagnostics: { name: diagnosticsProps.name, routing, additionalCategories: env.additionalCategories },
    readerApp,
    alerts,
    canary,
    workbook,
    compliance,
    backend,
  };
  return { plan, problems, invalidDerivedNames };
}

/** The `alerts:` section's defaults, for an environment that has none. */
function alertsConfigDefaults() {
  return alertsConfigSchema.parse({});
}

function regionHint(location: string): string {
  const normalised = location.toLowerCase().replace(/[\s_-]/g, '');
  if (AZURE_REGIONS.includes(normalised)) return ` (did you mean ${show(normalised)}?)`;
  const hint = closest(location, AZURE_REGIONS);
  return hint ? ` (did you mean ${show(hint)}?)` : '';
}

/** Zod issues as problems with the value found at each path; an unknown key points at the key. */
function zodProblems(error: z.ZodError, input: unknown, prefix: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const segments = issue.path.map((s) => (typeof s === 'symbol' ? String(s) : s));
    const path = segments.reduce<string>((acc, s) => joinPath(acc, s), prefix);
    const got = valueAt(input, segments);
    if (issue.code === 'unrecognized_keys') {
      out.push({ path: joinPath(path, issue.keys[0]), key: true, text: `${path || '(top level)'}: ${issue.message}` });
    } else if (issue.code === 'invalid_value') {
      out.push(located({ path, got, expected: oneOfText(got, issue.values as (string | number)[]) }));
    } else if (issue.code === 'invalid_union' && got !== null && typeof got === 'object') {
      out.push(located({ path: joinPath(path, 'type'), got: (got as { type?: unknown }).type, expected: issue.message }));
    } else if (issue.code === 'invalid_type') {
      out.push(located({ path, got, expected: got === undefined ? `a ${issue.expected} (required)` : `a ${issue.expected}` }));
    } else {
      out.push(located({ path, got, expected: issue.message }));
    }
  }
  return out;
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

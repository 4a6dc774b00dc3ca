import { MonitorAadDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-aad-diagnostic-setting';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { BASELINE_CATEGORIES, findCategory, LOG_CATEGORIES } from './internal/log-categories';
import { closest, Problem, ProblemList, show, throwIfProblems } from './internal/validation';

/** The three kinds of destination an Entra diagnostic setting can route to. */
export const DESTINATION_KINDS = ['logAnalytics', 'eventHub', 'storage'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Short codes used in setting names, in a fixed order. */
const KIND_CODES: Record<DestinationKind, string> = { logAnalytics: 'law', eventHub: 'evh', storage: 'st' };

/** Where the settings send logs. At least one destination; each kind at most once per setting (Azure's rule). */
export interface DiagnosticDestinations {
  /** ARM id of the Log Analytics workspace. */
  readonly logAnalyticsWorkspaceId?: string;
  /** The Event Hub: a namespace-level authorization rule with Listen, Send and Manage, and the hub name. */
  readonly eventHub?: { readonly authorizationRuleId: string; readonly hubName: string };
  /** ARM id of the storage account. */
  readonly storageAccountId?: string;
}

export interface EntraDiagnosticSettingsProps {
  /**
   * Base of the setting names. Each distinct set of destinations gets one setting named
   * `<name>-<codes>`, codes being `law`, `evh` and `st` (e.g. `entra-audit-prod-law-evh-st`).
   * Entra diagnostic settings are tenant-wide: the names must be unique in the tenant.
   */
  readonly name: string;
  /** The destinations. */
  readonly destinations: DiagnosticDestinations;
  /**
   * Category → the destinations it goes to. Categories are exact and case-sensitive.
   * @default - every baseline category (BASELINE_CATEGORIES) to every given destination
   */
  readonly routing?: Readonly<Record<string, readonly DestinationKind[]>>;
  /**
   * Categories newer than the toolkit's built-in list, accepted as they are. Use only with a name
   * from Microsoft's documentation: Azure does not check category names at apply time.
   * @default - none
   */
  readonly additionalCategories?: readonly string[];
  /** Resources the settings must wait for (destinations must exist first). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

// TFAZ monitor_aad_diagnostic_setting_resource.go: 1–260 characters, none of < > * % & : \ ? + /
const SETTING_NAME_FORBIDDEN = /[<>*%&:\\?+/]/;

/** The routing with defaults applied: category → sorted destination kinds. */
export function resolveRouting(props: Pick<EntraDiagnosticSettingsProps, 'routing' | 'destinations'>): Record<string, DestinationKind[]> {
  const given = DESTINATION_KINDS.filter((k) => destinationGiven(props.destinations, k));
  const routing = props.routing ?? Object.fromEntries(BASELINE_CATEGORIES.map((c) => [c, given]));
  const out: Record<string, DestinationKind[]> = {};
  for (const [category, kinds] of Object.entries(routing)) {
    out[category] = DESTINATION_KINDS.filter((k) => kinds.includes(k));
  }
  return out;
}

function destinationGiven(d: DiagnosticDestinations, kind: DestinationKind): boolean {
  if (kind === 'logAnalytics') return d.logAnalyticsWorkspaceId !== undefined;
  if (kind === 'eventHub') return d.eventHub !== undefined;
  return d.storageAccountId !== undefined;
}

/** One setting to emit: the destination kinds it routes to and its categories. */
export interface SettingGroup {
  readonly kinds: readonly DestinationKind[];
  readonly categories: readonly string[];
  /** The setting's name. */
  readonly name: string;
}

/**
 * The fewest settings that express the routing: categories with the same set of destinations share
 * one setting. Groups come in a fixed order (by destination codes), categories in routing order.
 */
export function groupRouting(name: string, routing: Readonly<Record<string, readonly DestinationKind[]>>): SettingGroup[] {
  const groups = new Map<string, { kinds: DestinationKind[]; categories: string[] }>();
  for (const [category, kinds] of Object.entries(routing)) {
    if (kinds.length === 0) continue;
    const sorted = DESTINATION_KINDS.filter((k) => kinds.includes(k));
    const key = sorted.map((k) => KIND_CODES[k]).join('-');
    const group = groups.get(key) ?? { kinds: sorted, categories: [] };
    group.categories.push(category);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => ({ kinds: g.kinds, categories: g.categories, name: `${name}-${key}` }));
}

export function entraDiagnosticSettingsProblems(props: EntraDiagnosticSettingsProps): Problem[] {
  const p = new ProblemList();
  const known = LOG_CATEGORIES.map((c) => c.category);
  const additional = props.additionalCategories ?? [];
  // Setting names are 1–260 characters; the longest suffix added here is "-law-evh-st" (11).
  p.lengthInRange('name', props.name, 1, 249);
  if (SETTING_NAME_FORBIDDEN.test(props.name)) p.add('name', props.name, 'a name without any of < > * % & : \\ ? + /');
  additional.forEach((c, i) => {
    if (findCategory(c)) p.add(`additionalCategories[${i}]`, c, `a category not in the built-in list (${show(c)} is built in: route it directly)`);
    else p.matches(`additionalCategories[${i}]`, c, /^[A-Za-z][A-Za-z0-9]{1,99}$/, 'a category name made of letters and digits, as Microsoft documents it');
  });
  const given = DESTINATION_KINDS.filter((k) => destinationGiven(props.destinations, k));
  if (given.length === 0) p.add('destinations', props.destinations, 'at least one of logAnalyticsWorkspaceId, eventHub, storageAccountId');
  const routing = props.routing ?? {};
  for (const [category, kinds] of Object.entries(routing)) {
    const path = `routing.${category}`;
    if (!findCategory(category) && !additional.includes(category)) {
      const hint = closest(category, known);
      p.add(
        path,
        category,
        `a known category (names are case-sensitive)${hint ? `: did you mean ${show(hint)}?` : `: one of ${known.join(', ')}`}` +
          '; a category newer than the built-in list must also be listed in additionalCategories',
      );
    }
    if (kinds.length === 0) p.add(path, kinds, `at least one of ${DESTINATION_KINDS.join(', ')}, or remove the category`);
    kinds.forEach((k, i) => {
      if (!(DESTINATION_KINDS as readonly string[]).includes(k)) p.add(`${path}[${i}]`, k, `one of ${DESTINATION_KINDS.join(', ')}`);
      else if (!destinationGiven(props.destinations, k)) p.add(`${path}[${i}]`, k, `a configured destination (${given.join(', ') || 'none is configured'})`);
    });
    if (new Set(kinds).size !== kinds.length) p.add(path, kinds, 'each destination once');
  }
  if (props.routing && Object.values(props.routing).every((k) => k.length === 0)) p.add('routing', props.routing, 'at least one category routed: Azure rejects a setting without enabled logs');
  return p.items;
}

/**
 * The retention policy written into every `enabled_log` block: off, 0 days.
 *
 * azurerm 4.x deprecates `enabled_log.retention_policy` ("Azure does not support retention for new Azure
 * Active Directory Diagnostic Settings"), yet its request builder skips every `enabled_log` block that
 * has none: `expandMonitorAADDiagnosticsSettingsEnabledLogs` in
 * internal/services/monitor/monitor_aad_diagnostic_setting_resource.go (hashicorp/terraform-provider-azurerm,
 * 4.x) `continue`s when `retention_policy` is empty, so a setting of bare `enabled_log { category }` blocks
 * is sent with `"logs": []`, which Azure accepts and then answers 404 (the comment in the same file;
 * hashicorp/terraform-provider-azurerm#30808). Retention disabled with 0 days is what Azure still accepts
 * after storage retention was retired (learn.microsoft.com/azure/azure-monitor/essentials/migrate-to-azure-storage-lifecycle-policy;
 * Azure/avdaccelerator#473), and it is what Read stores back, so plans settle. The cost is the provider's
 * deprecation warning on plan. Retention of the logs themselves belongs to the destinations.
 */
export const NO_SETTING_RETENTION = { enabled: false, days: 0 } as const;

/**
 * Tenant-level Entra ID diagnostic settings (`azurerm_monitor_aad_diagnostic_setting`) that route each
 * log category to its destinations, with the fewest settings: categories sharing a set of destinations
 * share a setting. Only `enabled_log` blocks are emitted (no deprecated `log` block): retention belongs
 * to the destinations. Each carries `retention_policy { enabled = false, days = 0 }` all the same (see
 * {@link NO_SETTING_RETENTION}). The Event Hub is always named, so Azure never creates one hub per category.
 *
 * Entra settings are tenant-wide: Azure allows at most 5 per tenant (assumed from Azure Monitor's
 * per-resource limit; see docs/decisions.md), counted across every stack that deploys to the tenant.
 */
export class EntraDiagnosticSettings extends Construct {
  /** The settings, by destination codes (`law-evh-st`, `law`, …). */
  readonly settings: Readonly<Record<string, MonitorAadDiagnosticSetting>>;
  /** The groups behind the settings, for outputs and checks. */
  readonly groups: readonly SettingGroup[];
  /** Category → destination kinds, with defaults applied. */
  readonly routing: Readonly<Record<string, readonly DestinationKind[]>>;

  constructor(scope: Construct, id: string, props: EntraDiagnosticSettingsProps) {
    super(scope, id);
    throwIfProblems(this, entraDiagnosticSettingsProblems(props));
    this.routing = resolveRouting(props);
    this.groups = groupRouting(props.name, this.routing);

    const settings: Record<string, MonitorAadDiagnosticSetting> = {};
    for (const group of this.groups) {
      const key = group.kinds.map((k) => KIND_CODES[k]).join('-');
      const d = props.destinations;
      settings[key] = new MonitorAadDiagnosticSetting(this, key, {
        name: group.name,
        enabledLog: group.categories.map((category) => ({ category, retentionPolicy: { ...NO_SETTING_RETENTION } })),
        logAnalyticsWorkspaceId: group.kinds.includes('logAnalytics') ? d.logAnalyticsWorkspaceId : undefined,
        eventhubAuthorizationRuleId: group.kinds.includes('eventHub') ? d.eventHub?.authorizationRuleId : undefined,
        eventhubName: group.kinds.includes('eventHub') ? d.eventHub?.hubName : undefined,
        storageAccountId: group.kinds.includes('storage') ? d.storageAccountId : undefined,
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      });
    }
    this.settings = settings;
  }
}

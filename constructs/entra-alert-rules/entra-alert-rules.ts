import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import {
  MonitorScheduledQueryRulesAlertV2,
  MonitorScheduledQueryRulesAlertV2Criteria,
} from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Annotations, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_REGIONS } from '../internal/azure-regions';
import { KUSTO_INSTALL_COMMAND, KUSTO_SERVICE_PACKAGE, kustoServiceAvailable, validateKql, referencedTables } from '../internal/kql-validator';
import { LOG_CATEGORIES } from '../internal/log-categories';
import { armIdPattern, closest, GUID_PATTERN as GUID, show } from '../internal/validation';
import { webhookUrlProblem } from '../internal/webhook-url';
import { DETECTION_KEYS, DETECTIONS, findDetection } from './catalog';
import { checkSentinelRule, GROUPING_LOOKBACKS, SentinelRuleInput, SentinelRules, SentinelTarget } from './sentinel-rules';
import {
  AGGREGATIONS,
  AlertAggregation,
  AlertDimension,
  AlertOperator,
  AlertSeverity,
  Detection,
  DIMENSION_OPERATORS,
  escapeTerraformTemplate,
  EVALUATION_FREQUENCIES,
  EvaluationFrequency,
  FailingPeriods,
  isoDurationMs,
  kustoTimespanMs,
  MAX_LOOKBACK_MS,
  MUTE_DURATIONS,
  MuteDuration,
  OPERATORS,
  ParameterValue,
  parameterTypeProblem,
  readQueryFile,
  renderQuery,
  WINDOW_DURATIONS,
  WindowDuration,
} from './detection';

/** An email receiver of an action group. Alerts use the common alert schema. */
export interface AlertEmailReceiver {
  /** Receiver name, unique (case-insensitive) across all receivers of the group. */
  readonly name: string;
  /** Address that receives the alert emails. */
  readonly emailAddress: string;
}

/** A webhook receiver of an action group. Alerts are posted in the common alert schema. */
export interface AlertWebhookReceiver {
  /** Receiver name, unique (case-insensitive) across all receivers of the group. */
  readonly name: string;
  /**
   * Absolute https URL the alert is POSTed to (e.g. a Teams, Slack or SOAR endpoint), without a user
   * name or password in it: those would sit in plain text in state and plans. Use `aadAuth` for an
   * endpoint that needs authentication.
   */
  readonly serviceUri: string;
  /**
   * Entra ID authentication of the webhook: Azure Monitor sends a token for this app with each call
   * (azurerm `monitor_action_group` `webhook_receiver.aad_auth`).
   * @default - no authentication
   */
  readonly aadAuth?: AlertWebhookAadAuth;
}

/** The Entra app a webhook receiver authenticates to (azurerm `webhook_receiver.aad_auth`). */
export interface AlertWebhookAadAuth {
  /** Object id of the webhook's app registration. */
  readonly objectId: string;
  /** Identifier URI (audience) of that app. @default - the provider's default */
  readonly identifierUri?: string;
  /** Tenant of that app. @default - the deployment's tenant */
  readonly tenantId?: string;
}

/** One action group created by the construct and attached to every alert rule. */
export interface AlertActionGroup {
  /**
   * Stable key of the group (lower-case words joined by hyphens, up to 40 characters). It names
   * the construct (`ActionGroups/<key>`) and the Azure resource (`<namePrefix>-ag-<key>`), so
   * changing it replaces the group.
   */
  readonly key: string;
  /** Short name shown in SMS and email notifications: 1–12 characters. */
  readonly shortName: string;
  /**
   * Email receivers.
   * @default - none
   */
  readonly emailReceivers?: readonly AlertEmailReceiver[];
  /**
   * Webhook receivers.
   * @default - none
   */
  readonly webhookReceivers?: readonly AlertWebhookReceiver[];
}

/** Per-environment changes to one catalog detection. Unset fields keep the catalog's values. */
export interface DetectionOverride {
  /**
   * Alert severity, 0 (critical) to 4 (verbose).
   * @default - the catalog's severity
   */
  readonly severity?: AlertSeverity;
  /**
   * Values of the detection's named query parameters (see docs/alerts.md, "Parameters"); unknown names fail.
   * @default - the catalog's defaults
   */
  readonly parameters?: Readonly<Record<string, ParameterValue>>;
  /**
   * Threshold of the alert condition (compared with the aggregated query result).
   * @default - the catalog's threshold
   */
  readonly threshold?: number;
  /**
   * Operator of the alert condition.
   * @default - the catalog's operator
   */
  readonly operator?: AlertOperator;
  /**
   * How often the query runs.
   * @default - the catalog's frequency
   */
  readonly evaluationFrequency?: EvaluationFrequency;
  /**
   * How much data (time) each run queries.
   * @default - the catalog's window
   */
  readonly windowDuration?: WindowDuration;
  /**
   * How many of the last evaluation periods must breach the threshold.
   * @default - the catalog's setting (Azure's default: 1 of 1)
   */
  readonly failingPeriods?: FailingPeriods;
  /**
   * Resolve the alert automatically when the condition clears. Exclusive with `muteActionsAfterAlertDuration`.
   * @default false
   */
  readonly autoMitigationEnabled?: boolean;
  /**
   * Suppress notifications for this long after an alert fires.
   * @default - no muting
   */
  readonly muteActionsAfterAlertDuration?: MuteDuration;
  /**
   * `false` deploys the rule switched off (the resource stays; use `disabled` to remove it).
   * @default true
   */
  readonly enabled?: boolean;
}

/** A detection written by the user: its own KQL, checked with the Kusto language service at synth time. */
export interface CustomDetection {
  /**
   * Stable key: lower-case words joined by hyphens, up to 64 characters, distinct from the catalog
   * keys. It names the construct (`CustomRules/<key>`) and the rule (`<namePrefix>-<key>`).
   */
  readonly key: string;
  /** Title of the alert rule. */
  readonly displayName: string;
  /**
   * What the detection finds.
   * @default - none
   */
  readonly description?: string;
  /** Alert severity, 0 (critical) to 4 (verbose). */
  readonly severity: AlertSeverity;
  /**
   * The KQL query. It may read only tables in `routedTables` (and none in `basicPlanTables`);
   * use `union isfuzzy=true` for tables that may not exist yet. It is checked with the Kusto
   * language service, which an app using the library installs itself (`@kusto/language-service-next`,
   * an optional peer dependency): without it, custom detections are refused with the install command.
   */
  readonly query: string;
  /** @default 'PT15M' */
  readonly evaluationFrequency?: EvaluationFrequency;
  /** @default 'PT15M' */
  readonly windowDuration?: WindowDuration;
  /** @default 'Count' */
  readonly aggregation?: AlertAggregation;
  /**
   * Numeric result column to aggregate: required iff `aggregation` is not `Count`.
   * @default - none
   */
  readonly metricMeasureColumn?: string;
  /** @default 'GreaterThan' */
  readonly operator?: AlertOperator;
  /** @default 0 */
  readonly threshold?: number;
  /**
   * Split the alert by result columns.
   * @default - no dimensions
   */
  readonly dimensions?: readonly AlertDimension[];
  /**
   * @default - Azure's default (1 of 1)
   */
  readonly failingPeriods?: FailingPeriods;
  /** @default false */
  readonly autoMitigationEnabled?: boolean;
  /** @default - no muting */
  readonly muteActionsAfterAlertDuration?: MuteDuration;
  /** @default true */
  readonly enabled?: boolean;
}

export interface EntraAlertRulesProps {
  /** ARM id of the Log Analytics workspace the rules query; it becomes each rule's single scope. */
  readonly workspaceResourceId: string;
  /** Resource group of the alert rules and action groups. */
  readonly resourceGroupName: string;
  /** Azure region of the alert rules (normally the workspace's region), e.g. `westeurope`. */
  readonly location: string;
  /**
   * Prefix of every resource name: rules are `<namePrefix>-<key>`, action groups
   * `<namePrefix>-ag-<key>`. Letters, digits, `-`, `_`, `.`, `(`, `)`; not ending in `.`.
   */
  readonly namePrefix: string;
  /**
   * Log Analytics tables that the stack routes to this workspace (e.g. `SigninLogs` when the
   * `SignInLogs` category is routed). A detection reading any other table fails synth.
   */
  readonly routedTables: readonly string[];
  /**
   * Tables on the Basic plan, which log alerts cannot query. A detection reading one fails synth.
   * @default - none
   */
  readonly basicPlanTables?: readonly string[];
  /**
   * Action groups to create and attach to every rule.
   * @default - none (rules fire into the Azure portal only)
   */
  readonly actionGroups?: readonly AlertActionGroup[];
  /**
   * ARM ids of existing action groups to attach to every rule as well.
   * @default - none
   */
  readonly existingActionGroupIds?: readonly string[];
  /**
   * Catalog keys of detections not to deploy (their rules are removed).
   * @default - every catalog detection is deployed
   */
  readonly disabled?: readonly string[];
  /**
   * Per-detection changes, by catalog key.
   * @default - catalog values
   */
  readonly overrides?: Readonly<Record<string, DetectionOverride>>;
  /**
   * Additional detections with their own KQL.
   * @default - none
   */
  readonly customDetections?: readonly CustomDetection[];
  /**
   * Tags of every resource.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Also deploy every rule as a Microsoft Sentinel scheduled analytics rule on the same workspace
   * (and onboard the workspace to Sentinel), with its MITRE tactics and techniques, entity mappings
   * and incident grouping.
   * @default - no Sentinel resources
   */
  readonly sentinel?: SentinelTarget;
  /**
   * Deploy the Azure Monitor scheduled query rules. `false` with `sentinel` set makes Sentinel the
   * only target.
   * @default true
   */
  readonly azureMonitorRules?: boolean;
  /**
   * What every rule waits for, e.g. {@link LogAnalyticsDestination.ready} of a workspace created in the
   * same apply: rules created against a workspace that is not active yet fail with `404 Workspace not active`.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** One configuration problem: rendered `[<path>] <code>: <what>, got <value>; expected <allowed>`. */
export interface AlertRulesProblem {
  readonly code: string;
  readonly what: string;
  readonly got: unknown;
  readonly expected: string;
}

/** Thrown by {@link EntraAlertRules} with every configuration problem at once. */
export class AlertRulesConfigError extends Error {
  constructor(
    readonly constructPath: string,
    readonly problems: readonly AlertRulesProblem[],
  ) {
    super(
      problems
        .map((p) => `[${constructPath}] ${p.code}: ${p.what}, got ${show(p.got)}; expected ${p.expected}`)
        .join('\n'),
    );
    this.name = 'AlertRulesConfigError';
  }
}

/** A rule after defaults, overrides and parameters are applied: what gets synthesized. */
export interface ResolvedAlertRule
  extends Pick<
    Detection,
    | 'key' | 'displayName' | 'description' | 'severity' | 'tables' | 'evaluationFrequency' | 'windowDuration' | 'aggregation'
    | 'metricMeasureColumn' | 'operator' | 'threshold' | 'dimensions' | 'failingPeriods'
  > {
  /** A custom detection from configuration, not a catalog one. */
  readonly custom: boolean;
  /** The query with its parameters substituted. */
  readonly query: string;
  readonly autoMitigationEnabled?: boolean;
  readonly muteActionsAfterAlertDuration?: MuteDuration;
  readonly enabled: boolean;
}

const KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/**
 * Characters Azure rejects in scheduledQueryRules (`*<>%{}&:\?/#`) and actionGroups (`:<>+/&%\?`)
 * names, plus control characters; names are 1–260 characters and cannot end with a space or a
 * period (MicrosoftDocs/azure-docs `articles/azure-resource-manager/management/resource-name-rules.md`,
 * Microsoft.Insights). The prefix is restricted to a safe subset of the rest.
 */
const NAME_PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.()-]*$/;
const MAX_NAME_LENGTH = 260;
const SHORT_NAME_MAX = 12;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ACTION_GROUP_ID_PATTERN = armIdPattern('Microsoft.Insights/actionGroups');
const WORKSPACE_ID_PATTERN = armIdPattern('Microsoft.OperationalInsights/workspaces');

const CUSTOM_DEFAULTS = {
  evaluationFrequency: 'PT15M',
  windowDuration: 'PT15M',
  aggregation: 'Count',
  operator: 'GreaterThan',
  threshold: 0,
} as const;

function oneOf(allowed: readonly (string | number)[]): string {
  return `one of ${allowed.map((a) => show(a)).join(', ')}`;
}

function didYouMean(value: string, candidates: readonly string[]): string {
  const hint = closest(value, candidates);
  return hint && hint !== value ? ` (did you mean ${show(hint)}?)` : '';
}

/** The log category that fills `table`, or how to get the table into the workspace. */
export function howToRoute(table: string): string {
  const category = LOG_CATEGORIES.find((c) => c.table === table);
  if (category) return `route the Entra log category ${show(category.category)} to the workspace`;
  if (table === 'AzureActivity') {
    return 'route the subscription Activity Log (a subscription diagnostic setting, not an Entra category) to the workspace';
  }
  return 'route the category that fills this table to the workspace';
}

/** Resolves the rules and collects every problem with `props`. Pure: used by the constructor and by configuration validation. */
function checkAlertRules(props: EntraAlertRulesProps): { problems: AlertRulesProblem[]; resolved: ResolvedAlertRule[] } {
  const problems: AlertRulesProblem[] = [];
  const add = (code: string, what: string, got: unknown, expected: string) => problems.push({ code, what, got, expected });
  validateCommon(props, add);
  const resolved = [...resolveRules(props, add)];
  validateActionGroups(props, add);
  validateTargets(props, resolved, add);
  return { problems, resolved };
}

/** Every problem with `props` (custom KQL included), without creating anything. */
export function entraAlertRulesProblems(props: EntraAlertRulesProps): AlertRulesProblem[] {
  return checkAlertRules(props).problems;
}

/**
 * Scheduled query alert rules for Microsoft Entra ID on one Log Analytics workspace: one
 * `azurerm_monitor_scheduled_query_rules_alert_v2` per enabled catalog or custom detection (ids
 * `Rules/<key>` and `CustomRules/<key>`), plus the action groups (`ActionGroups/<key>`) they notify.
 */
export class EntraAlertRules extends Construct {
  /** The alert rules by detection key (catalog and custom). */
  readonly rules: Readonly<Record<string, MonitorScheduledQueryRulesAlertV2>>;
  /** The created action groups by key. */
  readonly actionGroups: Readonly<Record<string, MonitorActionGroup>>;
  /** Every rule as synthesized, in catalog order then custom order. */
  readonly resolvedRules: readonly ResolvedAlertRule[];
  /** The Microsoft Sentinel onboarding and rules, when `sentinel` is set. */
  readonly sentinel?: SentinelRules;

  constructor(scope: Construct, id: string, props: EntraAlertRulesProps) {
    super(scope, id);

    // 1. Resolve and validate everything, then throw once.
    const { problems, resolved } = checkAlertRules(props);
    if (problems.length > 0) throw new AlertRulesConfigError(this.node.path, problems);

    for (const rule of resolved) {
      if (rule.failingPeriods && rule.failingPeriods.numberOfEvaluationPeriods > 1) {
        Annotations.of(this).addWarning(
          `${rule.key}: numberOfEvaluationPeriods > 1 needs a timestamp column in the query result (azure-facts.md §3)`,
        );
      }
    }

    // 2. Create resources.
    const tags = props.tags ? { ...props.tags } : undefined;
    const groups: Record<string, MonitorActionGroup> = {};
    const groupScope = (props.actionGroups ?? []).length > 0 ? new Construct(this, 'ActionGroups') : undefined;
    for (const group of props.actionGroups ?? []) {
      groups[group.key] = new MonitorActionGroup(groupScope!, group.key, {
        name: `${props.namePrefix}-ag-${group.key}`,
        resourceGroupName: props.resourceGroupName,
        shortName: group.shortName,
        emailReceiver: (group.emailReceivers ?? []).map((r) => ({
          name: r.name,
          emailAddress: r.emailAddress,
          useCommonAlertSchema: true,
        })),
        webhookReceiver: (group.webhookReceivers ?? []).map((r) => ({
          name: r.name,
          serviceUri: r.serviceUri,
          useCommonAlertSchema: true,
          aadAuth: r.aadAuth ? { objectId: r.aadAuth.objectId, identifierUri: r.aadAuth.identifierUri, tenantId: r.aadAuth.tenantId } : undefined,
        })),
        tags,
      });
    }
    const actionGroupIds = [...Object.values(groups).map((g) => g.id), ...(props.existingActionGroupIds ?? [])];

    const rules: Record<string, MonitorScheduledQueryRulesAlertV2> = {};
    const catalogScope = new Construct(this, 'Rules');
    const customScope = (props.customDetections ?? []).length > 0 ? new Construct(this, 'CustomRules') : undefined;
    for (const rule of props.azureMonitorRules === false ? [] : resolved) {
      const criteria: MonitorScheduledQueryRulesAlertV2Criteria = {
        query: escapeTerraformTemplate(rule.query),
        timeAggregationMethod: rule.aggregation,
        operator: rule.operator,
        threshold: rule.threshold,
        metricMeasureColumn: rule.metricMeasureColumn,
        dimension: rule.dimensions?.map((d) => ({ name: d.name, operator: d.operator, values: [...d.values] })),
        failingPeriods: rule.failingPeriods,
      };
      rules[rule.key] = new MonitorScheduledQueryRulesAlertV2(rule.custom ? customScope! : catalogScope, rule.key, {
        name: `${props.namePrefix}-${rule.key}`,
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        scopes: [props.workspaceResourceId],
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
        displayName: escapeTerraformTemplate(rule.displayName),
        description: escapeTerraformTemplate(rule.description),
        severity: rule.severity,
        enabled: rule.enabled,
        evaluationFrequency: rule.evaluationFrequency,
        windowDuration: rule.windowDuration,
        criteria: [criteria],
        autoMitigationEnabled: rule.autoMitigationEnabled,
        muteActionsAfterAlertDuration: rule.muteActionsAfterAlertDuration,
        action: actionGroupIds.length > 0 ? { actionGroups: actionGroupIds } : undefined,
        tags,
      });
    }

    this.rules = rules;
    this.actionGroups = groups;
    this.resolvedRules = resolved;
    if (props.sentinel) {
      this.sentinel = new SentinelRules(this, 'Sentinel', {
        workspaceResourceId: props.workspaceResourceId,
        namePrefix: props.namePrefix,
        target: props.sentinel,
        rules: resolved.map(sentinelInput),
        dependsOn: props.dependsOn,
      });
    }
  }
}

/** What the Sentinel rule of a resolved rule is made of: the rule plus its catalog MITRE ids and entities. */
function sentinelInput(rule: ResolvedAlertRule): SentinelRuleInput {
  const detection = rule.custom ? undefined : findDetection(rule.key);
  return { ...rule, tactics: detection?.tactics ?? [], techniques: detection?.techniques ?? [], entities: detection?.entities };
}

/** Where the rules go: Azure Monitor, Sentinel or both, and whether each rule can go to Sentinel. */
function validateTargets(props: EntraAlertRulesProps, resolved: readonly ResolvedAlertRule[], add: Add): void {
  if (props.azureMonitorRules === false) {
    if (!props.sentinel) {
      add('NoRuleTarget', 'azureMonitorRules is false and sentinel is not set, so no rule would be deployed', false, 'azureMonitorRules: true, or a sentinel target');
    }
    if ((props.actionGroups ?? []).length + (props.existingActionGroupIds ?? []).length > 0) {
      add('ActionGroupsWithoutRules', 'actionGroups and existingActionGroupIds notify Azure Monitor alert rules, which azureMonitorRules: false does not deploy', (props.actionGroups ?? []).map((g) => g.key).concat(props.existingActionGroupIds ?? []), 'no action groups, or azureMonitorRules: true (Sentinel notifies through automation rules and playbooks)');
    }
  }
  if (!props.sentinel) return;
  const lookback = props.sentinel.incidentGrouping?.lookbackDuration;
  if (lookback !== undefined && !(GROUPING_LOOKBACKS as readonly string[]).includes(lookback)) {
    add('InvalidGroupingLookback', 'sentinel.incidentGrouping.lookbackDuration is not a supported value', lookback, oneOf(GROUPING_LOOKBACKS));
  }
  const method = props.sentinel.incidentGrouping?.matchingMethod;
  if (method !== undefined && method !== 'AllEntities' && method !== 'AnyAlert') {
    add('InvalidGroupingMethod', 'sentinel.incidentGrouping.matchingMethod is not a supported value', method, oneOf(['AllEntities', 'AnyAlert']));
  }
  const customIndex = new Map((props.customDetections ?? []).map((c, i) => [c.key, i]));
  for (const rule of resolved) {
    checkSentinelRule(rule.custom ? `customDetections[${customIndex.get(rule.key)}]` : `overrides.${rule.key}`, sentinelInput(rule), add);
  }
}

type Add = (code: string, what: string, got: unknown, expected: string) => void;

function validateCommon(props: EntraAlertRulesProps, add: Add): void {
  if (!Token.isUnresolved(props.workspaceResourceId) && !WORKSPACE_ID_PATTERN.test(props.workspaceResourceId)) {
    add(
      'InvalidWorkspaceResourceId',
      'workspaceResourceId is not a Log Analytics workspace ARM id',
      props.workspaceResourceId,
      '/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>',
    );
  }
  if (!Token.isUnresolved(props.resourceGroupName) && !/^[-\w._()]{1,90}$/.test(props.resourceGroupName)) {
    add('InvalidResourceGroupName', 'resourceGroupName is not a resource group name', props.resourceGroupName, '1–90 letters, digits, -, _, ., ( or )');
  }
  if (!Token.isUnresolved(props.location) && !AZURE_REGIONS.includes(props.location)) {
    add('InvalidLocation', 'location is not an Azure region name', props.location, `an Azure region such as "westeurope"${didYouMean(props.location, AZURE_REGIONS)}`);
  }
  if (!Token.isUnresolved(props.namePrefix)) {
    if (!NAME_PREFIX_PATTERN.test(props.namePrefix) || props.namePrefix.endsWith('.')) {
      add('InvalidNamePrefix', 'namePrefix has characters Azure rejects in alert rule or action group names', props.namePrefix, 'letters, digits, -, _, ., ( and ), starting with a letter or digit and not ending with "."');
    }
    const longest = Math.max(
      0,
      ...DETECTION_KEYS.map((k) => k.length),
      ...(props.customDetections ?? []).map((c) => c.key.length),
      ...(props.actionGroups ?? []).map((g) => g.key.length + 3),
    );
    if (props.namePrefix.length + 1 + longest > MAX_NAME_LENGTH) {
      add('NameTooLong', 'namePrefix makes rule names longer than Azure allows', props.namePrefix, `at most ${MAX_NAME_LENGTH - 1 - longest} characters`);
    }
  }
  for (const [i, id] of (props.existingActionGroupIds ?? []).entries()) {
    if (!Token.isUnresolved(id) && !ACTION_GROUP_ID_PATTERN.test(id)) {
      add('InvalidActionGroupId', `existingActionGroupIds[${i}] is not an action group ARM id`, id, '/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Insights/actionGroups/<name>');
    }
  }
}

function validateActionGroups(props: EntraAlertRulesProps, add: Add): void {
  const keys = new Set<string>();
  for (const [i, group] of (props.actionGroups ?? []).entries()) {
    const at = `actionGroups[${i}]`;
    if (!KEY_PATTERN.test(group.key) || group.key.length > 40) {
      add('InvalidActionGroupKey', `${at}.key is not a valid key`, group.key, 'lower-case letters and digits in words joined by "-", at most 40 characters');
    } else if (keys.has(group.key)) {
      add('DuplicateActionGroupKey', `${at}.key is used twice`, group.key, 'a distinct key per action group');
    }
    keys.add(group.key);
    if (!Token.isUnresolved(group.shortName) && (group.shortName.length < 1 || group.shortName.length > SHORT_NAME_MAX)) {
      add('InvalidShortName', `${at}.shortName must be 1–${SHORT_NAME_MAX} characters (has ${group.shortName.length})`, group.shortName, `1 to ${SHORT_NAME_MAX} characters`);
    }
    const emails = group.emailReceivers ?? [];
    const hooks = group.webhookReceivers ?? [];
    if (emails.length + hooks.length === 0) {
      add('NoReceivers', `${at} has no receiver`, group, 'at least one emailReceivers or webhookReceivers entry');
    }
    const names = new Map<string, string>();
    const checkName = (where: string, name: string) => {
      if (!name || name.trim() === '') add('InvalidReceiverName', `${where}.name is empty`, name, 'a non-empty name');
      const lower = name.toLowerCase();
      if (names.has(lower)) {
        add('DuplicateReceiverName', `${where}.name repeats ${show(names.get(lower))} (receiver names are case-insensitive)`, name, 'a receiver name unique within the action group');
      }
      names.set(lower, name);
    };
    emails.forEach((r, j) => {
      const where = `${at}.emailReceivers[${j}]`;
      checkName(where, r.name);
      if (!Token.isUnresolved(r.emailAddress) && !EMAIL_PATTERN.test(r.emailAddress)) {
        add('InvalidEmailAddress', `${where}.emailAddress is not an email address`, r.emailAddress, 'an address like soc@example.com');
      }
    });
    hooks.forEach((r, j) => {
      const where = `${at}.webhookReceivers[${j}]`;
      checkName(where, r.name);
      if (r.aadAuth) {
        for (const key of ['objectId', 'tenantId'] as const) {
          const id = r.aadAuth[key];
          if (id !== undefined && !Token.isUnresolved(id) && !GUID.test(id)) add('InvalidAadAuth', `${where}.aadAuth.${key} is not a GUID`, id, 'a GUID like 00000000-0000-0000-0000-000000000000');
        }
      }
      if (Token.isUnresolved(r.serviceUri)) return;
      const problem = webhookUrlProblem(r.serviceUri);
      if (problem) add('InvalidServiceUri', `${where}.serviceUri is not an https URL without credentials`, r.serviceUri, problem);
    });
  }
}

/** Rules the props describe, after defaults and overrides; problems go to `add`. */
function resolveRules(props: EntraAlertRulesProps, add: Add): ResolvedAlertRule[] {
  const routed = new Set(props.routedTables);
  const basic = new Set(props.basicPlanTables ?? []);
  const disabled = new Set<string>();
  for (const [i, key] of (props.disabled ?? []).entries()) {
    if (!DETECTION_KEYS.includes(key)) {
      add('UnknownDetection', `disabled[${i}] is not a catalog key`, key, `a catalog key${didYouMean(key, DETECTION_KEYS)}; see docs/alerts.md`);
    } else {
      disabled.add(key);
    }
  }
  const overrides = props.overrides ?? {};
  for (const key of Object.keys(overrides)) {
    if (!DETECTION_KEYS.includes(key)) {
      add('UnknownDetection', `overrides has no catalog key ${show(key)}`, key, `a catalog key${didYouMean(key, DETECTION_KEYS)}; see docs/alerts.md`);
    } else if (disabled.has(key)) {
      add('OverrideOfDisabledDetection', `overrides.${key} changes a detection that disabled removes`, key, 'either the override or the disabled entry, not both');
    }
  }

  const out: ResolvedAlertRule[] = [];
  for (const detection of DETECTIONS) {
    if (disabled.has(detection.key)) continue;
    const rule = resolveCatalogRule(detection, overrides[detection.key] ?? {}, add);
    checkTables(`detection ${detection.key}`, detection.tables, routed, basic, add);
    if (rule) out.push(rule);
  }

  const customKeys = new Set<string>();
  const customs = props.customDetections ?? [];
  // Custom KQL is the user's: it is checked before anything is deployed, with the Kusto service (an
  // optional peer dependency of the library). Without it: one problem for all custom detections.
  const checkKql = customs.length === 0 || kustoServiceAvailable();
  if (!checkKql) {
    add(
      'KustoServiceMissing',
      `customDetections hold KQL of yours, which is checked with the Kusto language service before anything is deployed, and ${KUSTO_SERVICE_PACKAGE} is not installed`,
      customs.map((c) => c.key),
      `the service installed in the app: ${KUSTO_INSTALL_COMMAND}`,
    );
  }
  for (const [i, custom] of customs.entries()) {
    const rule = resolveCustomRule(i, custom, customKeys, routed, basic, add, checkKql);
    if (rule) out.push(rule);
  }
  return out;
}

/** A query line as shown in an error: trimmed, at most 120 characters (a line can be kilobytes long). */
function excerpt(line: string | undefined): string | undefined {
  const text = line?.replace(/^\uFEFF/, '').trim();
  return text !== undefined && text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function checkTables(who: string, tables: readonly string[], routed: ReadonlySet<string>, basic: ReadonlySet<string>, add: Add): void {
  for (const table of tables) {
    if (basic.has(table)) {
      add('BasicPlanTable', `${who} reads table ${table}, which is on the Basic plan and cannot be queried by log alerts`, table, `the Analytics plan for ${table}, or disable the detection`);
    } else if (!routed.has(table)) {
      add('UnroutedTable', `${who} reads table ${table}, which this stack does not route to the workspace`, table, `${howToRoute(table)}, or disable the detection (routed tables: ${[...routed].sort().join(', ') || 'none'})`);
    }
  }
}

function resolveCatalogRule(detection: Detection, override: DetectionOverride, add: Add): ResolvedAlertRule | undefined {
  const at = `overrides.${detection.key}`;
  const values: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(override.parameters ?? {})) {
    const def = detection.parameters[name];
    if (!def) {
      const names = Object.keys(detection.parameters);
      add('UnknownParameter', `${at}.parameters.${name} is not a parameter of ${detection.key}`, name, names.length ? `${oneOf(names)}${didYouMean(name, names)}` : 'no parameters (this detection has none)');
      continue;
    }
    const typeProblem = parameterTypeProblem(def.type, value);
    if (typeProblem) {
      add('InvalidParameter', `${at}.parameters.${name} has the wrong type`, value, typeProblem);
      continue;
    }
    values[name] = value;
  }
  const rule: ResolvedAlertRule = {
    key: detection.key,
    custom: false,
    displayName: detection.displayName,
    description: `${detection.description} MITRE ATT&CK ${[...detection.tactics, ...detection.techniques].join(', ')}. Catalog key ${detection.key}.`,
    severity: override.severity ?? detection.severity,
    query: '',
    tables: detection.tables,
    evaluationFrequency: override.evaluationFrequency ?? detection.evaluationFrequency,
    windowDuration: override.windowDuration ?? detection.windowDuration,
    aggregation: detection.aggregation,
    metricMeasureColumn: detection.metricMeasureColumn,
    operator: override.operator ?? detection.operator,
    threshold: override.threshold ?? detection.threshold,
    dimensions: detection.dimensions,
    failingPeriods: override.failingPeriods ?? detection.failingPeriods,
    autoMitigationEnabled: override.autoMitigationEnabled,
    muteActionsAfterAlertDuration: override.muteActionsAfterAlertDuration,
    enabled: override.enabled ?? true,
  };
  validateRuleSettings(at, rule, add);
  for (const [name, def] of Object.entries(detection.parameters)) {
    const value = values[name] ?? def.default;
    if (def.type === 'timespan' && def.atMostWindow) {
      const windowMs = isoDurationMs(rule.windowDuration);
      if (kustoTimespanMs(value as string) > windowMs) {
        add('ParameterExceedsWindow', `${at}.parameters.${name} looks back further than the rule's windowDuration ${rule.windowDuration}, so the query never sees that much data`, value, `at most the window (${rule.windowDuration}), or a longer windowDuration`);
      }
    }
  }
  return { ...rule, query: renderQuery(detection.key, readQueryFile(detection.key), detection.parameters, values) };
}

function resolveCustomRule(
  index: number,
  custom: CustomDetection,
  keys: Set<string>,
  routed: ReadonlySet<string>,
  basic: ReadonlySet<string>,
  add: Add,
  checkKql: boolean,
): ResolvedAlertRule | undefined {
  const at = `customDetections[${index}]`;
  let keyOk = true;
  if (!KEY_PATTERN.test(custom.key) || custom.key.length > 64) {
    add('InvalidDetectionKey', `${at}.key is not a valid key`, custom.key, 'lower-case letters and digits in words joined by "-", at most 64 characters');
    keyOk = false;
  } else if (DETECTION_KEYS.includes(custom.key)) {
    add('DuplicateDetectionKey', `${at}.key is already a catalog key`, custom.key, 'a key that is not in the catalog (override the catalog detection instead)');
    keyOk = false;
  } else if (keys.has(custom.key)) {
    add('DuplicateDetectionKey', `${at}.key is used by another custom detection`, custom.key, 'a distinct key per custom detection');
    keyOk = false;
  }
  keys.add(custom.key);
  if (!custom.displayName || custom.displayName.trim() === '') {
    add('InvalidDisplayName', `${at}.displayName is empty`, custom.displayName, 'a non-empty title');
  }
  const who = `custom detection ${custom.key}`;
  let tables: string[] = [];
  if (typeof custom.query !== 'string' || custom.query.trim() === '') {
    add('InvalidQuery', `${at}.query is empty`, custom.query, 'a KQL query');
  } else if (checkKql) {
    const diagnostics = validateKql(custom.query);
    const lines = custom.query.split(/\r\n|\r|\n/);
    for (const d of diagnostics) {
      add('InvalidQuery', `${who} query line ${d.line}, column ${d.column}: ${d.message} (${d.code})`, excerpt(lines[d.line - 1]), 'KQL that the Kusto language service accepts against the known table schemas');
    }
    tables = referencedTables(custom.query);
    checkTables(who, tables, routed, basic, add);
  }
  const rule: ResolvedAlertRule = {
    key: custom.key,
    custom: true,
    displayName: custom.displayName,
    description: custom.description ?? `Custom detection ${custom.key}.`,
    severity: custom.severity,
    query: custom.query,
    tables,
    evaluationFrequency: custom.evaluationFrequency ?? CUSTOM_DEFAULTS.evaluationFrequency,
    windowDuration: custom.windowDuration ?? CUSTOM_DEFAULTS.windowDuration,
    aggregation: custom.aggregation ?? CUSTOM_DEFAULTS.aggregation,
    metricMeasureColumn: custom.metricMeasureColumn,
    operator: custom.operator ?? CUSTOM_DEFAULTS.operator,
    threshold: custom.threshold ?? CUSTOM_DEFAULTS.threshold,
    dimensions: custom.dimensions,
    failingPeriods: custom.failingPeriods,
    autoMitigationEnabled: custom.autoMitigationEnabled,
    muteActionsAfterAlertDuration: custom.muteActionsAfterAlertDuration,
    enabled: custom.enabled ?? true,
  };
  validateRuleSettings(at, rule, add);
  return keyOk ? rule : undefined;
}

/** Azure's rules for one rule's settings (azure-facts.md §3, TFAZ schema). */
function validateRuleSettings(at: string, rule: ResolvedAlertRule, add: Add): void {
  if (!Number.isInteger(rule.severity) || rule.severity < 0 || rule.severity > 4) {
    add('InvalidSeverity', `${at}.severity is out of range`, rule.severity, 'an integer from 0 (critical) to 4 (verbose)');
  }
  const frequencyOk = (EVALUATION_FREQUENCIES as readonly string[]).includes(rule.evaluationFrequency);
  const windowOk = (WINDOW_DURATIONS as readonly string[]).includes(rule.windowDuration);
  if (!frequencyOk) {
    add('InvalidEvaluationFrequency', `${at}.evaluationFrequency is not a value Azure accepts`, rule.evaluationFrequency, `${oneOf(EVALUATION_FREQUENCIES)}${didYouMean(rule.evaluationFrequency, EVALUATION_FREQUENCIES)}`);
  }
  if (!windowOk) {
    add('InvalidWindowDuration', `${at}.windowDuration is not a value Azure accepts`, rule.windowDuration, `${oneOf(WINDOW_DURATIONS)}${didYouMean(rule.windowDuration, WINDOW_DURATIONS)}`);
  }
  if (!(OPERATORS as readonly string[]).includes(rule.operator)) {
    add('InvalidOperator', `${at}.operator is not a value Azure accepts`, rule.operator, `${oneOf(OPERATORS)}${didYouMean(rule.operator, OPERATORS)}`);
  }
  if (!(AGGREGATIONS as readonly string[]).includes(rule.aggregation)) {
    add('InvalidAggregation', `${at}.aggregation is not a value Azure accepts`, rule.aggregation, oneOf(AGGREGATIONS));
  } else if (rule.aggregation === 'Count' && rule.metricMeasureColumn !== undefined) {
    add('UnexpectedMetricMeasureColumn', `${at}.metricMeasureColumn is not allowed with aggregation Count`, rule.metricMeasureColumn, 'no metricMeasureColumn, or an aggregation of Average, Minimum, Maximum or Total');
  } else if (rule.aggregation !== 'Count' && !rule.metricMeasureColumn) {
    add('MissingMetricMeasureColumn', `${at}.metricMeasureColumn is required with aggregation ${rule.aggregation}`, rule.metricMeasureColumn, 'the name of a numeric column of the query result');
  }
  if (typeof rule.threshold !== 'number' || !Number.isFinite(rule.threshold)) {
    add('InvalidThreshold', `${at}.threshold is not a finite number`, rule.threshold, 'a number');
  }
  for (const [i, d] of (rule.dimensions ?? []).entries()) {
    if (!d.name) add('InvalidDimension', `${at}.dimensions[${i}].name is empty`, d.name, 'a column of the query result');
    if (!(DIMENSION_OPERATORS as readonly string[]).includes(d.operator)) {
      add('InvalidDimension', `${at}.dimensions[${i}].operator is not a value Azure accepts`, d.operator, oneOf(DIMENSION_OPERATORS));
    }
    if (!d.values || d.values.length === 0 || d.values.some((v) => !v)) {
      add('InvalidDimension', `${at}.dimensions[${i}].values must be non-empty strings`, d.values, 'at least one non-empty value');
    }
  }
  let periods = 1;
  if (rule.failingPeriods) {
    const { minimumFailingPeriodsToTriggerAlert: min, numberOfEvaluationPeriods: n } = rule.failingPeriods;
    const inRange = (v: number) => Number.isInteger(v) && v >= 1 && v <= 6;
    if (!inRange(n)) add('InvalidFailingPeriods', `${at}.failingPeriods.numberOfEvaluationPeriods is out of range`, n, 'an integer from 1 to 6');
    if (!inRange(min)) add('InvalidFailingPeriods', `${at}.failingPeriods.minimumFailingPeriodsToTriggerAlert is out of range`, min, 'an integer from 1 to 6');
    if (inRange(n) && inRange(min) && min > n) {
      add('InvalidFailingPeriods', `${at}.failingPeriods.minimumFailingPeriodsToTriggerAlert exceeds numberOfEvaluationPeriods (${n})`, min, `at most ${n}`);
    }
    if (inRange(n)) periods = n;
  }
  if (frequencyOk && windowOk) {
    const frequencyMs = isoDurationMs(rule.evaluationFrequency);
    const windowMs = isoDurationMs(rule.windowDuration);
    if (rule.evaluationFrequency === 'PT1M' && windowMs > isoDurationMs('PT6H')) {
      add('InvalidWindowForFrequency', `${at}.windowDuration is too long for evaluationFrequency PT1M`, rule.windowDuration, 'PT1M to PT6H when the frequency is PT1M');
    } else if (rule.evaluationFrequency !== 'PT1M' && windowMs < isoDurationMs('PT5M')) {
      add('InvalidWindowForFrequency', `${at}.windowDuration is too short for evaluationFrequency ${rule.evaluationFrequency}`, rule.windowDuration, 'PT5M to P2D unless the frequency is PT1M');
    }
    const lookbackMs = windowMs * periods;
    if (lookbackMs > MAX_LOOKBACK_MS) {
      add('LookbackTooLong', `${at}: windowDuration ${rule.windowDuration} × numberOfEvaluationPeriods ${periods} looks back more than 48 hours`, `${lookbackMs / 3600_000}h`, 'a look-back of at most 48 hours');
    }
    if (frequencyMs > lookbackMs) {
      add('FrequencyExceedsLookback', `${at}.evaluationFrequency is longer than the look-back (windowDuration × numberOfEvaluationPeriods), so data would be skipped`, rule.evaluationFrequency, `at most ${rule.windowDuration}${periods > 1 ? ` × ${periods}` : ''}`);
    }
    if (rule.muteActionsAfterAlertDuration !== undefined) {
      if (!(MUTE_DURATIONS as readonly string[]).includes(rule.muteActionsAfterAlertDuration)) {
        add('InvalidMuteDuration', `${at}.muteActionsAfterAlertDuration is not a value Azure accepts`, rule.muteActionsAfterAlertDuration, oneOf(MUTE_DURATIONS));
      } else if (isoDurationMs(rule.muteActionsAfterAlertDuration) < frequencyMs) {
        add('InvalidMuteDuration', `${at}.muteActionsAfterAlertDuration is shorter than evaluationFrequency ${rule.evaluationFrequency}`, rule.muteActionsAfterAlertDuration, `at least ${rule.evaluationFrequency}`);
      }
    }
  }
  if (rule.autoMitigationEnabled && rule.muteActionsAfterAlertDuration !== undefined) {
    add('MuteWithAutoMitigation', `${at} sets both autoMitigationEnabled and muteActionsAfterAlertDuration, which Azure treats as exclusive`, { autoMitigationEnabled: true, muteActionsAfterAlertDuration: rule.muteActionsAfterAlertDuration }, 'only one of the two');
  }
}

/**
 * Microsoft Sentinel as a target of the detection catalog: the workspace's onboarding
 * (`azurerm_sentinel_log_analytics_workspace_onboarding`) and one scheduled analytics rule
 * (`azurerm_sentinel_alert_rule_scheduled`) per resolved rule, with its MITRE tactics and
 * techniques, entity mappings and incident grouping. Used by EntraAlertRules; the value sets below
 * are data with their sources.
 *
 * Sources (azurerm provider v4.55.0, the version of @cdktf/provider-azurerm 14.23.1):
 * - arguments: node_modules/@cdktf/provider-azurerm/lib/sentinel-alert-rule-scheduled/index.d.ts and
 *   the resource page website/docs/r/sentinel_alert_rule_scheduled.html.markdown of
 *   hashicorp/terraform-provider-azurerm;
 * - validation: internal/services/sentinel/sentinel_alert_rule_scheduled_resource.go and
 *   sentinel_alert_rule_nrt_resource.go (same blocks): query_frequency and query_period are ISO 8601
 *   durations between PT5M and P14D, query_frequency ≤ query_period; trigger_operator GreaterThan,
 *   LessThan, Equal or NotEqual; trigger_threshold ≥ 0; severity High, Medium, Low, Informational;
 *   entity_mapping at most 5 blocks of at most 3 field_mapping; incident.grouping.lookback_duration
 *   an ISO 8601 duration, entity_matching_method AnyAlert, Selected or AllEntities;
 *   event_grouping.aggregation_method AlertPerResult or SingleAlert;
 * - techniques: the Sentinel API takes parent technique ids only ("The technique 'T1098.003' is
 *   invalid. The expected format is 'T####'", hashicorp/terraform-provider-azurerm#28801), so
 *   sub-techniques are given as their parent (T1078.004 → T1078);
 * - tactic names: the resource page's list (InitialAccess, Persistence, ...); MITRE ATT&CK tactic
 *   ids from attack.mitre.org/tactics/enterprise;
 * - entity types and identifiers: Microsoft Sentinel entity types reference
 *   (learn.microsoft.com/azure/sentinel/entities-reference): Account FullName and AadUserId, IP
 *   Address, CloudApplication Name.
 */
import { SentinelAlertRuleScheduled, SentinelAlertRuleScheduledEntityMapping } from '@cdktf/provider-azurerm/lib/sentinel-alert-rule-scheduled';
import { SentinelLogAnalyticsWorkspaceOnboarding } from '@cdktf/provider-azurerm/lib/sentinel-log-analytics-workspace-onboarding';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AlertOperator, AlertSeverity, DetectionEntities, escapeTerraformTemplate, isoDurationMs } from './detection';

/** MITRE ATT&CK enterprise tactic ids → Sentinel tactic names. */
export const SENTINEL_TACTICS: Readonly<Record<string, string>> = {
  TA0043: 'Reconnaissance',
  TA0042: 'ResourceDevelopment',
  TA0001: 'InitialAccess',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'PrivilegeEscalation',
  TA0005: 'DefenseEvasion',
  TA0006: 'CredentialAccess',
  TA0007: 'Discovery',
  TA0008: 'LateralMovement',
  TA0009: 'Collection',
  TA0011: 'CommandAndControl',
  TA0010: 'Exfiltration',
  TA0040: 'Impact',
};

/** Incident grouping look-back values offered here (ISO 8601; the provider checks only the format). */
export const GROUPING_LOOKBACKS = ['PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT5H', 'PT12H', 'P1D'] as const;
export type GroupingLookback = (typeof GROUPING_LOOKBACKS)[number];

/** How Sentinel groups the alerts of one rule into incidents. */
export interface SentinelIncidentGrouping {
  /**
   * Group alerts into incidents at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Alerts within this time of the incident's first alert join it.
   * @default 'PT5H'
   */
  readonly lookbackDuration?: GroupingLookback;
  /**
   * `AllEntities`: alerts with the same entities (account, IP, application) share an incident;
   * `AnyAlert`: every alert of the rule within the look-back does.
   * @default 'AllEntities'
   */
  readonly matchingMethod?: 'AllEntities' | 'AnyAlert';
  /**
   * Re-open a closed incident when a matching alert arrives.
   * @default false
   */
  readonly reopenClosedIncidents?: boolean;
}

/** Deploy the rules to Microsoft Sentinel on the same workspace. */
export interface SentinelTarget {
  /**
   * Onboard the workspace to Microsoft Sentinel. Set `false` when it is already onboarded (by the
   * portal or another configuration): onboarding twice fails.
   * @default true
   */
  readonly onboardWorkspace?: boolean;
  /**
   * Create an incident from the rules' alerts.
   * @default true
   */
  readonly createIncidents?: boolean;
  /**
   * Incident grouping of every rule.
   * @default - enabled, AllEntities, PT5H, closed incidents stay closed
   */
  readonly incidentGrouping?: SentinelIncidentGrouping;
}

/** What one Sentinel rule is made of (a resolved catalog or custom rule). */
export interface SentinelRuleInput {
  readonly key: string;
  readonly custom: boolean;
  readonly displayName: string;
  readonly description: string;
  readonly severity: AlertSeverity;
  readonly query: string;
  readonly evaluationFrequency: string;
  readonly windowDuration: string;
  readonly aggregation: string;
  readonly operator: AlertOperator;
  readonly threshold: number;
  readonly enabled: boolean;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly entities?: DetectionEntities;
}

const SEVERITIES = ['High', 'High', 'Medium', 'Low', 'Informational'] as const;
const TRIGGER_OPERATORS: Partial<Record<AlertOperator, string>> = { GreaterThan: 'GreaterThan', LessThan: 'LessThan', Equal: 'Equal' };
const MIN_FREQUENCY_MS = isoDurationMs('PT5M');
const MAX_PERIOD_MS = isoDurationMs('P14D');

/** Sentinel severity of an alert severity 0–4. */
export function sentinelSeverity(severity: AlertSeverity): string {
  return SEVERITIES[severity];
}

/** Parent technique ids, without duplicates, in order: T1078.004 → T1078. */
export function sentinelTechniques(techniques: readonly string[]): string[] {
  return [...new Set(techniques.map((t) => t.split('.')[0] as string))];
}

/** The entity mappings of a rule (at most 3 blocks here, within the provider's 5). */
export function sentinelEntityMappings(entities: DetectionEntities | undefined): SentinelAlertRuleScheduledEntityMapping[] {
  if (!entities) return [];
  const out: SentinelAlertRuleScheduledEntityMapping[] = [];
  const account = [
    ...(entities.accountUpn ? [{ identifier: 'FullName', columnName: entities.accountUpn }] : []),
    ...(entities.accountObjectId ? [{ identifier: 'AadUserId', columnName: entities.accountObjectId }] : []),
  ];
  if (account.length > 0) out.push({ entityType: 'Account', fieldMapping: account });
  if (entities.ipAddress) out.push({ entityType: 'IP', fieldMapping: [{ identifier: 'Address', columnName: entities.ipAddress }] });
  if (entities.applicationName) out.push({ entityType: 'CloudApplication', fieldMapping: [{ identifier: 'Name', columnName: entities.applicationName }] });
  return out;
}

type Add = (code: string, what: string, got: unknown, expected: string) => void;

/** Why `rule` cannot become a Sentinel scheduled rule; each problem goes to `add`. */
export function checkSentinelRule(at: string, rule: SentinelRuleInput, add: Add): void {
  const frequencyMs = isoDurationMs(rule.evaluationFrequency);
  if (frequencyMs < MIN_FREQUENCY_MS) {
    add('SentinelFrequencyTooShort', `${at}.evaluationFrequency is shorter than Microsoft Sentinel allows for scheduled rules`, rule.evaluationFrequency, 'PT5M or longer while alerts.sentinel is enabled');
  }
  if (isoDurationMs(rule.windowDuration) > MAX_PERIOD_MS) {
    add('SentinelPeriodTooLong', `${at}.windowDuration is longer than Microsoft Sentinel allows`, rule.windowDuration, 'at most P14D');
  }
  if (rule.aggregation !== 'Count') {
    add('SentinelAggregation', `${at}.aggregation ${rule.aggregation} cannot be expressed in Microsoft Sentinel, whose scheduled rules compare the number of result rows with the threshold`, rule.aggregation, 'Count while alerts.sentinel is enabled (aggregate in the query instead)');
  }
  if (!TRIGGER_OPERATORS[rule.operator]) {
    add('SentinelOperator', `${at}.operator ${rule.operator} is not a Microsoft Sentinel trigger operator`, rule.operator, `GreaterThan, LessThan or Equal while alerts.sentinel is enabled (e.g. GreaterThan ${Math.max(0, rule.threshold - 1)} for GreaterThanOrEqual ${rule.threshold})`);
  }
  if (!Number.isInteger(rule.threshold) || rule.threshold < 0) {
    add('SentinelThreshold', `${at}.threshold must be a whole number of result rows for Microsoft Sentinel`, rule.threshold, 'an integer of 0 or more');
  }
  for (const tactic of rule.tactics) {
    if (!SENTINEL_TACTICS[tactic]) add('SentinelTactic', `${at} has a MITRE tactic id Microsoft Sentinel has no name for`, tactic, `one of ${Object.keys(SENTINEL_TACTICS).join(', ')}`);
  }
}

/** The grouping settings, defaults applied. */
export function resolveGrouping(target: SentinelTarget): Required<SentinelIncidentGrouping> {
  const g = target.incidentGrouping ?? {};
  return {
    enabled: g.enabled ?? true,
    lookbackDuration: g.lookbackDuration ?? 'PT5H',
    matchingMethod: g.matchingMethod ?? 'AllEntities',
    reopenClosedIncidents: g.reopenClosedIncidents ?? false,
  };
}

export interface SentinelRulesProps {
  readonly workspaceResourceId: string;
  readonly namePrefix: string;
  readonly target: SentinelTarget;
  readonly rules: readonly SentinelRuleInput[];
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * The Sentinel resources of EntraAlertRules: `Onboarding` (unless `onboardWorkspace: false`), then
 * `Rules/<key>` and `CustomRules/<key>`. Props are validated by EntraAlertRules before this is built.
 */
export class SentinelRules extends Construct {
  readonly onboarding?: SentinelLogAnalyticsWorkspaceOnboarding;
  readonly rules: Readonly<Record<string, SentinelAlertRuleScheduled>>;

  constructor(scope: Construct, id: string, props: SentinelRulesProps) {
    super(scope, id);
    const grouping = resolveGrouping(props.target);
    if (props.target.onboardWorkspace ?? true) {
      this.onboarding = new SentinelLogAnalyticsWorkspaceOnboarding(this, 'Onboarding', {
        workspaceId: props.workspaceResourceId,
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      });
    }
    const dependsOn = this.onboarding ? [this.onboarding] : props.dependsOn ? [...props.dependsOn] : undefined;
    const rules: Record<string, SentinelAlertRuleScheduled> = {};
    const catalogScope = props.rules.some((r) => !r.custom) ? new Construct(this, 'Rules') : undefined;
    const customScope = props.rules.some((r) => r.custom) ? new Construct(this, 'CustomRules') : undefined;
    for (const rule of props.rules) {
      const entityMapping = sentinelEntityMappings(rule.entities);
      rules[rule.key] = new SentinelAlertRuleScheduled(rule.custom ? customScope! : catalogScope!, rule.key, {
        name: `${props.namePrefix}-${rule.key}`,
        logAnalyticsWorkspaceId: this.onboarding ? this.onboarding.workspaceId : props.workspaceResourceId,
        displayName: escapeTerraformTemplate(rule.displayName),
        description: escapeTerraformTemplate(rule.description),
        severity: sentinelSeverity(rule.severity),
        enabled: rule.enabled,
        query: escapeTerraformTemplate(rule.query),
        queryFrequency: rule.evaluationFrequency,
        queryPeriod: rule.windowDuration,
        triggerOperator: TRIGGER_OPERATORS[rule.operator],
        triggerThreshold: rule.threshold,
        tactics: rule.tactics.map((t) => SENTINEL_TACTICS[t] as string),
        techniques: sentinelTechniques(rule.techniques),
        entityMapping: entityMapping.length > 0 ? entityMapping : undefined,
        eventGrouping: { aggregationMethod: 'AlertPerResult' },
        incident: {
          createIncidentEnabled: props.target.createIncidents ?? true,
          grouping: {
            enabled: grouping.enabled,
            lookbackDuration: grouping.lookbackDuration,
            entityMatchingMethod: grouping.matchingMethod,
            reopenClosedIncidents: grouping.reopenClosedIncidents,
          },
        },
        dependsOn,
      });
    }
    this.rules = rules;
  }
}

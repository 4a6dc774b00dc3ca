/**
 * Azure's rules for the resources EntraAlertRules declares (`azurerm_monitor_scheduled_query_rules_alert_v2`
 * and `azurerm_monitor_action_group`, from their schemas in
 * https://github.com/hashicorp/terraform-provider-azurerm/blob/v4.55.0/internal/services/monitor/), as jest
 * assertions on synthesized JSON (snake_case). Used by the construct tests and meant for the
 * stack-level azure-facts test as well.
 */
import {
  AGGREGATIONS,
  EVALUATION_FREQUENCIES,
  isoDurationMs,
  MUTE_DURATIONS,
  OPERATORS,
  WINDOW_DURATIONS,
} from '../../../constructs/entra-alert-rules/detection';

type R = Record<string, any>;

/** Resource names: 1–260 characters, none of `*<>%{}&:\?/#` or control characters, no trailing space or period. */
const RULE_NAME = /^[^*<>%{}&:\\?/#\u0000-\u001f]{1,260}$/;
const ACTION_GROUP_NAME = /^[^:<>+/&%\\?\u0000-\u001f]{1,260}$/;

/** §3 facts of one synthesized `azurerm_monitor_scheduled_query_rules_alert_v2`. */
export function expectAlertRuleFacts(rule: R): void {
  expect(rule.name).toMatch(RULE_NAME);
  expect(rule.name).not.toMatch(/[ .]$/);
  expect(rule.scopes).toHaveLength(1);
  expect(Number.isInteger(rule.severity) && rule.severity >= 0 && rule.severity <= 4).toBe(true);
  expect(EVALUATION_FREQUENCIES).toContain(rule.evaluation_frequency);
  expect(WINDOW_DURATIONS).toContain(rule.window_duration);
  const frequency = isoDurationMs(rule.evaluation_frequency);
  const window = isoDurationMs(rule.window_duration);
  if (rule.evaluation_frequency === 'PT1M') expect(window).toBeLessThanOrEqual(isoDurationMs('PT6H'));
  else expect(window).toBeGreaterThanOrEqual(isoDurationMs('PT5M'));
  expect(rule.criteria).toHaveLength(1);
  const [criterion] = rule.criteria;
  expect(typeof criterion.query).toBe('string');
  expect(criterion.query.length).toBeGreaterThan(0);
  expect(OPERATORS).toContain(criterion.operator);
  expect(AGGREGATIONS).toContain(criterion.time_aggregation_method);
  expect(Number.isFinite(criterion.threshold)).toBe(true);
  if (criterion.time_aggregation_method === 'Count') expect(criterion.metric_measure_column).toBeUndefined();
  else expect(criterion.metric_measure_column).toEqual(expect.any(String));
  const periods = criterion.failing_periods?.number_of_evaluation_periods ?? 1;
  if (criterion.failing_periods) {
    const min = criterion.failing_periods.minimum_failing_periods_to_trigger_alert;
    expect(periods >= 1 && periods <= 6 && min >= 1 && min <= periods).toBe(true);
  }
  const lookback = window * periods;
  expect(lookback).toBeLessThanOrEqual(48 * 3600_000);
  expect(frequency).toBeLessThanOrEqual(lookback);
  if (rule.mute_actions_after_alert_duration !== undefined) {
    expect(MUTE_DURATIONS).toContain(rule.mute_actions_after_alert_duration);
    expect(isoDurationMs(rule.mute_actions_after_alert_duration)).toBeGreaterThanOrEqual(frequency);
    expect(rule.auto_mitigation_enabled).not.toBe(true);
  }
}

/** §3 facts of one synthesized `azurerm_monitor_action_group`. */
export function expectActionGroupFacts(group: R): void {
  expect(group.name).toMatch(ACTION_GROUP_NAME);
  expect(group.name).not.toMatch(/[ .]$/);
  expect(group.short_name.length).toBeGreaterThanOrEqual(1);
  expect(group.short_name.length).toBeLessThanOrEqual(12);
  const receivers = [...(group.email_receiver ?? []), ...(group.webhook_receiver ?? [])];
  const names = receivers.map((r: R) => String(r.name).toLowerCase());
  expect(new Set(names).size).toBe(names.length);
  for (const r of receivers) expect(r.use_common_alert_schema).toBe(true);
}

/**
 * Provider facts of one synthesized `azurerm_sentinel_alert_rule_scheduled` (azurerm v4.55.0:
 * internal/services/sentinel/sentinel_alert_rule_scheduled_resource.go and the resource page; parent
 * technique ids only, hashicorp/terraform-provider-azurerm#28801).
 */
export function expectSentinelRuleFacts(rule: R): void {
  expect(rule.name).toMatch(/^\S+$/);
  expect(rule.display_name).not.toBe('');
  expect(['High', 'Medium', 'Low', 'Informational']).toContain(rule.severity);
  expect(rule.query).not.toBe('');
  const frequency = isoDurationMs(rule.query_frequency);
  const period = isoDurationMs(rule.query_period);
  for (const d of [frequency, period]) expect(d >= isoDurationMs('PT5M') && d <= isoDurationMs('P14D')).toBe(true);
  expect(frequency).toBeLessThanOrEqual(period);
  expect(['GreaterThan', 'LessThan', 'Equal', 'NotEqual']).toContain(rule.trigger_operator);
  expect(Number.isInteger(rule.trigger_threshold) && rule.trigger_threshold >= 0).toBe(true);
  const tactics = ['Collection', 'CommandAndControl', 'CredentialAccess', 'DefenseEvasion', 'Discovery', 'Execution', 'Exfiltration', 'ImpairProcessControl', 'InhibitResponseFunction', 'Impact', 'InitialAccess', 'LateralMovement', 'Persistence', 'PrivilegeEscalation', 'PreAttack', 'Reconnaissance', 'ResourceDevelopment'];
  for (const t of rule.tactics ?? []) expect(tactics).toContain(t);
  for (const t of rule.techniques ?? []) expect(t).toMatch(/^T\d{4}$/);
  const mappings: R[] = rule.entity_mapping ?? [];
  expect(mappings.length).toBeLessThanOrEqual(5);
  const identifiers: Record<string, string[]> = { Account: ['FullName', 'AadUserId', 'Name', 'UPNSuffix'], IP: ['Address'], CloudApplication: ['Name', 'AppId', 'InstanceName'] };
  for (const m of mappings) {
    expect(Object.keys(identifiers)).toContain(m.entity_type);
    expect(m.field_mapping.length).toBeGreaterThanOrEqual(1);
    expect(m.field_mapping.length).toBeLessThanOrEqual(3);
    for (const f of m.field_mapping) expect(identifiers[m.entity_type]).toContain(f.identifier);
  }
  expect(['AlertPerResult', 'SingleAlert']).toContain(rule.event_grouping.aggregation_method);
  expect(typeof rule.incident.create_incident_enabled).toBe('boolean');
  expect(['AnyAlert', 'Selected', 'AllEntities']).toContain(rule.incident.grouping.entity_matching_method);
  expect(rule.incident.grouping.lookback_duration).toMatch(/^P(\d+D)?(T(\d+H)?(\d+M)?)?$/);
}

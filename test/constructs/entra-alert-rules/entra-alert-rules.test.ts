/**
 * EntraAlertRules: synthesized rules and action groups, disabling and overrides, and every
 * configuration error. KQL checks (which load the Kusto service) live in catalog-kql.test.ts.
 */
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DETECTIONS, DETECTION_KEYS } from '../../../constructs/entra-alert-rules/catalog';
import { isoDurationMs } from '../../../constructs/entra-alert-rules/detection';
import { EntraAlertRules } from '../../../constructs/entra-alert-rules/entra-alert-rules';
import {
  ACTION_GROUP_TYPE,
  baseProps,
  errorOf,
  ofType,
  RULE_TYPE,
  rulesByName,
  synthResources,
  WORKSPACE_ID,
} from './support';
import { expectActionGroupFacts, expectAlertRuleFacts, expectSentinelRuleFacts } from './azure-facts';

const defaults = synthResources(baseProps());
const defaultRules = rulesByName(defaults);

describe('EntraAlertRules defaults', () => {
  test('the catalog has at least 18 detections with unique keys', () => {
    expect(DETECTIONS.length).toBeGreaterThanOrEqual(18);
    expect(new Set(DETECTION_KEYS).size).toBe(DETECTION_KEYS.length);
  });

  test('one scheduled query rule per catalog detection and no action group', () => {
    expect(Object.keys(ofType(defaults, RULE_TYPE))).toHaveLength(DETECTIONS.length);
    expect(ofType(defaults, ACTION_GROUP_TYPE)).toEqual({});
  });

  test('docs/alerts.md has a catalog row for every detection', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/alerts.md'), 'utf8');
    for (const d of DETECTIONS) expect(doc).toContain(`| \`${d.key}\` | ${d.displayName} |`);
  });

  test('every rule holds Azure\'s rules (the azurerm v4.55.0 schema and the cross-field rules), with defaults and with a tuned configuration', () => {
    for (const rule of Object.values(ofType(defaults, RULE_TYPE))) expectAlertRuleFacts(rule);
    const tuned = synthResources(
      baseProps({
        actionGroups: [{ key: 'soc', shortName: 'soc', emailReceivers: [{ name: 'a', emailAddress: 'a@example.com' }], webhookReceivers: [{ name: 'b', serviceUri: 'https://example.com/h' }] }],
        overrides: { 'mfa-fatigue': { evaluationFrequency: 'PT1M', windowDuration: 'PT6H', muteActionsAfterAlertDuration: 'PT5M', failingPeriods: { minimumFailingPeriodsToTriggerAlert: 2, numberOfEvaluationPeriods: 3 } } },
      }),
    );
    for (const rule of Object.values(ofType(tuned, RULE_TYPE))) expectAlertRuleFacts(rule);
    for (const group of Object.values(ofType(tuned, ACTION_GROUP_TYPE))) expectActionGroupFacts(group);
  });

  test('pins the construct ids (Terraform addresses) of the rules', () => {
    const ids = Object.keys(ofType(defaults, RULE_TYPE)).map((id) => id.replace(/_[0-9A-F]{8}$/, ''));
    expect(ids.sort()).toEqual(DETECTION_KEYS.map((k) => `Alerts_Rules_${k}`).sort());
  });

  test('at least 18 rules remain deployable with only the baseline Entra categories routed', () => {
    const baselineTables = ['AuditLogs', 'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs', 'AADProvisioningLogs', 'MicrosoftGraphActivityLogs'];
    const deployable = DETECTIONS.filter((d) => d.tables.every((t) => baselineTables.includes(t)));
    expect(deployable.length).toBeGreaterThanOrEqual(18);
  });

  describe.each(DETECTIONS.map((d) => [d.key, d] as const))('%s', (key, detection) => {
    const rule = defaultRules[`entra-prod-${key}`];

    test('is scoped to the workspace with the catalog severity, frequency and window', () => {
      expect(rule).toBeDefined();
      expect(rule.scopes).toEqual([WORKSPACE_ID]);
      expect(rule.resource_group_name).toBe('rg-audit');
      expect(rule.location).toBe('westeurope');
      expect(rule.severity).toBe(detection.severity);
      expect(rule.evaluation_frequency).toBe(detection.evaluationFrequency);
      expect(rule.window_duration).toBe(detection.windowDuration);
      expect(rule.display_name).toBe(detection.displayName);
      expect(rule.enabled).toBe(true);
      expect(rule.description).toContain(detection.techniques[0]);
    });

    test('has one criterion with the catalog condition and the rendered query', () => {
      expect(rule.criteria).toHaveLength(1);
      const [criterion] = rule.criteria;
      expect(criterion).toEqual(
        expect.objectContaining({
          time_aggregation_method: detection.aggregation,
          operator: detection.operator,
          threshold: detection.threshold,
        }),
      );
      expect(criterion.metric_measure_column).toBeUndefined();
      expect(criterion.query).toMatch(new RegExp(`^// ${key}: `));
      for (const name of Object.keys(detection.parameters)) {
        expect(criterion.query).toMatch(new RegExp(`^let ${name} = .*;$`, 'm'));
      }
      for (const table of detection.tables) expect(criterion.query).toContain(table);
      expect(criterion.query).toContain('union isfuzzy=true');
    });

    test('respects Azure window rules: window ≥ frequency, look-back ≤ 48 h', () => {
      expect(isoDurationMs(detection.windowDuration)).toBeGreaterThanOrEqual(isoDurationMs(detection.evaluationFrequency));
      expect(isoDurationMs(detection.windowDuration)).toBeLessThanOrEqual(48 * 3600_000);
      expect(detection.tactics.every((t) => /^TA\d{4}$/.test(t))).toBe(true);
      expect(detection.techniques.every((t) => /^T\d{4}(\.\d{3})?$/.test(t))).toBe(true);
    });
  });
});

describe('EntraAlertRules props', () => {
  test('disabling one detection removes exactly that rule', () => {
    const rules = rulesByName(synthResources(baseProps({ disabled: ['mfa-fatigue'] })));
    expect(Object.keys(rules).sort()).toEqual(Object.keys(defaultRules).filter((n) => n !== 'entra-prod-mfa-fatigue').sort());
    for (const [name, rule] of Object.entries(rules)) expect(rule).toEqual(defaultRules[name]);
  });

  test('overriding one detection changes exactly that rule', () => {
    const rules = rulesByName(
      synthResources(
        baseProps({
          overrides: {
            'brute-force-single-account': {
              severity: 0,
              threshold: 2,
              evaluationFrequency: 'PT5M',
              windowDuration: 'PT30M',
              parameters: { failureThreshold: 50, failureCodes: ['50126'] },
            },
          },
        }),
      ),
    );
    const changed = Object.keys(rules).filter((n) => JSON.stringify(rules[n]) !== JSON.stringify(defaultRules[n]));
    expect(changed).toEqual(['entra-prod-brute-force-single-account']);
    const rule = rules['entra-prod-brute-force-single-account'];
    expect(rule.severity).toBe(0);
    expect(rule.evaluation_frequency).toBe('PT5M');
    expect(rule.window_duration).toBe('PT30M');
    expect(rule.criteria[0].threshold).toBe(2);
    expect(rule.criteria[0].query).toContain('let failureThreshold = 50;');
    expect(rule.criteria[0].query).toContain('let failureCodes = dynamic(["50126"]);');
    expect(rule.criteria[0].query).not.toContain('"50053"');
  });

  test('enabled: false keeps the rule but switches it off', () => {
    const rules = rulesByName(synthResources(baseProps({ overrides: { 'guest-invitation-burst': { enabled: false } } })));
    expect(rules['entra-prod-guest-invitation-burst'].enabled).toBe(false);
    expect(Object.keys(rules)).toHaveLength(DETECTIONS.length);
  });

  test('parameter values are escaped for KQL and for Terraform templates', () => {
    const rules = rulesByName(
      synthResources(baseProps({ overrides: { 'break-glass-sign-in': { parameters: { breakGlassAccounts: ['bg1@contoso.com', 'x"y\\z${a}%{b}'] } } } })),
    );
    expect(rules['entra-prod-break-glass-sign-in'].criteria[0].query).toContain(
      'let breakGlassAccounts = dynamic(["bg1@contoso.com", "x\\"y\\\\z$${a}%%{b}"]);',
    );
  });

  test('timespan, bool and int parameters are written as KQL literals', () => {
    const rules = rulesByName(
      synthResources(
        baseProps({
          overrides: {
            'no-audit-logs-ingested': { parameters: { quietPeriod: '4h' } },
            'app-consent-or-high-privilege-permission': { parameters: { alertOnAdminConsent: false } },
          },
        }),
      ),
    );
    expect(rules['entra-prod-no-audit-logs-ingested'].criteria[0].query).toContain('let quietPeriod = 4h;');
    expect(rules['entra-prod-app-consent-or-high-privilege-permission'].criteria[0].query).toContain('let alertOnAdminConsent = false;');
  });

  test('action groups use the common alert schema and are attached to every rule', () => {
    const resources = synthResources(
      baseProps({
        actionGroups: [
          {
            key: 'soc',
            shortName: 'soc-entra',
            emailReceivers: [{ name: 'soc-mail', emailAddress: 'soc@example.com' }],
            webhookReceivers: [{ name: 'soar', serviceUri: 'https://soar.example.com/hooks/entra' }],
          },
        ],
        existingActionGroupIds: ['/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/Microsoft.Insights/actionGroups/oncall'],
      }),
    );
    const groups = ofType(resources, ACTION_GROUP_TYPE);
    expect(Object.keys(groups)).toEqual([expect.stringMatching(/^Alerts_ActionGroups_soc_[0-9A-F]{8}$/)]);
    const group = Object.values(groups)[0];
    expect(group).toEqual(
      expect.objectContaining({
        name: 'entra-prod-ag-soc',
        short_name: 'soc-entra',
        email_receiver: [{ name: 'soc-mail', email_address: 'soc@example.com', use_common_alert_schema: true }],
        webhook_receiver: [{ name: 'soar', service_uri: 'https://soar.example.com/hooks/entra', use_common_alert_schema: true }],
      }),
    );
    for (const rule of Object.values(ofType(resources, RULE_TYPE))) {
      expect(rule.action.action_groups).toEqual([
        `\${azurerm_monitor_action_group.${Object.keys(groups)[0]}.id}`,
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ops/providers/Microsoft.Insights/actionGroups/oncall',
      ]);
    }
  });

  test('mute duration and failing periods reach the rule', () => {
    const rules = rulesByName(
      synthResources(
        baseProps({
          overrides: {
            'password-spray-single-ip': {
              muteActionsAfterAlertDuration: 'PT1H',
              failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 2 },
            },
          },
        }),
      ),
    );
    const rule = rules['entra-prod-password-spray-single-ip'];
    expect(rule.mute_actions_after_alert_duration).toBe('PT1H');
    expect(rule.criteria[0].failing_periods).toEqual({ minimum_failing_periods_to_trigger_alert: 1, number_of_evaluation_periods: 2 });
  });

  test('skips checks on unresolved tokens', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const workspace = new TerraformVariable(stack, 'workspace', { type: 'string' });
    expect(() => new EntraAlertRules(stack, 'Alerts', baseProps({ workspaceResourceId: workspace.stringValue }))).not.toThrow();
  });
});

describe('EntraAlertRules errors', () => {
  test('fails when a detection reads a table the stack does not route, naming detection, table and category', () => {
    const message = errorOf(baseProps({ routedTables: ['AuditLogs', 'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'MicrosoftGraphActivityLogs', 'AzureActivity', 'AADRiskyServicePrincipals', 'ADFSSignInLogs'] }));
    expect(message).toContain('[stack/Alerts] UnroutedTable: detection high-risk-user reads table AADRiskyUsers');
    expect(message).toContain('route the Entra log category "RiskyUsers" to the workspace');
    expect(message.split('\n')).toHaveLength(1);
  });

  test('fails when the tampering detection reads AzureActivity that is not routed, naming the Activity Log', () => {
    const message = errorOf(baseProps({ routedTables: ['AuditLogs', 'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'MicrosoftGraphActivityLogs', 'AADRiskyUsers', 'AADRiskyServicePrincipals', 'ADFSSignInLogs'] }));
    expect(message).toMatch(/UnroutedTable: detection entra-diagnostic-settings-changed reads table AzureActivity.*subscription Activity Log/);
  });

  test('fails when a detection reads a Basic-plan table', () => {
    const message = errorOf(baseProps({ basicPlanTables: ['AADNonInteractiveUserSignInLogs'] }));
    expect(message).toContain('BasicPlanTable: detection break-glass-sign-in reads table AADNonInteractiveUserSignInLogs');
  });

  test('fails on an unknown disabled key with a did-you-mean', () => {
    expect(errorOf(baseProps({ disabled: ['mfa-fatigeu'] }))).toBe(
      `[stack/Alerts] UnknownDetection: disabled[0] is not a catalog key, got "mfa-fatigeu"; expected a catalog key (did you mean "mfa-fatigue"?); see docs/alerts.md`,
    );
  });

  test('fails on an unknown override key and an unknown parameter', () => {
    const message = errorOf(baseProps({ overrides: { 'brute-force': {}, 'mfa-fatigue': { parameters: { denialThreshol: 2 } } } }));
    expect(message).toContain('UnknownDetection: overrides has no catalog key "brute-force"');
    expect(message).toContain('UnknownParameter: overrides.mfa-fatigue.parameters.denialThreshol is not a parameter of mfa-fatigue, got "denialThreshol"; expected one of "denialThreshold" (did you mean "denialThreshold"?)');
  });

  test('fails on a parameter of the wrong type', () => {
    expect(errorOf(baseProps({ overrides: { 'mfa-fatigue': { parameters: { denialThreshold: '3' } } } }))).toContain(
      'InvalidParameter: overrides.mfa-fatigue.parameters.denialThreshold has the wrong type, got "3"; expected a whole number',
    );
    expect(errorOf(baseProps({ overrides: { 'no-audit-logs-ingested': { parameters: { quietPeriod: 'PT6H' } } } }))).toContain(
      'expected a Kusto timespan',
    );
  });

  test('fails on a trusted IP range that is not an address or CIDR range', () => {
    expect(errorOf(baseProps({ overrides: { 'password-spray-single-ip': { parameters: { trustedIpRanges: ['203.0.113.0/24', '10.0.0.0/33'] } } } }))).toContain(
      'InvalidParameter: overrides.password-spray-single-ip.parameters.trustedIpRanges has the wrong type, got ["203.0.113.0/24","10.0.0.0/33"]; expected a list of IPv4 or IPv6 addresses or CIDR ranges',
    );
    const rules = rulesByName(synthResources(baseProps({ overrides: { 'password-spray-single-ip': { parameters: { trustedIpRanges: ['203.0.113.0/24', '2001:db8::/32'] } } } })));
    expect(rules['entra-prod-password-spray-single-ip'].criteria[0].query).toContain('let trustedIpRanges = dynamic(["203.0.113.0/24", "2001:db8::/32"]);');
  });

  test('fails when quietPeriod exceeds the window', () => {
    expect(errorOf(baseProps({ overrides: { 'no-audit-logs-ingested': { parameters: { quietPeriod: '12h' } } } }))).toContain(
      'ParameterExceedsWindow: overrides.no-audit-logs-ingested.parameters.quietPeriod',
    );
  });

  test('fails on severity outside 0-4, bad frequency and window values', () => {
    const message = errorOf(
      baseProps({
        overrides: {
          'mfa-fatigue': { severity: 5 as never, evaluationFrequency: 'PT20M' as never, windowDuration: 'P3D' as never },
        },
      }),
    );
    expect(message).toContain('InvalidSeverity: overrides.mfa-fatigue.severity is out of range, got 5; expected an integer from 0 (critical) to 4 (verbose)');
    expect(message).toContain('InvalidEvaluationFrequency: overrides.mfa-fatigue.evaluationFrequency is not a value Azure accepts, got "PT20M"');
    expect(message).toContain('InvalidWindowDuration: overrides.mfa-fatigue.windowDuration is not a value Azure accepts, got "P3D"');
    expect(message.split('\n')).toHaveLength(3);
  });

  test('fails on the PT1M window rule and a too-short window', () => {
    expect(errorOf(baseProps({ overrides: { 'mfa-fatigue': { evaluationFrequency: 'PT1M', windowDuration: 'P1D' } } }))).toContain(
      'InvalidWindowForFrequency: overrides.mfa-fatigue.windowDuration is too long for evaluationFrequency PT1M, got "P1D"; expected PT1M to PT6H',
    );
    expect(errorOf(baseProps({ overrides: { 'mfa-fatigue': { evaluationFrequency: 'PT5M', windowDuration: 'PT1M' } } }))).toContain(
      'InvalidWindowForFrequency',
    );
  });

  test('fails when the look-back exceeds 48 hours or is shorter than the frequency', () => {
    expect(
      errorOf(baseProps({ overrides: { 'mfa-fatigue': { windowDuration: 'P1D', failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 3 } } } })),
    ).toContain('LookbackTooLong: overrides.mfa-fatigue: windowDuration P1D × numberOfEvaluationPeriods 3 looks back more than 48 hours, got "72h"');
    expect(errorOf(baseProps({ overrides: { 'mfa-fatigue': { evaluationFrequency: 'P1D', windowDuration: 'PT1H' } } }))).toContain(
      'FrequencyExceedsLookback: overrides.mfa-fatigue.evaluationFrequency',
    );
  });

  test('fails on failing periods out of range or inverted', () => {
    const message = errorOf(baseProps({ overrides: { 'mfa-fatigue': { failingPeriods: { minimumFailingPeriodsToTriggerAlert: 3, numberOfEvaluationPeriods: 2 } } } }));
    expect(message).toContain('InvalidFailingPeriods: overrides.mfa-fatigue.failingPeriods.minimumFailingPeriodsToTriggerAlert exceeds numberOfEvaluationPeriods (2), got 3; expected at most 2');
    expect(errorOf(baseProps({ overrides: { 'mfa-fatigue': { failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 7 } } } }))).toContain(
      'numberOfEvaluationPeriods is out of range, got 7',
    );
  });

  test('fails when auto-mitigation and muting are both set, or muting is shorter than the frequency', () => {
    expect(errorOf(baseProps({ overrides: { 'mfa-fatigue': { autoMitigationEnabled: true, muteActionsAfterAlertDuration: 'PT1H' } } }))).toContain(
      'MuteWithAutoMitigation: overrides.mfa-fatigue sets both autoMitigationEnabled and muteActionsAfterAlertDuration',
    );
    expect(errorOf(baseProps({ overrides: { 'no-audit-logs-ingested': { muteActionsAfterAlertDuration: 'PT5M' } } }))).toContain(
      'InvalidMuteDuration: overrides.no-audit-logs-ingested.muteActionsAfterAlertDuration is shorter than evaluationFrequency PT1H',
    );
  });

  test('a webhook receiver with aadAuth gets an aad_auth block', () => {
    const resources = synthResources(
      baseProps({
        actionGroups: [
          {
            key: 'soc',
            shortName: 'soc',
            webhookReceivers: [{ name: 'soar', serviceUri: 'https://soar.example.com/hooks/entra', aadAuth: { objectId: '11111111-1111-4111-8111-111111111111', identifierUri: 'api://soar', tenantId: '00000000-0000-4000-8000-00000000c001' } }],
          },
        ],
      }),
    );
    expect(Object.values(ofType(resources, ACTION_GROUP_TYPE))[0].webhook_receiver).toEqual([
      {
        name: 'soar',
        service_uri: 'https://soar.example.com/hooks/entra',
        use_common_alert_schema: true,
        aad_auth: { object_id: '11111111-1111-4111-8111-111111111111', identifier_uri: 'api://soar', tenant_id: '00000000-0000-4000-8000-00000000c001' },
      },
    ]);
  });

  test('fails on an http webhook, naming https', () => {
    const message = errorOf(baseProps({ actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'soar', serviceUri: 'http://soar.example.com/hooks' }] }] }));
    expect(message).toContain('InvalidServiceUri: actionGroups[0].webhookReceivers[0].serviceUri is not an https URL without credentials, got "http://soar.example.com/hooks"; expected an https:// URL');
  });

  test('fails on credentials in a webhook URL without repeating them, pointing to aadAuth', () => {
    const message = errorOf(baseProps({ actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'soar', serviceUri: 'https://alice:Pa55~w0rd@soar.example.com/hooks' }] }] }));
    expect(message).toContain('InvalidServiceUri: actionGroups[0].webhookReceivers[0].serviceUri is not an https URL without credentials, got "https://***@soar.example.com/hooks"; expected a URL without a user name or password');
    expect(message).toContain('use a secret-free URL, and aadAuth for an endpoint that needs authentication');
    expect(message).not.toContain('Pa55');
    expect(message).not.toContain('alice');
  });

  test('fails on an aadAuth object or tenant id that is not a GUID', () => {
    const message = errorOf(baseProps({ actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'soar', serviceUri: 'https://soar.example.com/h', aadAuth: { objectId: 'soar-app', tenantId: 'contoso' } }] }] }));
    expect(message).toContain('InvalidAadAuth: actionGroups[0].webhookReceivers[0].aadAuth.objectId is not a GUID, got "soar-app"');
    expect(message).toContain('InvalidAadAuth: actionGroups[0].webhookReceivers[0].aadAuth.tenantId is not a GUID, got "contoso"');
  });

  test('fails on a short name longer than 12 characters, duplicate receivers and bad addresses', () => {
    const message = errorOf(
      baseProps({
        actionGroups: [
          {
            key: 'soc',
            shortName: 'security-operations',
            emailReceivers: [{ name: 'SOC', emailAddress: 'not-an-address' }],
            webhookReceivers: [{ name: 'soc', serviceUri: 'ftp://example.com' }],
          },
          { key: 'empty', shortName: '' },
        ],
      }),
    );
    expect(message).toContain('InvalidShortName: actionGroups[0].shortName must be 1–12 characters (has 19), got "security-operations"; expected 1 to 12 characters');
    expect(message).toContain('DuplicateReceiverName: actionGroups[0].webhookReceivers[0].name repeats "SOC"');
    expect(message).toContain('InvalidEmailAddress: actionGroups[0].emailReceivers[0].emailAddress is not an email address, got "not-an-address"');
    expect(message).toContain('InvalidServiceUri: actionGroups[0].webhookReceivers[0].serviceUri is not an https URL without credentials, got "ftp://example.com"; expected an absolute https URL');
    expect(message).toContain('InvalidShortName: actionGroups[1].shortName');
    expect(message).toContain('NoReceivers: actionGroups[1] has no receiver');
  });

  test('fails on an invalid workspace id, location and name prefix, reporting all at once', () => {
    const message = errorOf(baseProps({ workspaceResourceId: 'law-entra', location: 'west europe', namePrefix: 'entra/prod' }));
    const lines = message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\[stack\/Alerts\] InvalidWorkspaceResourceId: workspaceResourceId is not a Log Analytics workspace ARM id, got "law-entra"; expected \/subscriptions\//);
    expect(lines[1]).toContain('InvalidLocation: location is not an Azure region name, got "west europe"; expected an Azure region such as "westeurope" (did you mean "westeurope"?)');
    expect(lines[2]).toContain('InvalidNamePrefix: namePrefix has characters Azure rejects');
  });
});

describe('EntraAlertRules with Microsoft Sentinel as a target', () => {
  const SENTINEL_RULE = 'azurerm_sentinel_alert_rule_scheduled';
  const ONBOARDING = 'azurerm_sentinel_log_analytics_workspace_onboarding';
  const sentinel = synthResources(baseProps({ sentinel: {} }));
  const byName = (resources: ReturnType<typeof synthResources>) => Object.fromEntries(Object.values(ofType(resources, SENTINEL_RULE)).map((r) => [r.name, r]));

  test('onboards the workspace once and adds one Sentinel rule per detection, next to the Azure Monitor rules', () => {
    expect(Object.values(ofType(sentinel, ONBOARDING))).toEqual([{ workspace_id: WORKSPACE_ID }]);
    expect(Object.keys(ofType(sentinel, SENTINEL_RULE))).toHaveLength(DETECTIONS.length);
    expect(Object.keys(ofType(sentinel, RULE_TYPE))).toHaveLength(DETECTIONS.length);
    for (const rule of Object.values(ofType(sentinel, SENTINEL_RULE))) expectSentinelRuleFacts(rule);
  });

  test('pins the construct ids (Terraform addresses) of the onboarding and the Sentinel rules', () => {
    expect(Object.keys(ofType(sentinel, ONBOARDING)).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['Alerts_Sentinel_Onboarding']);
    const ids = Object.keys(ofType(sentinel, SENTINEL_RULE)).map((id) => id.replace(/_[0-9A-F]{8}$/, ''));
    expect(ids.sort()).toEqual(DETECTION_KEYS.map((k) => `Alerts_Sentinel_Rules_${k}`).sort());
  });

  test('a rule carries the catalog query, schedule, Sentinel severity, tactics, parent techniques, entities and incident grouping', () => {
    const onboardingId = Object.keys(ofType(sentinel, ONBOARDING))[0];
    const rule = byName(sentinel)['entra-prod-impossible-travel'];
    const am = defaultRules['entra-prod-impossible-travel'];
    expect(rule).toEqual({
      name: 'entra-prod-impossible-travel',
      log_analytics_workspace_id: `\${azurerm_sentinel_log_analytics_workspace_onboarding.${onboardingId}.workspace_id}`,
      display_name: 'Impossible travel between two sign-ins',
      description: am.description,
      severity: 'Medium',
      enabled: true,
      query: am.criteria[0].query,
      query_frequency: 'PT1H',
      query_period: 'PT6H',
      trigger_operator: 'GreaterThan',
      trigger_threshold: 0,
      tactics: ['InitialAccess'],
      techniques: ['T1078'],
      entity_mapping: [
        { entity_type: 'Account', field_mapping: [{ identifier: 'FullName', column_name: 'UserPrincipalName' }] },
        { entity_type: 'IP', field_mapping: [{ identifier: 'Address', column_name: 'IPAddress' }] },
        { entity_type: 'CloudApplication', field_mapping: [{ identifier: 'Name', column_name: 'AppDisplayName' }] },
      ],
      event_grouping: { aggregation_method: 'AlertPerResult' },
      incident: { create_incident_enabled: true, grouping: { enabled: true, lookback_duration: 'PT5H', entity_matching_method: 'AllEntities', reopen_closed_incidents: false } },
      depends_on: [`azurerm_sentinel_log_analytics_workspace_onboarding.${onboardingId}`],
    });
    expect(byName(sentinel)['entra-prod-mfa-fatigue-then-success'].severity).toBe('High');
    expect(byName(sentinel)['entra-prod-admin-removals-by-new-admin'].tactics).toEqual(['Impact', 'Persistence']);
    expect(byName(sentinel)['entra-prod-no-audit-logs-ingested'].entity_mapping).toBeUndefined();
  });

  test('incident settings, an already onboarded workspace and Sentinel as the only target', () => {
    const resources = synthResources(baseProps({
      azureMonitorRules: false,
      sentinel: { onboardWorkspace: false, createIncidents: false, incidentGrouping: { enabled: false, lookbackDuration: 'P1D', matchingMethod: 'AnyAlert', reopenClosedIncidents: true } },
    }));
    expect(ofType(resources, ONBOARDING)).toEqual({});
    expect(ofType(resources, RULE_TYPE)).toEqual({});
    const rule = byName(resources)['entra-prod-mfa-fatigue'];
    expect(rule.log_analytics_workspace_id).toBe(WORKSPACE_ID);
    expect(rule.depends_on).toBeUndefined();
    expect(rule.incident).toEqual({ create_incident_enabled: false, grouping: { enabled: false, lookback_duration: 'P1D', entity_matching_method: 'AnyAlert', reopen_closed_incidents: true } });
  });

  test('fails when a rule cannot be a Sentinel scheduled rule, naming the setting and the fix, all at once', () => {
    const message = errorOf(baseProps({
      sentinel: { incidentGrouping: { lookbackDuration: 'PT2H' as never } },
      overrides: { 'mfa-fatigue': { evaluationFrequency: 'PT1M', windowDuration: 'PT5M' } },
      customDetections: [
        { key: 'ge', displayName: 'GE', severity: 2, query: 'SigninLogs', operator: 'GreaterThanOrEqual', threshold: 3 },
        { key: 'avg', displayName: 'Avg', severity: 2, query: 'SigninLogs | summarize n = count()', aggregation: 'Average', metricMeasureColumn: 'n', threshold: 1.5 },
      ],
    }));
    const lines = message.split('\n');
    expect(lines).toContain('[stack/Alerts] InvalidGroupingLookback: sentinel.incidentGrouping.lookbackDuration is not a supported value, got "PT2H"; expected one of "PT5M", "PT15M", "PT30M", "PT1H", "PT5H", "PT12H", "P1D"');
    expect(lines).toContain('[stack/Alerts] SentinelFrequencyTooShort: overrides.mfa-fatigue.evaluationFrequency is shorter than Microsoft Sentinel allows for scheduled rules, got "PT1M"; expected PT5M or longer while alerts.sentinel is enabled');
    expect(lines).toContain('[stack/Alerts] SentinelOperator: customDetections[0].operator GreaterThanOrEqual is not a Microsoft Sentinel trigger operator, got "GreaterThanOrEqual"; expected GreaterThan, LessThan or Equal while alerts.sentinel is enabled (e.g. GreaterThan 2 for GreaterThanOrEqual 3)');
    expect(lines).toContain('[stack/Alerts] SentinelAggregation: customDetections[1].aggregation Average cannot be expressed in Microsoft Sentinel, whose scheduled rules compare the number of result rows with the threshold, got "Average"; expected Count while alerts.sentinel is enabled (aggregate in the query instead)');
    expect(lines).toContain('[stack/Alerts] SentinelThreshold: customDetections[1].threshold must be a whole number of result rows for Microsoft Sentinel, got 1.5; expected an integer of 0 or more');
    expect(lines).toHaveLength(5);
  });

  test('fails when no rule would be deployed, or action groups would notify nothing', () => {
    expect(errorOf(baseProps({ azureMonitorRules: false }))).toBe('[stack/Alerts] NoRuleTarget: azureMonitorRules is false and sentinel is not set, so no rule would be deployed, got false; expected azureMonitorRules: true, or a sentinel target');
    expect(errorOf(baseProps({ azureMonitorRules: false, sentinel: {}, actionGroups: [{ key: 'soc', shortName: 'soc', emailReceivers: [{ name: 'a', emailAddress: 'a@example.com' }] }] }))).toBe(
      '[stack/Alerts] ActionGroupsWithoutRules: actionGroups and existingActionGroupIds notify Azure Monitor alert rules, which azureMonitorRules: false does not deploy, got ["soc"]; expected no action groups, or azureMonitorRules: true (Sentinel notifies through automation rules and playbooks)',
    );
  });
});

/** The `alerts:` configuration section: schema errors and the translation into EntraAlertRules props. */
import { parse } from 'yaml';
import { DETECTION_KEYS } from '../../constructs/entra-alert-rules/catalog';
import { entraAlertRulesProblems } from '../../constructs/entra-alert-rules/entra-alert-rules';
import { alertProblemSetting, alertRulesPropsFromConfig, alertsConfigSchema } from '../../stacks/alerts-config';

const COMMON = {
  workspaceResourceId:
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-audit/providers/Microsoft.OperationalInsights/workspaces/law-entra-audit',
  resourceGroupName: 'rg-audit',
  location: 'westeurope',
  namePrefix: 'entra-prod',
  routedTables: ['AuditLogs', 'SigninLogs'],
  tags: { env: 'prod' },
};

const EXAMPLE = `
enabled: true
actionGroups:
  - key: soc
    shortName: soc-entra
    emailReceivers:
      - { name: soc-mail, emailAddress: soc@example.com }
    webhookReceivers:
      - { name: soar, serviceUri: "https://soar.example.com/hooks/entra" }
disabled: [high-risk-service-principal, entra-diagnostic-settings-changed]
overrides:
  break-glass-sign-in:
    parameters:
      breakGlassAccounts: [bg1@contoso.onmicrosoft.com, bg2@contoso.onmicrosoft.com]
  brute-force-single-account:
    severity: 1
    windowDuration: PT30M
    parameters: { failureThreshold: 30 }
customDetections:
  - key: payroll-sign-in
    displayName: Sign-in to the payroll application
    severity: 3
    evaluationFrequency: PT1H
    windowDuration: PT1H
    query: |
      SigninLogs
      | where AppDisplayName == "Payroll" and ResultType == "0"
`;

function issues(input: unknown): string[] {
  const result = alertsConfigSchema.safeParse(input);
  if (result.success) throw new Error('expected the schema to reject the input');
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('alertsConfigSchema', () => {
  test('an empty section means: enabled, catalog defaults without the opt-in detections, no action group', () => {
    expect(alertsConfigSchema.parse({})).toEqual({
      enabled: true,
      actionGroups: [],
      existingActionGroupIds: [],
      disabled: ['password-spray-adfs', 'pim-activation-request-denied', 'role-activated-outside-pim', 'high-risk-user', 'high-risk-service-principal', 'entra-diagnostic-settings-changed'],
      overrides: {},
      customDetections: [],
      azureMonitorRules: true,
    });
  });

  test('parses the documented example', () => {
    const config = alertsConfigSchema.parse(parse(EXAMPLE));
    expect(config.actionGroups[0].emailReceivers).toEqual([{ name: 'soc-mail', emailAddress: 'soc@example.com' }]);
    expect(config.overrides['brute-force-single-account']).toEqual({ severity: 1, windowDuration: 'PT30M', parameters: { failureThreshold: 30 } });
    expect(config.customDetections[0].query).toContain('AppDisplayName == "Payroll"');
  });

  test('fails on unknown settings, naming them and the allowed ones', () => {
    expect(issues({ enable: true })).toEqual([
      ': unknown setting "enable" (did you mean "enabled"?); expected only "enabled", "actionGroups", "existingActionGroupIds", "disabled", "overrides", "customDetections", "sentinel", "azureMonitorRules"',
    ]);
    expect(issues({ overrides: { 'mfa-fatigue': { severty: 1 } } })[0]).toMatch(/^overrides\.mfa-fatigue: unknown setting "severty" \(did you mean "severity"\?\); expected only "severity", /);
  });

  test('fails on unknown detection keys with a did-you-mean', () => {
    expect(issues({ disabled: ['mfa-fatigeu'] })[0]).toMatch(/^disabled\.0: detection key must be one of "brute-force-single-account", .*, got "mfa-fatigeu" \(did you mean "mfa-fatigue"\?\)$/);
    expect(issues({ overrides: { 'brute-force': {} } })[0]).toMatch(
      /^overrides\.brute-force: overrides key must be a catalog detection key, got "brute-force"; expected one of /,
    );
  });

  test('fails on values outside Azure sets and ranges', () => {
    const found = issues({
      overrides: { 'mfa-fatigue': { severity: 5, evaluationFrequency: 'PT20M', muteActionsAfterAlertDuration: 'PT1M' } },
      actionGroups: [{ key: 'SOC', shortName: 'security-operations', emailReceivers: [{ name: 'a', emailAddress: 'nope' }] }],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'overrides.mfa-fatigue.severity: severity must be an integer from 0 to 4, got 5',
        expect.stringMatching(/^overrides\.mfa-fatigue\.evaluationFrequency: evaluationFrequency must be one of "PT1M", .*"P1D", got "PT20M" \(did you mean "PT10M"\?\)$/),
        expect.stringMatching(/^overrides\.mfa-fatigue\.muteActionsAfterAlertDuration: muteActionsAfterAlertDuration must be one of "PT5M", .*, got "PT1M"/),
        'actionGroups.0.key: actionGroups key must be lower-case letters and digits in words joined by "-", got "SOC"',
        'actionGroups.0.shortName: shortName must be 1 to 12 characters, got "security-operations" (19 characters)',
        'actionGroups.0.emailReceivers.0.emailAddress: emailAddress must be an email address, got "nope"',
      ]),
    );
  });

  test('refuses an http webhook, saying to use https', () => {
    expect(issues({ actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'soar', serviceUri: 'http://soar.example.com/hooks' }] }] })).toEqual([
      'actionGroups.0.webhookReceivers.0.serviceUri: serviceUri must be an https:// URL: over http the alert and the URL travel unencrypted, got "http://soar.example.com/hooks"',
    ]);
  });

  test('refuses credentials in a webhook URL without repeating them, pointing to a secret-free URL and aadAuth', () => {
    const found = issues({ actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'soar', serviceUri: 'https://svc-user:Xy~7$q@soar.example.com/hooks' }] }] });
    expect(found).toEqual([
      'actionGroups.0.webhookReceivers.0.serviceUri: serviceUri must be a URL without a user name or password (they would be stored in plain text in state and shown in plans): use a secret-free URL, and aadAuth for an endpoint that needs authentication, got "https://***@soar.example.com/hooks"',
    ]);
    expect(found.join()).not.toContain('Xy~7');
  });

  test('accepts a webhook with aadAuth and passes it to the construct', () => {
    const aadAuth = { objectId: '11111111-1111-4111-8111-111111111111', identifierUri: 'api://soar' };
    const config = alertsConfigSchema.parse({ actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'soar', serviceUri: 'https://soar.example.com/h', aadAuth }] }] });
    expect(alertRulesPropsFromConfig(config, COMMON).actionGroups?.[0].webhookReceivers?.[0]).toEqual({ name: 'soar', serviceUri: 'https://soar.example.com/h', aadAuth });
  });
});

describe('alertRulesPropsFromConfig', () => {
  test('translates the section and the stack facts into construct props', () => {
    const props = alertRulesPropsFromConfig(alertsConfigSchema.parse(parse(EXAMPLE)), COMMON);
    expect(props).toEqual({
      ...COMMON,
      basicPlanTables: undefined,
      actionGroups: [
        {
          key: 'soc',
          shortName: 'soc-entra',
          emailReceivers: [{ name: 'soc-mail', emailAddress: 'soc@example.com' }],
          webhookReceivers: [{ name: 'soar', serviceUri: 'https://soar.example.com/hooks/entra' }],
        },
      ],
      existingActionGroupIds: [],
      disabled: ['high-risk-service-principal', 'entra-diagnostic-settings-changed'],
      overrides: {
        'break-glass-sign-in': { parameters: { breakGlassAccounts: ['bg1@contoso.onmicrosoft.com', 'bg2@contoso.onmicrosoft.com'] } },
        'brute-force-single-account': { severity: 1, windowDuration: 'PT30M', parameters: { failureThreshold: 30 } },
      },
      customDetections: [expect.objectContaining({ key: 'payroll-sign-in', severity: 3, evaluationFrequency: 'PT1H' })],
      sentinel: undefined,
      azureMonitorRules: true,
    });
  });

  test('Microsoft Sentinel: off by default and when enabled is false; on with the grouping defaults', () => {
    expect(alertRulesPropsFromConfig(alertsConfigSchema.parse({ sentinel: { enabled: false, onboardWorkspace: false } }), COMMON).sentinel).toBeUndefined();
    expect(alertRulesPropsFromConfig(alertsConfigSchema.parse({ sentinel: { enabled: true } }), COMMON).sentinel).toEqual({
      onboardWorkspace: true,
      createIncidents: true,
      incidentGrouping: { enabled: true, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities', reopenClosedIncidents: false },
    });
    expect(alertRulesPropsFromConfig(alertsConfigSchema.parse({ sentinel: { enabled: true, onboardWorkspace: false, incidentGrouping: { matchingMethod: 'AnyAlert' } }, azureMonitorRules: false }), COMMON)).toEqual(
      expect.objectContaining({ azureMonitorRules: false, sentinel: expect.objectContaining({ onboardWorkspace: false, incidentGrouping: expect.objectContaining({ matchingMethod: 'AnyAlert', lookbackDuration: 'PT5H' }) }) }),
    );
  });

  test('Microsoft Sentinel settings are checked, naming the setting and the allowed values', () => {
    const result = alertsConfigSchema.safeParse({ sentinel: { enabled: true, incidentGrouping: { lookbackDuration: 'PT2H', matchingMethod: 'Selected' } } });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toEqual([
      'sentinel.incidentGrouping.lookbackDuration: lookbackDuration must be one of "PT5M", "PT15M", "PT30M", "PT1H", "PT5H", "PT12H", "P1D", got "PT2H" (did you mean "PT1H"?)',
      'sentinel.incidentGrouping.matchingMethod: matchingMethod must be one of "AllEntities", "AnyAlert", got "Selected"',
    ]);
  });

  test('an explicit disabled list replaces the default one', () => {
    expect(alertsConfigSchema.parse({ disabled: [] }).disabled).toEqual([]);
  });

  test('does not share arrays with its inputs', () => {
    const routedTables = ['AuditLogs'];
    const props = alertRulesPropsFromConfig(alertsConfigSchema.parse({}), { ...COMMON, routedTables });
    routedTables.push('SigninLogs');
    expect(props.routedTables).toEqual(['AuditLogs']);
    expect(DETECTION_KEYS.length).toBeGreaterThanOrEqual(18);
  });
});

describe('alertProblemSetting: the setting of the alerts section a construct problem is about', () => {
  test('each problem of EntraAlertRules maps to the setting its message names first', () => {
    const config = alertsConfigSchema.parse({
      customDetections: [
        { key: 'payroll', displayName: 'Payroll', severity: 3, query: 'SigninLogs | where NoSuchColumn == 1' },
        { key: 'long-look', displayName: 'Long', severity: 3, query: 'SigninLogs', windowDuration: 'P2D', failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 2 } },
      ],
    });
    const props = {
      ...alertRulesPropsFromConfig(config, COMMON),
      existingActionGroupIds: ['not-an-id'],
      actionGroups: [{ key: 'soc', shortName: 'much-too-long-name', emailReceivers: [{ name: 'm', emailAddress: 'not-an-address' }] }],
      disabled: ['mfa-fatige'],
      overrides: { 'mfa-fatigue': { severity: 9 as never } },
    };
    const mapped = entraAlertRulesProblems(props).map((p) => [p.code, alertProblemSetting(p.what, config)]);
    expect(mapped).toEqual(
      expect.arrayContaining([
        ['InvalidActionGroupId', 'existingActionGroupIds[0]'],
        ['UnknownDetection', 'disabled[0]'],
        ['InvalidSeverity', 'overrides.mfa-fatigue.severity'],
        ['InvalidQuery', 'customDetections[0].query'],
        ['LookbackTooLong', 'customDetections[1]'],
        ['InvalidShortName', 'actionGroups[0].shortName'],
        ['InvalidEmailAddress', 'actionGroups[0].emailReceivers[0].emailAddress'],
      ]),
    );
  });

  test('a problem of the section as a whole maps to the section', () => {
    expect(alertProblemSetting('namePrefix makes rule names longer than Azure allows', { customDetections: [] })).toBe('');
    expect(alertProblemSetting('custom detection gone query line 1, column 1: x', { customDetections: [] })).toBe('customDetections');
  });
});

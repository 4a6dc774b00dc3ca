import { EntraDiagnosticSettings, EntraDiagnosticSettingsProps, groupRouting } from '../../constructs/entra-diagnostic-settings';
import { BASELINE_CATEGORIES } from '../../constructs/internal/log-categories';
import { addresses, errorOf, onlyResource, resources, synthConstructs } from '../support/synth';

const WS = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log';
const RULE = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.EventHub/namespaces/evh/authorizationRules/entra';
const SA = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
const all = { logAnalyticsWorkspaceId: WS, eventHub: { authorizationRuleId: RULE, hubName: 'entra-audit-logs' }, storageAccountId: SA };
const synth = (props: Partial<EntraDiagnosticSettingsProps> = {}) =>
  synthConstructs((scope) => new EntraDiagnosticSettings(scope, 'DiagnosticSettings', { name: 'entra-audit-prod', destinations: all, ...props }));
const categoriesOf = (setting: Record<string, unknown>) => (setting.enabled_log as { category: string }[]).map((l) => l.category);

describe('EntraDiagnosticSettings', () => {
  test('defaults: one setting routing every baseline category to all three destinations, with enabled_log only, each with retention off', () => {
    const setting = onlyResource(synth(), 'azurerm_monitor_aad_diagnostic_setting');
    expect(setting).toEqual({
      name: 'entra-audit-prod-law-evh-st',
      enabled_log: BASELINE_CATEGORIES.map((category) => ({ category, retention_policy: { enabled: false, days: 0 } })),
      log_analytics_workspace_id: WS,
      eventhub_authorization_rule_id: RULE,
      eventhub_name: 'entra-audit-logs',
      storage_account_id: SA,
    });
    expect(setting).not.toHaveProperty('log');
  });

  test('the default routing covers only the destinations given', () => {
    const setting = onlyResource(synth({ destinations: { logAnalyticsWorkspaceId: WS } }), 'azurerm_monitor_aad_diagnostic_setting');
    expect(setting).toEqual({ name: 'entra-audit-prod-law', enabled_log: BASELINE_CATEGORIES.map((category) => ({ category, retention_policy: { enabled: false, days: 0 } })), log_analytics_workspace_id: WS });
  });

  test('categories sharing a destination set share one setting: the fewest settings', () => {
    const json = synth({
      routing: {
        AuditLogs: ['logAnalytics', 'eventHub', 'storage'],
        SignInLogs: ['storage', 'logAnalytics', 'eventHub'],
        MicrosoftGraphActivityLogs: ['logAnalytics', 'storage'],
        NonInteractiveUserSignInLogs: ['storage'],
      },
    });
    const settings = resources(json, 'azurerm_monitor_aad_diagnostic_setting').sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(settings.map((s) => s.name)).toEqual(['entra-audit-prod-law-evh-st', 'entra-audit-prod-law-st', 'entra-audit-prod-st']);
    expect(categoriesOf(settings[0])).toEqual(['AuditLogs', 'SignInLogs']);
    expect(categoriesOf(settings[1])).toEqual(['MicrosoftGraphActivityLogs']);
    expect(settings[1]).not.toHaveProperty('eventhub_name');
    expect(settings[2]).toEqual({ name: 'entra-audit-prod-st', enabled_log: [{ category: 'NonInteractiveUserSignInLogs', retention_policy: { enabled: false, days: 0 } }], storage_account_id: SA });
  });

  test('a category newer than the built-in list passes when listed in additionalCategories', () => {
    const setting = onlyResource(synth({ routing: { AuditLogs: ['storage'], NetworkAccessBrandNewLogs: ['storage'] }, additionalCategories: ['NetworkAccessBrandNewLogs'] }), 'azurerm_monitor_aad_diagnostic_setting');
    expect(categoriesOf(setting)).toEqual(['AuditLogs', 'NetworkAccessBrandNewLogs']);
  });

  test('explicit dependencies on the destinations', () => {
    const json = synthConstructs((scope) => {
      const d = new EntraDiagnosticSettings(scope, 'DiagnosticSettings', { name: 'x', destinations: all });
      expect(d.groups).toHaveLength(1);
    });
    expect(onlyResource(json, 'azurerm_monitor_aad_diagnostic_setting')).not.toHaveProperty('depends_on');
  });

  test('construct ids are the destination codes, not input values', () => {
    expect(addresses(synth({ routing: { AuditLogs: ['storage'], SignInLogs: ['logAnalytics', 'eventHub'] } }), 'azurerm_monitor_aad_diagnostic_setting').sort()).toEqual([
      expect.stringMatching(/^DiagnosticSettings_law-evh_[0-9A-F]{8}$/),
      expect.stringMatching(/^DiagnosticSettings_st_[0-9A-F]{8}$/),
    ]);
  });

  test('groupRouting is stable whatever the order of destinations', () => {
    expect(groupRouting('n', { A: ['storage', 'logAnalytics'], B: ['logAnalytics', 'storage'] })).toEqual([{ kinds: ['logAnalytics', 'storage'], categories: ['A', 'B'], name: 'n-law-st' }]);
  });

  describe('fails', () => {
    test.each([
      ['a misspelt category, with a suggestion', { routing: { SigninLogs: ['storage' as const] } }, 'routing.SigninLogs: got "SigninLogs"; expected a known category (names are case-sensitive): did you mean "SignInLogs"?'],
      ["the docs' typo NonInteractiveUserSIgnInLogs", { routing: { NonInteractiveUserSIgnInLogs: ['storage' as const] } }, 'did you mean "NonInteractiveUserSignInLogs"?'],
      ['a route to a destination that is not configured', { destinations: { storageAccountId: SA }, routing: { AuditLogs: ['logAnalytics' as const] } }, 'routing.AuditLogs[0]: got "logAnalytics"; expected a configured destination (storage)'],
      ['no destination at all', { destinations: {} }, 'destinations: got {}; expected at least one of logAnalyticsWorkspaceId, eventHub, storageAccountId'],
      ['a routing that enables nothing', { routing: { AuditLogs: [] } }, 'routing: got {"AuditLogs":[]}; expected at least one category routed'],
      ['a setting name with a forbidden character', { name: 'entra/audit' }, 'name: got "entra/audit"; expected a name without any of'],
      ['a built-in category listed as additional', { additionalCategories: ['AuditLogs'] }, 'additionalCategories[0]: got "AuditLogs"; expected a category not in the built-in list'],
    ])('on %s', (_name, props, message) => {
      const error = errorOf(() => synth(props as Partial<EntraDiagnosticSettingsProps>));
      expect(error).toContain('[stack/DiagnosticSettings] InvalidProps');
      expect(error).toContain(message);
    });
  });
});

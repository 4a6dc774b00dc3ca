import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import { ConfigError, parseConfig, StackPlan } from '../../stacks/config';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { resources } from '../support/synth';

const TENANT = '00000000-0000-4000-8000-00000000c001';
const SUB = '11111111-1111-4111-8111-111111111111';
const EXISTING = `/subscriptions/${SUB}/resourceGroups/rg-Shared/providers/Microsoft.OperationalInsights/workspaces/log-Shared`;

const config = (environment: Record<string, unknown> = {}) => stringify({ tenants: { contoso: { tenantId: TENANT, environments: { dev: { subscriptionId: SUB, location: 'westeurope', ...environment } } } } });
const planOf = (environment: Record<string, unknown> = {}): StackPlan => parseConfig(config(environment))[0];
function problemsOf(environment: Record<string, unknown>): string[] {
  try {
    parseConfig(config(environment));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe('dashboards.workbook configuration', () => {
  test('by default every environment with Log Analytics gets a workbook named after the stack and its workspace', () => {
    expect(planOf().workbook).toEqual({
      displayName: 'Entra ID audit (contoso-dev)',
      resourceGroupName: 'rg-entra-audit-contoso-dev',
      location: 'westeurope',
      routedTables: ['AuditLogs', 'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs', 'AADProvisioningLogs', 'MicrosoftGraphActivityLogs'],
      nameSeed: 'contoso-dev/log-entra-audit-contoso-dev',
      tags: { 'managed-by': 'entra-audit-logging', 'entra-audit-stack': 'contoso-dev' },
    });
  });

  test('displayName, disabledSections and defaultTimeRange are passed on', () => {
    expect(planOf({ dashboards: { workbook: { displayName: 'Audit', disabledSections: ['pipeline-health'], defaultTimeRange: 'P30D' } } }).workbook).toMatchObject({
      displayName: 'Audit',
      disabledSections: ['pipeline-health'],
      defaultTimeRange: 'P30D',
    });
  });

  test('an existing workspace names the workbook by its (lower-cased) id', () => {
    expect(planOf({ logAnalytics: { existingWorkspaceId: EXISTING } }).workbook?.nameSeed).toBe(`contoso-dev/${EXISTING.toLowerCase()}`);
  });

  test('enabled: false, or no Log Analytics, means no workbook', () => {
    expect(planOf({ dashboards: { workbook: { enabled: false } } }).workbook).toBeUndefined();
    expect(planOf({ logAnalytics: { enabled: false }, alerts: { enabled: false } }).workbook).toBeUndefined();
  });

  test('a workspace with nothing the workbook reads gets no workbook, unless it is asked for', () => {
    const nothing = { routing: { AuditLogs: ['logAnalytics'] }, alerts: { enabled: false }, dashboards: { workbook: { disabledSections: ['privileged-actions', 'app-and-group-changes', 'pipeline-health'] } } };
    expect(planOf(nothing).workbook).toBeUndefined();
    const asked = { ...nothing, dashboards: { workbook: { ...nothing.dashboards.workbook, enabled: true } } };
    expect(problemsOf(asked)).toEqual([
      expect.stringMatching(/:\d+:\d+: tenants\.contoso\.environments\.dev\.dashboards\.workbook\.enabled: got true; expected false, or a category the workbook reads routed to logAnalytics \(.*\), with its section not in disabledSections: the workbook has nothing to show$/),
    ]);
  });

  test('fails when the workbook is asked for without Log Analytics', () => {
    expect(problemsOf({ logAnalytics: { enabled: false }, alerts: { enabled: false }, dashboards: { workbook: { enabled: true } } })).toEqual([
      expect.stringContaining('dashboards.workbook.enabled: got true; expected false, or logAnalytics enabled: the workbook queries the Log Analytics workspace'),
    ]);
  });

  test('fails on an unknown section or time range, with a did-you-mean', () => {
    const problems = problemsOf({ dashboards: { workbook: { disabledSections: ['pipeline-heath'], defaultTimeRange: 'P2D' } } });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('dashboards.workbook.disabledSections[0]: got "pipeline-heath"; expected one of');
    expect(problems[0]).toContain('(did you mean "pipeline-health"?)');
    expect(problems[1]).toContain('dashboards.workbook.defaultTimeRange: got "P2D"; expected one of "PT1H"');
  });

  test('fails on an empty display name and on an unknown key', () => {
    expect(problemsOf({ dashboards: { workbook: { displayName: '' } } })).toEqual([expect.stringContaining('dashboards.workbook.displayName: got ""; expected a non-empty string')]);
    expect(problemsOf({ dashboards: { workbok: {} } })).toEqual([expect.stringContaining('workbok')]);
  });
});

describe('the workbook in the stack', () => {
  const synth = (plan: StackPlan) => JSON.parse(Testing.synth(new EntraAuditStack(Testing.app(), plan)));

  test('on the stack workspace, waiting for it, with a fired-alerts section over the stack\'s alert rules', () => {
    const json = synth(planOf());
    const [wb] = resources(json, 'azurerm_application_insights_workbook') as Record<string, any>[];
    expect(wb.source_id).toMatch(/^\$\{lower\(azurerm_log_analytics_workspace\.\w+\.id\)\}$/);
    expect(wb.depends_on).toEqual([expect.stringMatching(/^time_sleep\./)]);
    const fired = JSON.parse(wb.data_json.split(wb.source_id).join('ws')).items.find((i: any) => i.name === 'fired-alerts-by-rule');
    expect(fired.content.crossComponentResources).toEqual([`/subscriptions/${SUB}`]);
    const rules = (resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2') as Record<string, any>[]).map((r) => r.name);
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) expect(fired.content.query).toContain(`"${rule}"`);
  });

  test('without alert rules there is no fired-alerts section', () => {
    const json = synth(planOf({ alerts: { enabled: false } }));
    const [wb] = resources(json, 'azurerm_application_insights_workbook') as Record<string, any>[];
    expect(wb.data_json).not.toContain('fired-alerts');
  });

  test('an existing workspace: its lower-cased id, no wait', () => {
    const [wb] = resources(synth(planOf({ logAnalytics: { existingWorkspaceId: EXISTING } })), 'azurerm_application_insights_workbook') as Record<string, any>[];
    expect(wb.source_id).toBe(EXISTING.toLowerCase());
    expect(wb).not.toHaveProperty('depends_on');
  });
});

/** auditFacts: what the rules and the report read from a stack's constructs. */
import { Testing, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';
import { auditFacts, categoryRetention } from '../../../constructs/compliance/facts';
import { LogAnalyticsDestination, tableRetentionSettings } from '../../../constructs/log-analytics-destination';
import { parseConfig, StackPlan } from '../../../stacks/config';
import { EntraAuditStack } from '../../../stacks/entra-audit-stack';
import { errorOf } from '../../support/synth';
import { DETECTIONS } from '../../../constructs/entra-alert-rules/catalog';
import { DISABLED_BY_DEFAULT } from '../../../stacks/alerts-config';

const WORKSPACE = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-sentinel';
const ACCOUNT = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-archive/providers/Microsoft.Storage/storageAccounts/starchive';

function planOf(environment: Record<string, unknown>): StackPlan {
  return parseConfig(
    stringify({ tenants: { contoso: { tenantId: '00000000-0000-4000-8000-00000000c001', environments: { prod: { subscriptionId: '11111111-1111-4111-8111-111111111111', location: 'westeurope', backend: { type: 'local' }, ...environment } } } } }),
  )[0];
}

const factsOf = (environment: Record<string, unknown>) => {
  const plan = planOf(environment);
  return auditFacts(new EntraAuditStack(Testing.app(), plan), { production: plan.production });
};

describe('auditFacts', () => {
  test('defaults: the baseline to three new destinations, with their retention, no locks outside production', () => {
    const facts = factsOf({});
    expect(facts.production).toBe(false);
    expect(facts.categories.map((c) => [c.category, c.table, c.destinations.join('+')])).toEqual([
      ['AuditLogs', 'AuditLogs', 'logAnalytics+eventHub+storage'],
      ['SignInLogs', 'SigninLogs', 'logAnalytics+eventHub+storage'],
      ['NonInteractiveUserSignInLogs', 'AADNonInteractiveUserSignInLogs', 'logAnalytics+eventHub+storage'],
      ['ServicePrincipalSignInLogs', 'AADServicePrincipalSignInLogs', 'logAnalytics+eventHub+storage'],
      ['ManagedIdentitySignInLogs', 'AADManagedIdentitySignInLogs', 'logAnalytics+eventHub+storage'],
      ['ProvisioningLogs', 'AADProvisioningLogs', 'logAnalytics+eventHub+storage'],
      ['MicrosoftGraphActivityLogs', 'MicrosoftGraphActivityLogs', 'logAnalytics+eventHub+storage'],
    ]);
    expect(facts.logAnalytics).toEqual({
      path: 'contoso-prod/LogAnalytics',
      existing: false,
      workspaceRetentionInDays: 90,
      tables: expect.objectContaining({ AuditLogs: { plan: 'Analytics', retentionInDays: 90, totalRetentionInDays: 90, retentionSetting: 'retentionInDays', totalRetentionSetting: undefined } }),
      lock: 'none',
      lockSuspensionReason: undefined,
    });
    expect(facts.eventHub).toMatchObject({ existing: false, messageRetentionInDays: 7, lock: 'none' });
    expect(facts.storage).toMatchObject({ existing: false, retentionInDays: 365, immutability: undefined, lock: 'none' });
    expect(facts.alerts?.detections.map((d) => d.key)).toEqual(DETECTIONS.map((d) => d.key).filter((k) => !(DISABLED_BY_DEFAULT as readonly string[]).includes(k)));
    expect(facts.alerts?.detections.find((d) => d.key === 'mfa-fatigue')).toEqual({ key: 'mfa-fatigue', displayName: 'Repeated MFA denials (MFA fatigue)', custom: false, severity: 1, enabled: true, tactics: ['TA0006'], techniques: ['T1621'], tables: ['SigninLogs'] });
    expect(facts.readerApp).toEqual({ path: 'contoso-prod/ReaderApp', graphPermissions: ['AuditLog.Read.All', 'Directory.Read.All'], credential: { type: 'none' } });
    expect(facts.diagnostics?.settings).toEqual([expect.objectContaining({ name: 'entra-audit-contoso-prod-law-evh-st', destinations: ['logAnalytics', 'eventHub', 'storage'] })]);
  });

  test('production locks, and a suspended lock with its reason', () => {
    expect(factsOf({ production: true }).storage?.lock).toBe('locked');
    const suspended = factsOf({ production: true, protection: { lockSuspension: { reason: 'replacing the lifecycle policy' } } });
    expect(suspended.storage).toMatchObject({ lock: 'suspended', lockSuspensionReason: 'replacing the lifecycle policy' });
    expect(suspended.logAnalytics?.lock).toBe('suspended');
  });

  test('what synth cannot know is undefined: an existing workspace\'s retention, a lifecycle policy managed elsewhere', () => {
    const facts = factsOf({ logAnalytics: { existingWorkspaceId: WORKSPACE }, storage: { existingAccountId: ACCOUNT, manageLifecyclePolicy: false } });
    expect(facts.logAnalytics).toMatchObject({ existing: true, workspaceRetentionInDays: undefined });
    expect(facts.logAnalytics?.tables.AuditLogs).toEqual({ plan: 'Analytics', retentionInDays: undefined, totalRetentionInDays: undefined, retentionSetting: undefined, totalRetentionSetting: undefined });
    expect(facts.storage).toMatchObject({ existing: true, retentionInDays: undefined });
    expect(categoryRetention(facts, facts.categories[0])).toEqual({ interactiveInDays: undefined, workspaceTotalInDays: undefined, archiveInDays: undefined, streamInDays: 7 });
  });

  test('per-table retention with the settings that set it, immutability, stream retention, secrets and switched-off rules', () => {
    const facts = factsOf({
      logAnalytics: { retentionInDays: 60, tableDefaults: { totalRetentionInDays: 365 }, tables: { AuditLogs: { retentionInDays: 120, totalRetentionInDays: 730 } } },
      eventHub: { messageRetentionInDays: 3 },
      storage: { retentionInDays: 400, immutability: { periodInDays: 90, locked: true } },
      readerApp: { credential: { type: 'secret', lifetimeInDays: 120 } },
      alerts: { overrides: { 'mfa-fatigue': { enabled: false } } },
    });
    expect(facts.logAnalytics?.tables.AuditLogs).toEqual({ plan: 'Analytics', retentionInDays: 120, totalRetentionInDays: 730, retentionSetting: 'tables.AuditLogs.retentionInDays', totalRetentionSetting: 'tables.AuditLogs.totalRetentionInDays' });
    expect(facts.logAnalytics?.tables.SigninLogs).toEqual({ plan: 'Analytics', retentionInDays: 60, totalRetentionInDays: 365, retentionSetting: 'retentionInDays', totalRetentionSetting: 'tableDefaults.totalRetentionInDays' });
    expect(categoryRetention(facts, facts.categories[0])).toEqual({ interactiveInDays: 120, workspaceTotalInDays: 730, archiveInDays: 400, streamInDays: 3 });
    expect(facts.storage?.immutability).toEqual({ periodInDays: 90, locked: true });
    expect(facts.readerApp?.credential).toEqual({ type: 'secret', lifetimeInDays: 120, intervalInDays: 60, maxLifetimeInDays: 365, keyVault: false });
    expect(facts.alerts?.detections.find((d) => d.key === 'mfa-fatigue')?.enabled).toBe(false);
  });

  test('fails when a scope holds two destinations of one kind', () => {
    const stack = new TerraformStack(Testing.app(), 'two');
    for (const id of ['A', 'B']) new LogAnalyticsDestination(stack, id, { name: `law-${id.toLowerCase()}-0`, resourceGroupName: 'rg', location: 'westeurope' });
    expect(errorOf(() => auditFacts(stack))).toBe('[two] compliance checks and the coverage report read one LogAnalyticsDestination per stack; found 2 (two/A, two/B). Put each set of destinations in a stack of its own');
  });
});

describe('tableRetentionSettings', () => {
  test('names the prop that sets each value, or none', () => {
    expect(tableRetentionSettings('AuditLogs', { retentionInDays: 30 }, { totalRetentionInDays: 365 })).toEqual({ retentionInDays: 'tables.AuditLogs.retentionInDays', totalRetentionInDays: 'tableDefaults.totalRetentionInDays' });
    expect(tableRetentionSettings('AuditLogs', {}, { retentionInDays: 30 })).toEqual({ retentionInDays: 'tableDefaults.retentionInDays', totalRetentionInDays: undefined });
    expect(tableRetentionSettings('AuditLogs', {}, {}, true)).toEqual({ retentionInDays: undefined, totalRetentionInDays: undefined });
    expect(tableRetentionSettings('AADManagedIdentitySignInLogs', { plan: 'Basic' })).toEqual({ retentionInDays: undefined, totalRetentionInDays: undefined });
  });
});

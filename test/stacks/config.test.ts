import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { ConfigError, derivedNames, parseConfig } from '../../stacks/config';

const TENANT = '00000000-0000-4000-8000-00000000c001';
const SUB = '11111111-1111-4111-8111-111111111111';
/** Detections reading tables the baseline routing does not fill (P2, Workload ID Premium, the Activity Log). */
const OPT_IN_DETECTIONS = ['high-risk-user', 'high-risk-service-principal', 'entra-diagnostic-settings-changed'];

/** A minimal valid configuration; tests change one thing at a time. */
function base(): Record<string, any> {
  return { tenants: { contoso: { tenantId: TENANT, environments: { dev: { subscriptionId: SUB, location: 'westeurope' } } } } };
}
const env = (c: Record<string, any>) => c.tenants.contoso.environments.dev;

/** The problem lines of a configuration, or [] when it is valid. */
function problemsOf(config: unknown): string[] {
  try {
    parseConfig(typeof config === 'string' ? config : stringify(config));
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

function expectProblem(config: unknown, ...fragments: string[]): void {
  const problems = problemsOf(config);
  if (!problems.some((p) => fragments.every((f) => p.includes(f)))) throw new Error(`no problem with ${JSON.stringify(fragments)} in:\n${problems.join('\n')}`);
}

describe('configuration', () => {
  test('the example file is valid and yields the three example stacks', () => {
    const plans = parseConfig(readFileSync('stacks/environments.yaml', 'utf8'));
    expect(plans.map((p) => p.id)).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
  });

  test('a minimal environment gets every destination, the baseline routing, derived names and no protection', () => {
    const [plan] = parseConfig(stringify(base()));
    expect(plan).toMatchObject({ id: 'contoso-dev', production: false, protection: { lock: false, preventDestroy: false }, resourceGroupName: 'rg-entra-audit-contoso-dev', backend: { type: 'local' } });
    expect(plan.logAnalytics?.name).toBe('log-entra-audit-contoso-dev');
    expect(plan.eventHub?.namespaceName).toMatch(/^evhns-entra-contoso-dev-[0-9a-f]{8}$/);
    expect(plan.storage?.accountName).toMatch(/^stcontosodev[0-9a-f]{10}$/);
    expect(Object.keys(plan.diagnostics.routing)).toEqual(['AuditLogs', 'SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs', 'ProvisioningLogs', 'MicrosoftGraphActivityLogs']);
    expect(Object.keys(plan.logAnalytics?.tables ?? {})).toContain('SigninLogs');
  });

  test('production turns on locks and prevent_destroy, and each can be overridden', () => {
    const c = base();
    env(c).production = true;
    env(c).backend = { type: 'local' };
    expect(parseConfig(stringify(c))[0].protection).toEqual({ lock: true, preventDestroy: true });
    env(c).protection = { lock: false };
    expect(parseConfig(stringify(c))[0].protection).toEqual({ lock: false, preventDestroy: true });
  });

  test('fails when a production environment has no backend, naming the setting and what to add', () => {
    const c = base();
    env(c).production = true;
    expectProblem(c, 'tenants.contoso.environments.dev.backend: got nothing', 'a remote backend for a production environment', 'backend: { type: azurerm', 'backend: { type: local } to accept that');
    env(c).backend = { type: 'azurerm', resourceGroupName: 'rg-tfstate', storageAccountName: 'sttfstate', containerName: 'tfstate' };
    expect(problemsOf(c)).toEqual([]);
    env(c).backend = { type: 'local' };
    expect(problemsOf(c)).toEqual([]);
    env(c).production = false;
    delete env(c).backend;
    expect(problemsOf(c)).toEqual([]);
  });

  test('derived names are valid for Azure and unique per tenant, subscription and environment', () => {
    const a = derivedNames('averylongtenant1', TENANT, 'production', SUB);
    expect(a.storageAccountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(a.namespaceName).toMatch(/^[a-zA-Z][-a-zA-Z0-9]{4,48}[a-zA-Z0-9]$/);
    expect(derivedNames('contoso', TENANT, 'dev', SUB).storageAccountName).not.toBe(derivedNames('contoso', TENANT, 'dev', '22222222-2222-4222-8222-222222222222').storageAccountName);
  });

  test('JSON is accepted (it is valid YAML)', () => {
    expect(parseConfig(JSON.stringify(base()))).toHaveLength(1);
  });

  describe('reports, naming the setting, the value and what is allowed', () => {
    test('a malformed tenant GUID', () => {
      const c = base();
      c.tenants.contoso.tenantId = '0000-bad';
      expectProblem(c, 'tenants.contoso.tenantId: got "0000-bad"; expected a GUID');
    });
    test('a malformed subscription GUID', () => {
      const c = base();
      env(c).subscriptionId = '1111';
      expectProblem(c, 'tenants.contoso.environments.dev.subscriptionId: got "1111"; expected a GUID');
    });
    test('an unknown region, with a suggestion', () => {
      const c = base();
      env(c).location = 'West Europe';
      expectProblem(c, 'tenants.contoso.environments.dev.location: got "West Europe"', 'did you mean "westeurope"?');
    });
    test('an unknown key, with a suggestion and the allowed keys', () => {
      const c = base();
      env(c).logAnalytics = { retentionDays: 90 };
      expectProblem(c, 'tenants.contoso.environments.dev.logAnalytics: unknown setting "retentionDays" (did you mean "retentionInDays"?); expected only "enabled", "existingWorkspaceId"');
    });
    test('an unknown key inside the alerts section, rendered like every other unknown key', () => {
      const c = base();
      env(c).alerts = { disabeld: [] };
      expectProblem(c, 'tenants.contoso.environments.dev.alerts: unknown setting "disabeld" (did you mean "disabled"?); expected only "enabled"');
    });
    test('an unknown top-level key', () => {
      const c = base();
      c.tenant = {};
      expectProblem(c, '(top level): unknown setting "tenant" (did you mean "tenants"?); expected only "tenants"');
    });
    test('an out-of-range workspace retention', () => {
      const c = base();
      env(c).logAnalytics = { retentionInDays: 1000 };
      expectProblem(c, 'tenants.contoso.environments.dev.logAnalytics.retentionInDays: got 1000; expected an integer from 30 to 730');
    });
    test('an out-of-range table retention', () => {
      const c = base();
      env(c).logAnalytics = { tables: { AuditLogs: { totalRetentionInDays: 1000 } } };
      expectProblem(c, 'logAnalytics.tables.AuditLogs.totalRetentionInDays: got 1000; expected an integer from 4 to 730, or one of 1095');
    });
    test('a table that is not routed to Log Analytics', () => {
      const c = base();
      env(c).logAnalytics = { tables: { AADRiskyUsers: {} } };
      expectProblem(c, 'logAnalytics.tables.AADRiskyUsers: got "AADRiskyUsers"; expected a table this environment routes to Log Analytics');
    });
    test('an Event Hub retention beyond the SKU limit', () => {
      const c = base();
      env(c).eventHub = { messageRetentionInDays: 30 };
      expectProblem(c, 'eventHub.messageRetentionInDays: got 30; expected an integer from 1 to 7 on the Standard tier');
    });
    test('a lifecycle retention out of range', () => {
      const c = base();
      env(c).storage = { retentionInDays: 100000 };
      expectProblem(c, 'storage.retentionInDays: got 100000; expected an integer from 1 to 99999');
    });
    test('a storage account name Azure rejects', () => {
      const c = base();
      env(c).storage = { accountName: 'St-Audit' };
      expectProblem(c, 'storage.accountName: got "St-Audit"; expected 3–24 lowercase letters and digits');
    });
    test('a misspelt category, with a suggestion', () => {
      const c = base();
      env(c).routing = { SigninLogs: ['logAnalytics'] };
      expectProblem(c, 'routing.SigninLogs: got "SigninLogs"', 'did you mean "SignInLogs"?');
    });
    test('an unknown destination in a route', () => {
      const c = base();
      env(c).routing = { AuditLogs: ['sentinel'] };
      expectProblem(c, 'routing.AuditLogs[0]: got "sentinel"; expected one of "logAnalytics", "eventHub", "storage"');
    });
    test('a route to a disabled destination', () => {
      const c = base();
      env(c).eventHub = { enabled: false };
      env(c).routing = { AuditLogs: ['eventHub'] };
      expectProblem(c, 'routing.AuditLogs[0]: got "eventHub"; expected a configured destination (logAnalytics, storage)');
    });
    test('every destination disabled', () => {
      const c = base();
      env(c).logAnalytics = { enabled: false };
      env(c).eventHub = { enabled: false };
      env(c).storage = { enabled: false };
      expectProblem(c, 'logAnalytics.enabled: got false; expected at least one destination enabled');
    });
    test('a wrong type', () => {
      const c = base();
      env(c).production = 'yes';
      expectProblem(c, 'tenants.contoso.environments.dev.production: got "yes"; expected a boolean');
    });
    test('a missing required setting', () => {
      const c = base();
      delete env(c).location;
      expectProblem(c, 'tenants.contoso.environments.dev.location: got nothing; expected a string (required)');
    });
    test('an unknown credential type, with a suggestion', () => {
      const c = base();
      env(c).readerApp = { credential: { type: 'secrets' } };
      expectProblem(c, 'readerApp.credential.type: got "secrets"', 'did you mean "secret"?');
    });
    test('a secret lifetime above the maximum', () => {
      const c = base();
      env(c).readerApp = { credential: { type: 'secret', lifetimeInDays: 730 } };
      expectProblem(c, 'readerApp.credential.lifetimeInDays: got 730; expected an integer from 2 to 365');
    });
    test('a tenant key that cannot name resources', () => {
      const c = base();
      c.tenants['Contoso_Ltd'] = c.tenants.contoso;
      delete c.tenants.contoso;
      expectProblem(c, 'tenants.Contoso_Ltd: got "Contoso_Ltd"; expected a tenant key of 2–16 lowercase letters and digits');
    });
    test('more than 5 diagnostic settings in one tenant, counted across environments', () => {
      const c = base();
      const split = { AuditLogs: ['logAnalytics'], SignInLogs: ['eventHub'], ProvisioningLogs: ['storage'] };
      env(c).routing = split;
      env(c).alerts = { enabled: false };
      c.tenants.contoso.environments.prod = { subscriptionId: SUB, location: 'westeurope', routing: split, alerts: { enabled: false } };
      expectProblem(c, 'tenants.contoso: got ["contoso-dev: entra-audit-contoso-dev-evh"', 'at most 5 Entra diagnostic settings in tenant 00000000-0000-4000-8000-00000000c001');
    });
    test('two environments of one tenant with the same setting name', () => {
      const c = base();
      c.tenants.contoso.environments.prod = { subscriptionId: SUB, location: 'westeurope', diagnosticSettingName: 'entra-audit-contoso-dev', alerts: { disabled: OPT_IN_DETECTIONS } };
      expectProblem(c, 'tenants.contoso.environments.prod.diagnosticSettingName: got "entra-audit-contoso-dev-law-evh-st"; expected a setting name unique in tenant');
    });
    test('two tenant keys for one tenant id share the cap', () => {
      const c = base();
      c.tenants.contoso.environments.dev.routing = { AuditLogs: ['logAnalytics'], SignInLogs: ['eventHub'], ProvisioningLogs: ['storage'] };
      c.tenants.contoso.environments.dev.alerts = { enabled: false };
      c.tenants.other = { tenantId: TENANT.toUpperCase(), environments: { dev: { subscriptionId: SUB, location: 'westeurope', alerts: { enabled: false }, routing: { AuditLogs: ['logAnalytics'], SignInLogs: ['eventHub'], ProvisioningLogs: ['storage'] } } } };
      expectProblem(c, 'at most 5 Entra diagnostic settings');
    });
    test('by default the detections needing opt-in data are off, the other 19 on', () => {
      const [plan] = parseConfig(stringify(base()));
      expect(plan.alerts?.disabled).toEqual(OPT_IN_DETECTIONS);
    });
    test('a detection reading a table the environment does not route, naming the detection and the category', () => {
      const c = base();
      env(c).alerts = { disabled: ['high-risk-service-principal', 'entra-diagnostic-settings-changed'] }; // enables high-risk-user
      expectProblem(c, 'tenants.contoso.environments.dev.alerts: UnroutedTable: detection high-risk-user reads table AADRiskyUsers', 'route the Entra log category "RiskyUsers"');
    });
    test('alerts without a Log Analytics destination', () => {
      const c = base();
      env(c).logAnalytics = { enabled: false };
      env(c).alerts = {};
      expectProblem(c, 'alerts.enabled: got true; expected false, or logAnalytics enabled');
    });
    test('a bad custom detection query, with the Kusto message', () => {
      const c = base();
      env(c).alerts = { disabled: OPT_IN_DETECTIONS, customDetections: [{ key: 'payroll', displayName: 'Payroll sign-in', severity: 3, query: 'SigninLogs\n| where NoSuchColumn == 1' }] };
      expectProblem(c, 'tenants.contoso.environments.dev.alerts:', 'payroll', 'NoSuchColumn');
    });
    test('an unknown detection key in disabled, with a suggestion', () => {
      const c = base();
      env(c).alerts = { disabled: [...OPT_IN_DETECTIONS, 'mfa-fatige'] };
      expectProblem(c, 'alerts.disabled[3]', 'mfa-fatigue');
    });
    test('a canary with a bad federated subject', () => {
      const c = base();
      env(c).canary = { enabled: true, federatedCredential: { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:*' } };
      expectProblem(c, 'canary.federatedCredential.subject');
    });
    test('malformed YAML, with line and column', () => {
      expectProblem('tenants:\n  contoso: [\n', 'YAML syntax (line 3, column 1)');
    });
    test('an empty file', () => {
      expectProblem('', 'the file is empty');
    });
    test('a duplicate key', () => {
      expectProblem('tenants:\n  a: {}\n  a: {}\n', 'YAML syntax', 'unique');
    });
  });

  test('every problem of a file is reported in one run', () => {
    const c = base();
    c.tenants.contoso.tenantId = 'x';
    env(c).location = 'mars';
    env(c).storage = { retentionInDays: 0 };
    c.tenants.contoso.environments.prod = { subscriptionId: SUB, location: 'westeurope', logAnalytics: { retentionInDays: 5 }, alerts: { enabled: false } };
    const problems = problemsOf(c);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toContain('environments.dev.storage.retentionInDays: got 0');
    expect(problems.join('\n')).toMatch(/tenantId[\s\S]*location[\s\S]*/);
    expect(problems.join('\n')).toContain('environments.prod.logAnalytics.retentionInDays: got 5');
  });
});

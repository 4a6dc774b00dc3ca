import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { ConfigError, derivedNames, parseConfig } from '../../stacks/config';

const TENANT = '00000000-0000-4000-8000-00000000c001';
const SUB = '11111111-1111-4111-8111-111111111111';
/** Detections reading tables the baseline routing does not fill (P2, Workload ID Premium, the Activity Log). */
const OPT_IN_DETECTIONS = ['password-spray-adfs', 'pim-activation-request-denied', 'role-activated-outside-pim', 'high-risk-user', 'high-risk-service-principal', 'entra-diagnostic-settings-changed'];

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
    test('a route to a disabled destination, at the destination\'s enabled: false', () => {
      const c = base();
      env(c).eventHub = { enabled: false };
      env(c).routing = { AuditLogs: ['eventHub'] };
      expectProblem(c, 'eventHub.enabled: got false; expected true, or eventHub taken out of the routing of the category that sends logs to it (AuditLogs)');
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
    test('by default the detections needing opt-in data or a licence are off, the other 31 on', () => {
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
    test('a Sentinel target with a rule Sentinel cannot run, at the override', () => {
      const c = base();
      env(c).alerts = { disabled: OPT_IN_DETECTIONS, sentinel: { enabled: true }, overrides: { 'mfa-fatigue': { evaluationFrequency: 'PT1M', windowDuration: 'PT5M' } } };
      expectProblem(c, 'alerts: SentinelFrequencyTooShort: overrides.mfa-fatigue.evaluationFrequency is shorter than Microsoft Sentinel allows', 'PT5M or longer');
    });
    test('an unknown detection key in disabled, with a suggestion', () => {
      const c = base();
      env(c).alerts = { disabled: [...OPT_IN_DETECTIONS, 'mfa-fatige'] };
      expectProblem(c, `alerts.disabled[${OPT_IN_DETECTIONS.length}]`, 'mfa-fatigue');
    });
    test('a canary with a bad federated subject', () => {
      const c = base();
      env(c).canary = { enabled: true, federatedCredential: { issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:*' } };
      expectProblem(c, 'canary.federatedCredential.subject');
    });
    test('malformed YAML, with line and column', () => {
      expectProblem('tenants:\n  contoso: [\n', '<config>:3:1: YAML syntax: ');
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

/** `<config>:line:column: message` → its parts; fails the test on a problem without a position. */
function positioned(problem: string): { line: number; col: number; text: string } {
  const m = /^<config>:(\d+):(\d+): (.*)$/s.exec(problem);
  if (!m) throw new Error(`no line and column in: ${problem}`);
  return { line: Number(m[1]), col: Number(m[2]), text: m[3] };
}

describe('one cause, one problem', () => {
  const PROD = 'tenants.contoso.environments.prod';
  const SIGN_IN_DETECTIONS = 'brute-force-single-account, password-spray-single-ip, success-after-failures, mfa-fatigue, legacy-authentication-sign-in, break-glass-sign-in, sign-in-outside-allowed-countries, high-risk-sign-in, mfa-fatigue-then-success, impossible-travel and 2 more';
  /** The contoso prod environment of the example file, on its own; tests change one thing. */
  function prod(): Record<string, any> {
    const example = parse(readFileSync('stacks/environments.yaml', 'utf8'));
    return { tenants: { contoso: { tenantId: TENANT, environments: { prod: example.tenants.contoso.environments.prod } } } };
  }
  const p = (c: Record<string, any>) => c.tenants.contoso.environments.prod;
  const texts = (c: unknown) => problemsOf(c).map((line) => positioned(line).text);

  test('the three-mistake file of issue 10 reports exactly three problems, each at its line and column', () => {
    const problems = problemsOf(readFileSync('test/fixtures/config/three-mistakes.yaml', 'utf8')).map(positioned);
    expect(problems.map(({ line, col }) => [line, col])).toEqual([[10, 19], [14, 11], [36, 35]]);
    expect(problems[0].text).toBe(`${PROD}.location: got "West Europe"; expected an Azure region name such as westeurope (did you mean "westeurope"?)`);
    expect(problems[1].text).toBe(
      `${PROD}.routing.SigninLogs: got "SigninLogs"; expected a known category (names are case-sensitive): did you mean "SignInLogs"?; ` +
        'a category newer than the built-in list must also be listed in additionalCategories; ' +
        `until it is fixed, table SigninLogs is not routed to Log Analytics, yet logAnalytics.tables.SigninLogs and 12 alert detections (${SIGN_IN_DETECTIONS}) use it`,
    );
    expect(problems[2].text).toBe(`${PROD}.eventHub.messageRetentionInDays: got 9; expected an integer from 1 to 7 on the Standard tier`);
  });

  test('a misspelt category routed only to storage leaves the workspace tables alone: the table problem stays its own', () => {
    const c = prod();
    delete p(c).routing.AuditLogs;
    p(c).routing.Auditlogs = ['storage'];
    const problems = texts(c);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^tenants\.contoso\.environments\.prod\.routing\.Auditlogs: got "Auditlogs"; .*did you mean "AuditLogs"\?; a category newer than the built-in list must also be listed in additionalCategories$/);
    expect(problems[1]).toMatch(/^tenants\.contoso\.environments\.prod\.logAnalytics\.tables\.AuditLogs: got "AuditLogs"; expected a table this environment routes to Log Analytics \(.*\); 19 alert detections \(privileged-role-assigned-outside-pim, .*\) read it as well: route its category to logAnalytics, or remove this entry and list them in alerts\.disabled$/);
  });

  test('a category left out of the routing: one problem for the table, naming every detection that reads it, at routing', () => {
    const c = prod();
    delete p(c).routing.SignInLogs;
    delete p(c).logAnalytics.tables.SigninLogs;
    const [problem, ...rest] = problemsOf(c).map(positioned);
    expect(rest).toEqual([]);
    expect(problem.text).toBe(
      `${PROD}.alerts: UnroutedTable: 12 alert detections (${SIGN_IN_DETECTIONS}) read table SigninLogs, which this stack does not route to the workspace: ` +
        'got "SigninLogs"; expected route the Entra log category "SignInLogs" to the workspace, or list these detections in alerts.disabled',
    );
    expect(problem.line).toBe(stringify(c).split('\n').findIndex((l) => l.trim() === 'routing:') + 1);
  });

  test('a table on the Basic plan that detections read: one problem, at its plan', () => {
    const c = prod();
    p(c).logAnalytics.tables.AADNonInteractiveUserSignInLogs = { plan: 'Basic' };
    const [problem, ...rest] = problemsOf(c).map(positioned);
    expect(rest).toEqual([]);
    expect(problem.text).toMatch(/^tenants\.contoso\.environments\.prod\.alerts: BasicPlanTable: 3 alert detections \(password-spray-single-ip, break-glass-sign-in, seamless-sso-password-spray\) read table AADNonInteractiveUserSignInLogs, which is on the Basic plan/);
    expect(stringify(c).split('\n')[problem.line - 1]).toContain('plan: Basic');
  });

  test('a disabled destination that the routing still names: one problem at its enabled: false, listing the categories', () => {
    const c = prod();
    p(c).eventHub = { enabled: false };
    expect(texts(c)).toEqual([
      `${PROD}.eventHub.enabled: got false; expected true, or eventHub taken out of the routing of the 10 categories that send logs to it ` +
        '(AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, ProvisioningLogs, RiskyUsers, UserRiskEvents, RiskyServicePrincipals, ServicePrincipalRiskEvents)',
    ]);
  });

  test('Log Analytics disabled while the routing and the alerts need it: one problem naming both', () => {
    const c = prod();
    p(c).logAnalytics = { enabled: false };
    const problems = texts(c);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^tenants\.contoso\.environments\.prod\.logAnalytics\.enabled: got false; expected true, or logAnalytics taken out of the routing of the 11 categories that send logs to it \(AuditLogs, .* and 1 more\) and alerts\.enabled: false \(alert rules query the workspace\)$/);
  });

  test('every destination disabled: one problem, whatever the routing and alerts say', () => {
    const c = prod();
    for (const d of ['logAnalytics', 'eventHub', 'storage']) p(c)[d] = { enabled: false };
    expect(texts(c)).toEqual([`${PROD}.logAnalytics.enabled: got false; expected at least one destination enabled: logAnalytics, eventHub or storage (the routing sends 11 categories to them; alert rules query logAnalytics)`]);
  });

  test.each([
    ['location', 'West Europe', 'location: got "West Europe"'],
    ['resourceGroupName', 'rg audit!', 'resourceGroupName: got "rg audit!"'],
    ['subscriptionId', 'not-a-guid', 'subscriptionId: got "not-a-guid"'],
  ])('an invalid %s is reported once, not again by the alert rules built from it', (setting, value, message) => {
    const c = prod();
    p(c)[setting] = value;
    expect(texts(c)).toEqual([expect.stringContaining(`${PROD}.${message}`)]);
  });

  test('an invalid existing workspace id is reported once, at logAnalytics.existingWorkspaceId', () => {
    const c = prod();
    p(c).logAnalytics.existingWorkspaceId = 'law-shared';
    expect(texts(c)).toEqual([expect.stringMatching(/^tenants\.contoso\.environments\.prod\.logAnalytics\.existingWorkspaceId: got "law-shared"; expected an ARM id/)]);
  });

  test('a resource group name of one character is valid (Azure allows 1–90)', () => {
    const c = base();
    env(c).resourceGroupName = 'r';
    expect(problemsOf(c)).toEqual([]);
  });

  test('names derived from an invalid tenant or environment key are reported with the key', () => {
    const c = base();
    c.tenants.Contoso = c.tenants.contoso;
    delete c.tenants.contoso;
    expect(texts(c)).toEqual([
      'tenants.Contoso: got "Contoso"; expected a tenant key of 2–16 lowercase letters and digits, starting with a letter (it names stacks and resources); ' +
        `the name derived from it is invalid until it is fixed (dev: storage.accountName "${derivedNames('Contoso', TENANT, 'dev', SUB).storageAccountName}")`,
    ]);
    const d = base();
    d.tenants.contoso.environments.Dev = env(d);
    delete d.tenants.contoso.environments.dev;
    expect(texts(d)).toEqual([
      'tenants.contoso.environments.Dev: got "Dev"; expected an environment key of 2–10 lowercase letters and digits, starting with a letter; ' +
        `the name derived from it is invalid until it is fixed (storage.accountName "${derivedNames('contoso', TENANT, 'Dev', SUB).storageAccountName}")`,
    ]);
  });

  test('a name written in the file is reported on its own even when the key is invalid', () => {
    const c = base();
    env(c).storage = { accountName: 'St-Audit' };
    c.tenants.Contoso = c.tenants.contoso;
    delete c.tenants.contoso;
    const problems = texts(c);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^tenants\.Contoso: got "Contoso"; expected a tenant key [^;]*\(it names stacks and resources\)$/);
    expect(problems[1]).toBe('tenants.Contoso.environments.dev.storage.accountName: got "St-Audit"; expected 3–24 lowercase letters and digits');
  });
});

describe('every problem at its line and column', () => {
  const VALID = `tenants:
  contoso:
    tenantId: ${TENANT}
    environments:
      dev:
        subscriptionId: ${SUB}
        location: westeurope
`;
  const at = (text: string) => problemsOf(text).map(positioned);

  test('a nested setting: at its value', () => {
    expect(at(`${VALID}        eventHub:\n          messageRetentionInDays: 30\n`)).toEqual([
      { line: 9, col: 35, text: 'tenants.contoso.environments.dev.eventHub.messageRetentionInDays: got 30; expected an integer from 1 to 7 on the Standard tier' },
    ]);
  });

  test('an unknown key: at the key', () => {
    expect(at(`${VALID}        logAnalytics:\n          enabled: true\n          retentionDays: 90\n`)).toEqual([
      { line: 10, col: 11, text: expect.stringMatching(/^tenants\.contoso\.environments\.dev\.logAnalytics: unknown setting "retentionDays" \(did you mean "retentionInDays"\?\)/) },
    ]);
  });

  test('an element of a list: at the element', () => {
    expect(at(`${VALID}        routing:\n          AuditLogs: [logAnalytics, sentinel]\n`)).toEqual([
      { line: 9, col: 37, text: 'tenants.contoso.environments.dev.routing.AuditLogs[1]: got "sentinel"; expected one of "logAnalytics", "eventHub", "storage"' },
    ]);
    expect(at(`${VALID}        alerts:\n          disabled:\n            - high-risk-user\n            - mfa-fatige\n`)).toEqual([
      { line: 11, col: 15, text: expect.stringContaining('tenants.contoso.environments.dev.alerts.disabled[1]: got "mfa-fatige"') },
    ]);
  });

  test('a key that is itself wrong (a misspelt category, a tenant key): at the key', () => {
    expect(at(`${VALID}        routing: { SigninLogs: [logAnalytics] }\n`).find((p) => p.text.includes('routing.SigninLogs'))).toMatchObject({ line: 8, col: 20 });
    expect(at(VALID.replace('contoso:', 'Contoso:'))[0]).toMatchObject({ line: 2, col: 3, text: expect.stringContaining('tenants.Contoso: got "Contoso"') });
  });

  test('a setting left out: at the key of the section it belongs in', () => {
    expect(at(VALID.replace('        location: westeurope\n', ''))).toEqual([
      { line: 5, col: 7, text: 'tenants.contoso.environments.dev.location: got nothing; expected a string (required)' },
    ]);
    expect(at(`${VALID}        production: true\n`)[0]).toMatchObject({ line: 5, col: 7, text: expect.stringContaining('dev.backend: got nothing') });
  });

  test('a tenant-wide problem: at the tenant', () => {
    const routing = '        routing: { AuditLogs: [logAnalytics], SignInLogs: [eventHub], ProvisioningLogs: [storage] }\n        alerts: { enabled: false }\n';
    const text = `${VALID}${routing}      prod:\n        subscriptionId: ${SUB}\n        location: westeurope\n${routing}`;
    expect(at(text)).toEqual([{ line: 2, col: 3, text: expect.stringContaining('tenants.contoso: got ["contoso-dev: entra-audit-contoso-dev-evh"') }]);
  });

  test('an alert setting: at the setting in the alerts section', () => {
    const text = `${VALID}        alerts:\n          overrides:\n            mfa-fatigue:\n              parameters: { pushThreshold: 3 }\n`;
    expect(at(text)).toEqual([{ line: 11, col: 29, text: expect.stringContaining('alerts: UnknownParameter: overrides.mfa-fatigue.parameters.pushThreshold is not a parameter of mfa-fatigue') }]);
  });

  test('a custom detection query: at the query', () => {
    const text = `${VALID}        alerts:\n          customDetections:\n            - key: payroll\n              displayName: Payroll\n              severity: 3\n              query: SigninLogs | where NoSuchColumn == 1\n`;
    expect(at(text)).toEqual([{ line: 13, col: 22, text: expect.stringContaining('alerts: InvalidQuery: custom detection payroll query line 1') }]);
  });

  test('problems come in file order', () => {
    const text = VALID.replace('location: westeurope', 'location: mars').replace(`tenantId: ${TENANT}`, 'tenantId: x');
    expect(at(text).map(({ line }) => line)).toEqual([3, 7]);
  });
});

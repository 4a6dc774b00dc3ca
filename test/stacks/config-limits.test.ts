/** Rules across settings and environments: tag limits and the toolkit's own tags, globally unique names, one state per stack. */
import { App } from 'cdktf';
import { stringify } from 'yaml';
import { ConfigError, parseConfig } from '../../stacks/config';
import { defaultStateKey, toolkitTags } from '../../stacks/config-limits';
import { defaultStateFile } from '../../stacks/state-paths';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';

const TENANT = '00000000-0000-4000-8000-00000000c001';
const SUB = '11111111-1111-4111-8111-111111111111';
const DEV = 'tenants.contoso.environments.dev';
const PROD = 'tenants.contoso.environments.prod';

/** Two environments of one tenant; tests change one thing at a time. */
function base(): Record<string, any> {
  return {
    tenants: {
      contoso: {
        tenantId: TENANT,
        environments: {
          dev: { subscriptionId: SUB, location: 'westeurope' },
          prod: { subscriptionId: SUB, location: 'westeurope' },
        },
      },
    },
  };
}
const env = (c: Record<string, any>, name = 'dev') => c.tenants.contoso.environments[name];

/** The problems of a configuration without their `<config>:line:column: ` prefix, which every one of them must have. */
function problemsOf(config: Record<string, any>): string[] {
  try {
    parseConfig(stringify(config));
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) expect(p).toMatch(/^<config>:\d+:\d+: /);
    return e.problems.map((p) => p.replace(/^<config>:\d+:\d+: /, ''));
  }
}

const azurerm = (extra: Record<string, string> = {}) => ({ type: 'azurerm', resourceGroupName: 'rg-tfstate', storageAccountName: 'sttfstate', containerName: 'tfstate', ...extra });

describe('tags', () => {
  const withTags = (tags: Record<string, string>, storage?: Record<string, unknown>) => {
    const c = base();
    env(c).tags = tags;
    if (storage) env(c).storage = storage;
    return problemsOf(c);
  };
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`tag${i}`, 'x']));

  test('at most 48 tags besides the two the toolkit sets (Azure allows 50 per resource)', () => {
    expect(withTags(many(48))).toEqual([]);
    expect(withTags(many(49))).toEqual([`${DEV}.tags: got "49 tags"; expected at most 48 tags (Azure allows 50 per resource, and the toolkit sets 2): put related values into one tag, e.g. as JSON`]);
  });

  test('tag names of up to 128 characters where the environment creates a storage account, 512 otherwise', () => {
    const long = 'n'.repeat(129);
    expect(withTags({ [long]: 'x' })).toEqual([expect.stringMatching(/^tenants\.contoso\.environments\.dev\.tags\["n{80}"…\]: got "n{129}"; expected a tag name of at most 128 characters \(has 129\): storage accounts accept 128$/)]);
    expect(withTags({ [long]: 'x' }, { enabled: false })).toEqual([]);
    expect(withTags({ [long]: 'x' }, { existingAccountId: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stshared' })).toEqual([]);
    expect(withTags({ ['n'.repeat(513)]: 'x' }, { enabled: false })).toEqual([expect.stringContaining('expected a tag name of at most 512 characters (has 513)')]);
  });

  test('tag values of up to 256 characters', () => {
    expect(withTags({ owner: 'v'.repeat(256) })).toEqual([]);
    expect(withTags({ owner: 'v'.repeat(257) })).toEqual([expect.stringMatching(/^tenants\.contoso\.environments\.dev\.tags\.owner: got "v{257}"; expected a tag value of at most 256 characters \(has 257\)$/)]);
  });

  test.each(['<', '>', '%', '&', '\\', '?', '/'])('the character %s in a tag name', (character) => {
    expect(withTags({ [`cost${character}center`]: 'x' })).toEqual([
      `${DEV}.tags[${JSON.stringify(`cost${character}center`)}]: got ${JSON.stringify(`cost${character}center`)}; expected a tag name without ${JSON.stringify(character)}: Azure refuses <, >, %, &, \\, ? and / in tag names`,
    ]);
  });

  test('two tag names that differ only in case (Azure compares tag names without case)', () => {
    expect(withTags({ Team: 'a', TEAM: 'b' })).toEqual([`${DEV}.tags.TEAM: got "TEAM"; expected a tag name that differs from "Team" in more than case: Azure treats tag names case-insensitively`]);
  });

  test.each(['managed-by', 'Managed-By', 'entra-audit-stack', 'ENTRA-AUDIT-STACK'])('the toolkit tag %s cannot be set or overridden', (name) => {
    expect(withTags({ [name]: 'mine' })).toEqual([
      `${DEV}.tags.${name}: got "${name}"; expected a tag name other than "${name.toLowerCase()}": the toolkit sets "managed-by" and "entra-audit-stack" itself (scripts and reviewers find its resources by them)`,
    ]);
  });

  test('the toolkit tags are the tags of an environment without its own', () => {
    const [dev] = parseConfig(stringify(base()));
    expect(dev.tags).toEqual(toolkitTags('contoso', 'dev'));
    expect(dev.tags).toEqual({ 'managed-by': 'entra-audit-logging', 'entra-audit-stack': 'contoso-dev' });
  });
});

describe('names Azure needs globally unique', () => {
  test('the same explicit storage account name in two environments names both', () => {
    const c = base();
    env(c, 'dev').storage = { accountName: 'stentraaudit' };
    env(c, 'prod').storage = { accountName: 'stentraaudit' };
    expect(problemsOf(c)).toEqual([`${PROD}.storage.accountName: got "stentraaudit"; expected a storage account name not used by ${DEV}.storage.accountName: storage account names are globally unique in Azure`]);
  });

  test('the same storage account name in two tenants is refused too', () => {
    const c = base();
    c.tenants.fabrikam = { tenantId: '00000000-0000-4000-8000-0000000fab01', environments: { prod: { subscriptionId: SUB, location: 'westeurope', storage: { accountName: 'stentraaudit' } } } };
    env(c, 'dev').storage = { accountName: 'stentraaudit' };
    expect(problemsOf(c)).toEqual([expect.stringContaining('tenants.fabrikam.environments.prod.storage.accountName: got "stentraaudit"; expected a storage account name not used by tenants.contoso.environments.dev.storage.accountName')]);
  });

  test('the same Event Hubs namespace name, compared without case, names both', () => {
    const c = base();
    env(c, 'dev').eventHub = { namespaceName: 'evhns-entra-shared' };
    env(c, 'prod').eventHub = { namespaceName: 'EVHNS-Entra-Shared' };
    expect(problemsOf(c)).toEqual([`${PROD}.eventHub.namespaceName: got "EVHNS-Entra-Shared"; expected a namespace name not used by ${DEV}.eventHub.namespaceName: Event Hubs namespace names are globally unique in Azure`]);
  });

  test('an existing account or namespace shared by two environments is not a new name', () => {
    const c = base();
    const existing = {
      storage: { existingAccountId: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stshared' },
      eventHub: { existingNamespaceId: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.EventHub/namespaces/evhns-shared' },
    };
    Object.assign(env(c, 'dev'), existing);
    Object.assign(env(c, 'prod'), existing);
    expect(problemsOf(c)).toEqual([]);
  });

  test('derived names never collide: the example file is valid', () => {
    expect(problemsOf(base())).toEqual([]);
  });
});

describe('one Terraform state per stack', () => {
  test('an explicit key equal to another environment\'s default key, in the same container, names both', () => {
    const c = base();
    env(c, 'dev').backend = azurerm({ key: 'entra-audit/contoso-prod.tfstate' });
    env(c, 'prod').backend = azurerm();
    expect(problemsOf(c)).toEqual([
      `${PROD}.backend: got "azurerm storage account sttfstate, container tfstate, key entra-audit/contoso-prod.tfstate"; expected a state of its own, not the one of ${DEV}: each stack's plan would destroy the other's resources; set backend.key to a distinct value`,
    ]);
  });

  test('the same account, container and key from another resource group or subscription is the same state', () => {
    const c = base();
    env(c, 'dev').backend = azurerm({ key: 'shared.tfstate', resourceGroupName: 'rg-a' });
    env(c, 'prod').backend = azurerm({ key: 'shared.tfstate', resourceGroupName: 'rg-b', subscriptionId: '22222222-2222-4222-8222-222222222222' });
    expect(problemsOf(c)).toEqual([expect.stringContaining(`${PROD}.backend: got "azurerm storage account sttfstate, container tfstate, key shared.tfstate"`)]);
  });

  test('one account and container with the default keys, or another container, are separate states', () => {
    const c = base();
    env(c, 'dev').backend = azurerm();
    env(c, 'prod').backend = azurerm();
    expect(problemsOf(c)).toEqual([]);
    env(c, 'dev').backend = azurerm({ key: 'same.tfstate' });
    env(c, 'prod').backend = azurerm({ key: 'same.tfstate', containerName: 'tfstate-prod' });
    expect(problemsOf(c)).toEqual([]);
  });

  test.each([
    ['one absolute path', '/var/lib/entra/state.tfstate', '/var/lib/entra/state.tfstate', 'local file /var/lib/entra/state.tfstate'],
    ['relative paths that name one file', 'state/shared.tfstate', './state/../state/shared.tfstate', 'local file state/shared.tfstate (in the project folder)'],
    ['the same relative file name', 'state.tfstate', 'state.tfstate', 'local file state.tfstate (in the project folder)'],
    ['a path onto the other stack\'s default state', 'terraform.contoso-prod.tfstate', undefined, 'local file terraform.contoso-prod.tfstate (in the project folder)'],
  ])('local backends on %s are refused, naming both environments', (_name, devPath, prodPath, location) => {
    const c = base();
    env(c, 'dev').backend = { type: 'local', path: devPath };
    env(c, 'prod').backend = prodPath === undefined ? { type: 'local' } : { type: 'local', path: prodPath };
    expect(problemsOf(c)).toEqual([`${PROD}.backend: got "${location}"; expected a state of its own, not the one of ${DEV}: each stack's plan would destroy the other's resources; set backend.path to a distinct value`]);
  });

  test('default local state files are one per stack', () => {
    const c = base();
    env(c, 'dev').backend = { type: 'local' };
    env(c, 'prod').backend = { type: 'local' };
    expect(problemsOf(c)).toEqual([]);
  });

  test('the default key and path are the ones the stack synthesizes', () => {
    const c = base();
    env(c, 'prod').backend = azurerm();
    const app = new App({ outdir: 'unused' });
    const [dev, prod] = parseConfig(stringify(c)).map((plan) => new EntraAuditStack(app, plan));
    const backendOf = (stack: EntraAuditStack) => (JSON.parse(JSON.stringify(stack.toTerraform())) as { terraform: { backend: Record<string, Record<string, string>> } }).terraform.backend;
    expect(backendOf(prod).azurerm.key).toBe(defaultStateKey('contoso-prod'));
    expect(backendOf(dev).local.path).toBe(defaultStateFile('contoso-dev'));
  });
});

describe('construct rules, reported as configuration problems', () => {
  test('two federated credentials with one name are a configuration error, not a construct-name stack trace', () => {
    const c = base();
    env(c).readerApp = { credential: { type: 'federated', federated: [{ name: 'siem', subject: 'repo:contoso/siem:pull_request' }, { name: 'siem', subject: 'repo:contoso/siem:environment:dev' }] } };
    expect(problemsOf(c)).toEqual([`${DEV}.readerApp.credential.federated[1].name: got "siem"; expected a name not used by credential.federated[0]: each federated credential of an app needs its own name`]);
  });

  test('a total retention below the workspace retention the tables inherit is reported once, at tableDefaults', () => {
    const c = base();
    env(c).logAnalytics = { retentionInDays: 365, tableDefaults: { totalRetentionInDays: 90 } };
    expect(problemsOf(c)).toEqual([
      `${DEV}.logAnalytics.tableDefaults.totalRetentionInDays: got 90; expected at least the interactive retention tables inherit from the workspace (365 days, the workspace retentionInDays): raise it, or set retentionInDays in tableDefaults`,
    ]);
  });

  test('a webhook with credentials is refused without printing them, and an http webhook is refused', () => {
    const c = base();
    env(c).alerts = {
      actionGroups: [{ key: 'soc', shortName: 'soc', webhookReceivers: [{ name: 'a', serviceUri: 'https://svc:S3cr~t@soar.example.com/h' }, { name: 'b', serviceUri: 'http://soar.example.com/h' }] }],
    };
    let message = '';
    try {
      parseConfig(stringify(c));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`${DEV}.alerts.actionGroups[0].webhookReceivers[0].serviceUri: got "https://***@soar.example.com/h"; expected serviceUri must be a URL without a user name or password`);
    expect(message).toContain(`${DEV}.alerts.actionGroups[0].webhookReceivers[1].serviceUri: got "http://soar.example.com/h"; expected serviceUri must be an https:// URL`);
    expect(message).not.toContain('S3cr');
  });
});

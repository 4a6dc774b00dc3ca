import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { stringify } from 'yaml';
import { parseConfig, StackPlan } from '../../stacks/config';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { countOf, onlyResource, resources, SynthJson } from '../support/synth';

const examplePlans = parseConfig(readFileSync('stacks/environments.yaml', 'utf8'));
const plan = (id: string) => examplePlans.find((p) => p.id === id)!;

function synth(p: StackPlan): SynthJson {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new EntraAuditStack(app, p)));
}

function planOf(environment: Record<string, unknown>): StackPlan {
  return parseConfig(stringify({ tenants: { contoso: { tenantId: '00000000-0000-4000-8000-00000000c001', environments: { dev: { subscriptionId: '11111111-1111-4111-8111-111111111111', location: 'westeurope', ...environment } } } } }))[0];
}

describe('EntraAuditStack', () => {
  describe.each(examplePlans.map((p) => p.id))('example stack %s', (id) => {
    test('matches the reviewed snapshot', () => {
      expect(synth(plan(id))).toMatchSnapshot();
    });
  });

  test('providers: azurerm with features, subscription and tenant; azuread with the tenant', () => {
    const json = synth(planOf({}));
    expect(json.provider?.azurerm).toEqual([
      {
        subscription_id: '11111111-1111-4111-8111-111111111111',
        tenant_id: '00000000-0000-4000-8000-00000000c001',
        storage_use_azuread: true,
        resource_provider_registrations: 'none',
        features: [{ storage: [{ data_plane_available: false }], log_analytics_workspace: [{ permanently_delete_on_destroy: false }], resource_group: [{ prevent_deletion_if_contains_resources: true }] }],
      },
    ]);
    expect(json.provider?.azuread).toEqual([{ tenant_id: '00000000-0000-4000-8000-00000000c001' }]);
    expect(json.provider?.time).toEqual([{}]);
    expect(synth(planOf({ logAnalytics: { enabled: false }, alerts: { enabled: false } })).provider).not.toHaveProperty('time');
  });

  test('local state by default, one file per stack', () => {
    expect(synth(planOf({})).terraform?.backend).toEqual({ local: { path: 'terraform.contoso-dev.tfstate' } });
  });

  test('the azurerm backend per environment, with Entra ID auth and never use_microsoft_graph', () => {
    const json = synth(planOf({ backend: { type: 'azurerm', resourceGroupName: 'rg-tfstate', storageAccountName: 'sttfstate', containerName: 'tfstate' } }));
    expect(json.terraform?.backend).toEqual({
      azurerm: { resource_group_name: 'rg-tfstate', storage_account_name: 'sttfstate', container_name: 'tfstate', key: 'entra-audit/contoso-dev.tfstate', subscription_id: '11111111-1111-4111-8111-111111111111', tenant_id: '00000000-0000-4000-8000-00000000c001', use_azuread_auth: true },
    });
    expect(JSON.stringify(json.terraform)).not.toContain('use_microsoft_graph');
  });

  test('the time provider with a rotating secret, even without a new workspace', () => {
    expect(synth(planOf({ logAnalytics: { enabled: false }, alerts: { enabled: false }, readerApp: { credential: { type: 'secret' } } })).provider?.time).toEqual([{}]);
  });

  test('secret slots are output without their values, with the newest slot by start date', () => {
    const json = synth(planOf({ readerApp: { credential: { type: 'secret', keyVaultId: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-audit' } } }));
    const slots = json.output?.reader_secret_slots.value as Record<string, Record<string, string>>;
    expect(Object.keys(slots)).toEqual(['a', 'b']);
    expect(slots.a).toEqual({
      key_id: expect.stringMatching(/^\$\{azuread_application_password\.ReaderApp_Secret_\w+\.key_id\}$/),
      start_date: expect.stringMatching(/^\$\{azuread_application_password\.ReaderApp_Secret_\w+\.start_date\}$/),
      end_date: expect.stringMatching(/^\$\{azuread_application_password\.ReaderApp_Secret_\w+\.end_date\}$/),
      key_vault_secret_name: 'entra-audit-reader-secret',
    });
    expect(slots.b.key_vault_secret_name).toBe('entra-audit-reader-secret-b');
    expect(JSON.stringify(slots)).not.toContain('.value');
    expect(json.output?.reader_secret_newest_slot.value).toMatch(/^\$\{\(timecmp\(azuread_application_password\.ReaderApp_SecretB_\w+\.start_date, azuread_application_password\.ReaderApp_Secret_\w+\.start_date\) == 1\) \? "b" : "a"\}$/);
    expect(synth(planOf({})).output).not.toHaveProperty('reader_secret_slots');
  });

  test('the diagnostic settings wait for every destination', () => {
    const setting = onlyResource(synth(planOf({})), 'azurerm_monitor_aad_diagnostic_setting') as { depends_on: string[] };
    expect(setting.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^azurerm_log_analytics_workspace\./), expect.stringMatching(/^azurerm_eventhub\./), expect.stringMatching(/^azurerm_storage_account\./), expect.stringMatching(/^azurerm_storage_container\./)]));
  });

  test('outputs for operators and npm run verify', () => {
    const json = synth(planOf({}));
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'diagnostic_setting_names',
      'eventhub_listen_rule_id',
      'eventhub_name',
      'eventhub_namespace_id',
      'log_analytics_workspace_id',
      'log_analytics_workspace_resource_id',
      'reader_app_client_id',
      'reader_app_token_url',
      'storage_account_id',
      'tenant_id',
    ]);
    expect(json.output?.reader_app_token_url.value).toBe('https://login.microsoftonline.com/00000000-0000-4000-8000-00000000c001/oauth2/v2.0/token');
    expect(json.output?.log_analytics_workspace_id.value).toMatch(/\.workspace_id\}$/);
    expect(json.output?.diagnostic_setting_names.value).toEqual(['entra-audit-contoso-dev-law-evh-st']);
  });

  test('a disabled destination has no resources and no outputs', () => {
    const json = synth(planOf({ eventHub: { enabled: false }, readerApp: { enabled: false } }));
    expect(countOf(json, 'azurerm_eventhub_namespace')).toBe(0);
    expect(json.output).not.toHaveProperty('eventhub_name');
    expect(json.output).not.toHaveProperty('reader_app_client_id');
    expect(countOf(json, 'azuread_application')).toBe(0);
  });

  test('an existing resource group is not created', () => {
    const json = synth(planOf({ createResourceGroup: false, resourceGroupName: 'rg-existing' }));
    expect(countOf(json, 'azurerm_resource_group')).toBe(0);
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')).toMatchObject({ resource_group_name: 'rg-existing' });
  });

  test('production protects every destination', () => {
    const json = synth(planOf({ production: true, backend: { type: 'local' } }));
    expect(resources(json, 'azurerm_management_lock')).toHaveLength(3);
    for (const type of ['azurerm_log_analytics_workspace', 'azurerm_eventhub_namespace', 'azurerm_storage_account']) {
      expect(onlyResource(json, type)).toMatchObject({ lifecycle: { prevent_destroy: true } });
    }
  });

  test('alert rules on the stack workspace, named after the stack; none without alerts', () => {
    const json = synth(planOf({ alerts: { actionGroups: [{ key: 'soc', shortName: 'soc', emailReceivers: [{ name: 'm', emailAddress: 'soc@example.com' }] }] } }));
    const rules = resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2');
    expect(rules).toHaveLength(31);
    for (const rule of rules) {
      expect(rule).toMatchObject({ scopes: [expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/)], name: expect.stringMatching(/^entra-audit-contoso-dev-/), resource_group_name: expect.stringContaining('azurerm_resource_group.') });
      expect((rule as { action: { action_groups: string[] } }).action.action_groups).toEqual([expect.stringMatching(/^\$\{azurerm_monitor_action_group\./)]);
    }
    expect(countOf(synth(planOf({ alerts: { enabled: false } })), 'azurerm_monitor_scheduled_query_rules_alert_v2')).toBe(0);
  });

  test('tables and alert rules wait for a new workspace to become active; the time provider comes with the wait', () => {
    const json = synth(planOf({ alerts: { actionGroups: [{ key: 'soc', shortName: 'soc', emailReceivers: [{ name: 'm', emailAddress: 'soc@example.com' }] }] } }));
    const [sleep] = Object.keys(json.resource?.time_sleep ?? {});
    expect(sleep).toBeDefined();
    for (const rule of resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')) expect(rule).toMatchObject({ depends_on: [`time_sleep.${sleep}`] });
    for (const table of resources(json, 'azurerm_log_analytics_workspace_table')) expect(table).toMatchObject({ depends_on: [`time_sleep.${sleep}`] });
    expect(json.provider).toHaveProperty('time');
  });

  test('with an existing workspace there is no wait, and no time provider unless a secret rotates', () => {
    const existing = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-shared/providers/Microsoft.OperationalInsights/workspaces/log-shared';
    const json = synth(planOf({ logAnalytics: { existingWorkspaceId: existing } }));
    expect(json.resource?.time_sleep).toBeUndefined();
    for (const rule of resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')) expect(rule).not.toHaveProperty('depends_on');
    expect(json.provider).not.toHaveProperty('time');
  });

  test('the canary app and its outputs, only when enabled', () => {
    const json = synth(planOf({ canary: { enabled: true } }));
    expect(resources(json, 'azuread_application').map((a) => a.display_name).sort()).toEqual(['Entra audit reader (contoso-dev)', 'entra-audit-canary', 'entra-audit-canary-writer']);
    expect(json.output?.canary_application_object_id.value).toMatch(/^\$\{azuread_application\.\w+\.object_id\}$/);
    expect(json.output?.canary_writer_client_id.value).toMatch(/^\$\{azuread_application\.\w+\.client_id\}$/);
    expect(synth(planOf({})).output).not.toHaveProperty('canary_application_object_id');
  });

  test('tags name the stack and the tool', () => {
    expect(onlyResource(synth(planOf({ tags: { owner: 'secops' } })), 'azurerm_storage_account')).toMatchObject({ tags: { 'managed-by': 'entra-audit-logging', 'entra-audit-stack': 'contoso-dev', owner: 'secops' } });
  });
});

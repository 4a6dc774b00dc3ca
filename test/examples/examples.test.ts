/**
 * The configurations in examples/ and the README's smallest example: each is loaded with the loader
 * `npm run synth` uses (loadConfig, the file ENTRA_AUDIT_CONFIG names), synthesized, and checked for
 * the resources that make it the example it claims to be.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { loadConfig, parseConfig, StackPlan } from '../../stacks/config';
import { DETECTIONS } from '../../constructs/entra-alert-rules/catalog';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { countOf, onlyResource, resources, SynthJson } from '../support/synth';
import { REPO_ROOT } from '../support/run-script';

const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

function synth(plan: StackPlan): SynthJson {
  return JSON.parse(Testing.synth(new EntraAuditStack(Testing.app(), plan)));
}

/** Every stack of one example, by stack id. */
function synthExample(name: string): Record<string, SynthJson> {
  const plans = loadConfig(join(EXAMPLES_DIR, name, 'environments.yaml'));
  return Object.fromEntries(plans.map((p) => [p.id, synth(p)]));
}

interface DiagnosticSetting {
  name: string;
  enabled_log: { category: string }[];
  log_analytics_workspace_id?: string;
  eventhub_name?: string;
  storage_account_id?: string;
}

const settings = (json: SynthJson) => resources(json, 'azurerm_monitor_aad_diagnostic_setting') as unknown as DiagnosticSetting[];
const categoriesOf = (json: SynthJson) => settings(json).flatMap((s) => s.enabled_log.map((l) => l.category)).sort();
const ruleNames = (json: SynthJson) => resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2').map((r) => r.name as string).sort();

/** The example that is a cdktf app using the packed library rather than a configuration (test/library/pack-install.test.ts synthesizes it). */
const APP_EXAMPLE = 'own-cdktf-app';
/** The configuration examples. */
const configExamples = () => readdirSync(EXAMPLES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== APP_EXAMPLE).map((d) => d.name).sort();

describe('examples/', () => {
  test('holds the four documented configuration examples, each with a configuration and a README, and the app example', () => {
    const dirs = configExamples();
    expect(dirs).toEqual(['minimal-dev', 'mssp-many-tenants', 'siem-event-hub', 'single-tenant-complete']);
    // (npm install and cdktf synth in it, as its README says, add node_modules/, package-lock.json and cdktf.out/, all ignored by git.)
    expect(readdirSync(join(EXAMPLES_DIR, APP_EXAMPLE))).toEqual(expect.arrayContaining(['README.md', 'cdktf.json', 'main.ts', 'package.json', 'tsconfig.json']));
    expect(existsSync(join(EXAMPLES_DIR, APP_EXAMPLE, 'environments.yaml'))).toBe(false);
    expect(readFileSync(join(EXAMPLES_DIR, APP_EXAMPLE, 'README.md'), 'utf8')).toMatch(/^# .+\n\n.*Start from this example when/s);
    for (const dir of dirs) {
      const yaml = readFileSync(join(EXAMPLES_DIR, dir, 'environments.yaml'), 'utf8');
      expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../stacks/environments.schema.json');
      expect(yaml).toContain(`ENTRA_AUDIT_CONFIG=examples/${dir}/environments.yaml npm run synth`);
      expect(readFileSync(join(EXAMPLES_DIR, dir, 'README.md'), 'utf8')).toMatch(/^# .+\n\n.*Start from this example when/s);
    }
  });

  test('every production environment of every example keeps its state in the azurerm backend', () => {
    for (const dir of configExamples()) {
      for (const plan of loadConfig(join(EXAMPLES_DIR, dir, 'environments.yaml')).filter((p) => p.production)) {
        expect({ stack: `${dir}/${plan.id}`, backend: plan.backend.type }).toEqual({ stack: `${dir}/${plan.id}`, backend: 'azurerm' });
      }
    }
  });
});

describe('examples/single-tenant-complete', () => {
  const stacks = synthExample('single-tenant-complete');
  const json = stacks['contoso-prod'];

  test('is one production stack', () => {
    expect(Object.keys(stacks)).toEqual(['contoso-prod']);
  });

  test('routes every P1/P2, P2 and Workload ID Premium category, Graph activity kept out of the stream', () => {
    expect(categoriesOf(json)).toEqual([
      'AuditLogs', 'ManagedIdentitySignInLogs', 'MicrosoftGraphActivityLogs', 'NonInteractiveUserSignInLogs', 'ProvisioningLogs', 'RiskyServicePrincipals',
      'RiskyUsers', 'ServicePrincipalRiskEvents', 'ServicePrincipalSignInLogs', 'SignInLogs', 'UserRiskEvents',
    ]);
    const graph = settings(json).find((s) => s.enabled_log.some((l) => l.category === 'MicrosoftGraphActivityLogs'))!;
    expect(graph.eventhub_name).toBeUndefined();
    expect(graph.log_analytics_workspace_id).toBeDefined();
    expect(graph.storage_account_id).toBeDefined();
  });

  test('creates all three destinations, locked, with a WORM archive', () => {
    expect(countOf(json, 'azurerm_log_analytics_workspace')).toBe(1);
    expect(countOf(json, 'azurerm_eventhub_namespace')).toBe(1);
    expect(countOf(json, 'azurerm_storage_account')).toBe(1);
    expect(countOf(json, 'azurerm_management_lock')).toBe(3);
    expect(countOf(json, 'azurerm_storage_container_immutability_policy')).toBe(countOf(json, 'azurerm_storage_container'));
    expect(onlyResource(json, 'azurerm_log_analytics_workspace').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('deploys every catalog detection but the Activity Log and AD FS ones, plus the custom detection, to the SOC action group', () => {
    const names = ruleNames(json);
    expect(names).toHaveLength(DETECTIONS.length - 2 + 1);
    expect(names).not.toContain('entra-audit-contoso-prod-password-spray-adfs');
    expect(names).toContain('entra-audit-contoso-prod-pim-activation-request-denied');
    expect(names).toContain('entra-audit-contoso-prod-payroll-sign-in');
    expect(names).toContain('entra-audit-contoso-prod-high-risk-user');
    expect(names).not.toContain('entra-audit-contoso-prod-entra-diagnostic-settings-changed');
    expect(onlyResource(json, 'azurerm_monitor_action_group').short_name).toBe('soc-entra');
  });

  test('has the reader app with a federated credential and the canary', () => {
    const subjects = resources(json, 'azuread_application_federated_identity_credential').map((c) => c.subject).sort();
    expect(subjects).toEqual(['repo:contoso/entra-audit:environment:contoso-prod', 'repo:contoso/siem-pipeline:environment:prod']);
    expect(countOf(json, 'azuread_application_password')).toBe(0);
    expect(json.output?.canary_application_object_id).toBeDefined();
    expect(json.terraform?.backend).toHaveProperty('azurerm');
  });
});

describe('examples/siem-event-hub', () => {
  const stacks = synthExample('siem-event-hub');
  const json = stacks['northwind-prod'];
  const existing = '/subscriptions/55555555-5555-4555-8555-555555555555/resourceGroups/rg-sentinel/providers/Microsoft.OperationalInsights/workspaces/law-sentinel';

  test('is one production stack', () => {
    expect(Object.keys(stacks)).toEqual(['northwind-prod']);
  });

  test('routes to the existing workspace without creating one, and manages its Entra tables', () => {
    expect(countOf(json, 'azurerm_log_analytics_workspace')).toBe(0);
    for (const s of settings(json)) expect(s.log_analytics_workspace_id).toBe(existing);
    expect(countOf(json, 'azurerm_log_analytics_workspace_table')).toBe(7);
    expect(resources(json, 'azurerm_log_analytics_workspace_table').every((t) => t.workspace_id === existing)).toBe(true);
  });

  test('streams every category but Graph activity to a new Event Hub with the SIEM consumer group', () => {
    expect(countOf(json, 'azurerm_eventhub_namespace')).toBe(1);
    expect(onlyResource(json, 'azurerm_eventhub_consumer_group').name).toBe('siem-ingest');
    const streamed = settings(json).filter((s) => s.eventhub_name !== undefined).flatMap((s) => s.enabled_log.map((l) => l.category)).sort();
    expect(streamed).toEqual(['AuditLogs', 'ManagedIdentitySignInLogs', 'NonInteractiveUserSignInLogs', 'ProvisioningLogs', 'ServicePrincipalSignInLogs', 'SignInLogs']);
  });

  test('has no archive, reader app or alert rules', () => {
    expect(countOf(json, 'azurerm_storage_account')).toBe(0);
    expect(countOf(json, 'azuread_application')).toBe(0);
    expect(countOf(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).toBe(0);
    expect(json.terraform?.backend).toHaveProperty('azurerm');
  });
});

describe('examples/mssp-many-tenants', () => {
  const stacks = synthExample('mssp-many-tenants');
  const prod = ['adatum-prod', 'fabrikam-prod', 'litware-prod', 'tailspin-prod', 'wingtip-prod'];

  test('is one stack per customer tenant and environment', () => {
    expect(Object.keys(stacks).sort()).toEqual(['adatum-dev', ...prod].sort());
  });

  test('each stack works in its own tenant, and keeps its state there', () => {
    const tenantIds = prod.map((id) => (stacks[id].provider?.azuread as { tenant_id: string }[])[0].tenant_id);
    expect(new Set(tenantIds).size).toBe(prod.length);
    for (const id of prod) {
      const backend = (stacks[id].terraform?.backend as { azurerm: { tenant_id: string; key: string } }).azurerm;
      expect(backend.tenant_id).toBe((stacks[id].provider?.azuread as { tenant_id: string }[])[0].tenant_id);
      expect(backend.key).toBe(`entra-audit/${id}.tfstate`);
    }
  });

  test('the shared settings reach every production stack', () => {
    for (const id of prod) {
      const json = stacks[id];
      expect(onlyResource(json, 'azurerm_storage_management_policy')).toBeDefined();
      expect(onlyResource(json, 'azurerm_eventhub_consumer_group').name).toBe('mssp-siem');
      expect(onlyResource(json, 'azurerm_monitor_action_group').short_name).toBe('mssp-soc');
      expect(countOf(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).toBe(31);
      expect(countOf(json, 'azurerm_management_lock')).toBe(3);
    }
  });

  test('the test environment has only a workspace, and diagnostic setting names unique in its tenant', () => {
    const dev = stacks['adatum-dev'];
    expect(countOf(dev, 'azurerm_eventhub_namespace')).toBe(0);
    expect(countOf(dev, 'azurerm_storage_account')).toBe(0);
    expect(settings(dev).map((s) => s.name)).toEqual(['entra-audit-adatum-dev-law']);
    expect(settings(stacks['adatum-prod']).map((s) => s.name)).toEqual(['entra-audit-adatum-prod-law-evh-st']);
  });
});

describe('examples/minimal-dev', () => {
  const stacks = synthExample('minimal-dev');
  const json = stacks['contoso-dev'];

  test('routes only AuditLogs, to a new workspace, with local state', () => {
    expect(Object.keys(stacks)).toEqual(['contoso-dev']);
    expect(categoriesOf(json)).toEqual(['AuditLogs']);
    expect(onlyResource(json, 'azurerm_log_analytics_workspace').retention_in_days).toBe(30);
    expect(resources(json, 'azurerm_log_analytics_workspace_table').map((t) => t.name)).toEqual(['AuditLogs']);
    expect(json.terraform?.backend).toEqual({ local: { path: 'terraform.contoso-dev.tfstate' } });
  });

  test('creates nothing else but the alert rules that read AuditLogs', () => {
    expect(countOf(json, 'azurerm_eventhub_namespace')).toBe(0);
    expect(countOf(json, 'azurerm_storage_account')).toBe(0);
    expect(countOf(json, 'azuread_application')).toBe(0);
    expect(countOf(json, 'azurerm_management_lock')).toBe(0);
    const auditOnly = DETECTIONS.filter((d) => d.tables.every((t) => t === 'AuditLogs')).map((d) => d.key);
    expect(auditOnly).toContain('privileged-role-assigned-outside-pim');
    expect(ruleNames(json)).toEqual(
      auditOnly.filter((k) => !['pim-activation-request-denied', 'role-activated-outside-pim'].includes(k)).sort().map((k) => `entra-audit-contoso-dev-${k}`),
    );
  });
});

describe("the README's smallest example", () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];

  test('is the first YAML block of the README and synthesizes one stack with every destination', () => {
    expect(yaml).toBeDefined();
    const plans = parseConfig(yaml!, 'README.md');
    expect(plans.map((p) => p.id)).toEqual(['contoso-dev']);
    const json = synth(plans[0]);
    expect(countOf(json, 'azurerm_log_analytics_workspace')).toBe(1);
    expect(countOf(json, 'azurerm_eventhub_namespace')).toBe(1);
    expect(countOf(json, 'azurerm_storage_account')).toBe(1);
    expect(countOf(json, 'azuread_application')).toBe(1);
    expect(countOf(json, 'azurerm_monitor_scheduled_query_rules_alert_v2')).toBe(31);
    expect(categoriesOf(json)).toHaveLength(7);
  });
});

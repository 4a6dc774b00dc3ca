/**
 * Azure's rules for the resources the toolkit declares, checked on every resource of every example
 * stack as synthesized. The facts come from the provider sources at the pinned versions
 * (hashicorp/terraform-provider-azurerm v4.55.0, hashicorp/terraform-provider-azuread v3.7.0) and
 * Microsoft's documentation, cited where each is asserted. The § numbers in the test names group
 * them: §1 the Entra diagnostic setting, §2 retention and immutability, §3 Azure resources,
 * §4 Entra ID applications, §5 providers and backend.
 */
import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { EVENT_HUB_LIMITS } from '../../constructs/event-hub-destination';
import { LOG_CATEGORIES } from '../../constructs/internal/log-categories';
import { LONG_TERM_RETENTION_DAYS } from '../../constructs/log-analytics-destination';
import { referencedTables, validateKql } from '../../constructs/internal/kql-validator';
import { parseConfig } from '../../stacks/config';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { resources, SynthJson } from '../support/synth';
import { expectActionGroupFacts, expectAlertRuleFacts, expectSentinelRuleFacts } from '../constructs/entra-alert-rules/azure-facts';

type R = Record<string, any>;
const stacks: [string, SynthJson][] = parseConfig(readFileSync('stacks/environments.yaml', 'utf8')).map((plan) => [plan.id, JSON.parse(Testing.synth(new EntraAuditStack(Testing.app(), plan)))]);
const all = (type: string): [string, R][] => stacks.flatMap(([id, json]) => resources(json, type).map((r) => [id, r] as [string, R]));
const byAddress = (json: SynthJson, ref: string): R => {
  const [, type, name] = /^\$\{(\w+)\.([\w-]+)\.\w+\}$/.exec(ref) ?? [];
  return (json.resource?.[type] ?? {})[name];
};
const knownCategories = LOG_CATEGORIES.map((c) => c.category);
const knownTables = LOG_CATEGORIES.map((c) => c.table);

describe('Azure\'s and the providers\' rules hold in every example stack', () => {
  test('the example stacks cover every resource type the toolkit declares', () => {
    const types = new Set(stacks.flatMap(([, json]) => Object.keys(json.resource ?? {})));
    for (const type of ['azurerm_monitor_aad_diagnostic_setting', 'azurerm_log_analytics_workspace', 'azurerm_log_analytics_workspace_table', 'azurerm_eventhub_namespace', 'azurerm_eventhub', 'azurerm_eventhub_namespace_authorization_rule', 'azurerm_eventhub_consumer_group', 'azurerm_storage_account', 'azurerm_storage_container', 'azurerm_storage_management_policy', 'azurerm_storage_container_immutability_policy', 'azurerm_management_lock', 'azuread_application', 'azuread_service_principal', 'azuread_app_role_assignment', 'azuread_application_password', 'azuread_application_federated_identity_credential', 'azurerm_monitor_scheduled_query_rules_alert_v2', 'azurerm_monitor_action_group', 'azurerm_application_insights_workbook', 'azurerm_sentinel_log_analytics_workspace_onboarding', 'azurerm_sentinel_alert_rule_scheduled']) {
      expect(types).toContain(type);
    }
  });

  test('§1 diagnostic settings: enabled_log only (each with retention off, or azurerm 4.x drops it), known categories, a destination, named hub on a namespace-level Listen+Send+Manage rule', () => {
    for (const [id, s] of all('azurerm_monitor_aad_diagnostic_setting')) {
      const json = stacks.find(([i]) => i === id)![1];
      expect(s).not.toHaveProperty('log');
      expect(s.enabled_log.length).toBeGreaterThan(0);
      for (const l of s.enabled_log) expect(l.retention_policy).toEqual({ enabled: false, days: 0 });
      for (const l of s.enabled_log) expect(knownCategories).toContain(l.category);
      expect(s.name).toMatch(/^[^<>*%&:\\?+/]{1,260}$/);
      expect(['log_analytics_workspace_id', 'eventhub_authorization_rule_id', 'storage_account_id'].some((k) => k in s)).toBe(true);
      if ('eventhub_authorization_rule_id' in s) {
        expect(s.eventhub_name).toBeDefined();
        expect(s.eventhub_authorization_rule_id).toMatch(/^\$\{azurerm_eventhub_namespace_authorization_rule\./);
        expect(byAddress(json, s.eventhub_authorization_rule_id)).toMatchObject({ listen: true, send: true, manage: true });
      }
      expect(s.depends_on?.length).toBeGreaterThan(0);
    }
  });

  test('§1 at most 5 settings per tenant across its stacks, with unique names', () => {
    const byTenant = new Map<string, string[]>();
    for (const [id, s] of all('azurerm_monitor_aad_diagnostic_setting')) {
      const tenant = id.split('-')[0];
      byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), s.name]);
    }
    for (const names of byTenant.values()) {
      expect(names.length).toBeLessThanOrEqual(5);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  test('§3 workspace: valid name, PerGB2018, retention 30–730, no daily cap', () => {
    for (const [, w] of all('azurerm_log_analytics_workspace')) {
      expect(w.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]+[A-Za-z0-9]$/);
      expect(w.name.length).toBeGreaterThanOrEqual(4);
      expect(w.name.length).toBeLessThanOrEqual(63);
      expect(w.sku).toBe('PerGB2018');
      expect(w.retention_in_days).toBeGreaterThanOrEqual(30);
      expect(w.retention_in_days).toBeLessThanOrEqual(730);
      expect(w.daily_quota_gb).toBe(-1);
    }
  });

  test('§2/§3 tables: table names (not categories), retention 4–730, total 4–730 or whole years', () => {
    for (const [, t] of all('azurerm_log_analytics_workspace_table')) {
      expect(knownTables).toContain(t.name);
      expect(['Analytics', 'Basic']).toContain(t.plan);
      if (t.retention_in_days !== undefined) {
        expect(t.plan).toBe('Analytics');
        expect(t.retention_in_days).toBeGreaterThanOrEqual(4);
        expect(t.retention_in_days).toBeLessThanOrEqual(730);
      }
      if (t.total_retention_in_days !== undefined) {
        const total = t.total_retention_in_days;
        expect((total >= 4 && total <= 730) || (LONG_TERM_RETENTION_DAYS as readonly number[]).includes(total)).toBe(true);
        if (t.retention_in_days !== undefined) expect(total).toBeGreaterThanOrEqual(t.retention_in_days);
      }
    }
  });

  test('§3 Event Hub namespace: name rule, TLS 1.2, SAS kept on, default deny with trusted services', () => {
    for (const [, n] of all('azurerm_eventhub_namespace')) {
      expect(n.name).toMatch(/^[a-zA-Z][-a-zA-Z0-9]{4,48}[a-zA-Z0-9]$/);
      expect(n.name).not.toMatch(/-(sb|mgmt)$/);
      expect(['Standard', 'Premium']).toContain(n.sku);
      expect(n.minimum_tls_version).toBe('1.2');
      expect(n.local_authentication_enabled).toBe(true);
      expect(n.network_rulesets[0]).toMatchObject({ default_action: 'Deny', trusted_service_access_enabled: true });
      if (n.auto_inflate_enabled) expect(n.maximum_throughput_units).toBeLessThanOrEqual(40);
    }
  });

  test('§2/§3 event hubs: namespace_id, exactly one retention setting within the SKU limit, partitions within the limit, no compaction, name ≤ 50', () => {
    for (const [id, h] of all('azurerm_eventhub')) {
      const json = stacks.find(([i]) => i === id)![1];
      const ns = byAddress(json, h.namespace_id);
      const limits = EVENT_HUB_LIMITS[ns.sku as 'Standard' | 'Premium'];
      expect(h).not.toHaveProperty('namespace_name');
      expect('message_retention' in h).not.toBe('retention_description' in h);
      expect(h.message_retention).toBeLessThanOrEqual(limits.maxRetentionDays);
      expect(h.partition_count).toBeLessThanOrEqual(limits.maxPartitions);
      expect(h.name).toMatch(/^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,48}[a-zA-Z0-9])?$/);
    }
  });

  test('§3 authorization rules: manage implies listen and send; consumer groups are not $Default', () => {
    for (const [, r] of all('azurerm_eventhub_namespace_authorization_rule')) {
      expect(r.listen || r.send || r.manage).toBe(true);
      if (r.manage) expect(r.listen && r.send).toBe(true);
    }
    for (const [, g] of all('azurerm_eventhub_consumer_group')) expect(g.name.toLowerCase()).not.toBe('$default');
  });

  test('§1/§3 storage: Standard StorageV2, no HNS, standard DNS, TLS 1.2, HTTPS only, no public blobs, trusted services', () => {
    for (const [, a] of all('azurerm_storage_account')) {
      expect(a.name).toMatch(/^[a-z0-9]{3,24}$/);
      expect(a).toMatchObject({ account_kind: 'StorageV2', account_tier: 'Standard', is_hns_enabled: false, dns_endpoint_type: 'Standard', min_tls_version: 'TLS1_2', https_traffic_only_enabled: true, allow_nested_items_to_be_public: false });
      expect(a.network_rules.bypass).toContain('AzureServices');
      expect(a.blob_properties.versioning_enabled).toBe(true);
    }
    for (const [, c] of all('azurerm_storage_container')) {
      expect(c).toHaveProperty('storage_account_id');
      expect(c).not.toHaveProperty('storage_account_name');
      expect(c.name).toMatch(/^insights-logs-[a-z0-9]+$/);
    }
  });

  test('§2 lifecycle: append blobs are only deleted, ≤ 10 prefixes per rule, ≤ 100 rules, versions deleted too, after any immutability period', () => {
    for (const [id, p] of all('azurerm_storage_management_policy')) {
      const json = stacks.find(([i]) => i === id)![1];
      const periods = resources(json, 'azurerm_storage_container_immutability_policy').map((i) => i.immutability_period_in_days as number);
      expect(p.rule.length).toBeLessThanOrEqual(100);
      for (const rule of p.rule) {
        expect(rule.filters.blob_types).toEqual(['appendBlob']);
        expect(rule.filters.prefix_match.length).toBeLessThanOrEqual(10);
        for (const prefix of rule.filters.prefix_match) expect(prefix).toMatch(/^insights-logs-/);
        expect(Object.keys(rule.actions.base_blob)).toEqual(['delete_after_days_since_modification_greater_than']);
        expect(rule.actions.version.delete_after_days_since_creation).toBe(rule.actions.base_blob.delete_after_days_since_modification_greater_than);
        for (const period of periods) expect(rule.actions.base_blob.delete_after_days_since_modification_greater_than).toBeGreaterThanOrEqual(period);
      }
    }
  });

  test('§2 immutability: protected append writes, never both append flags, within 1–146000 days', () => {
    for (const [, i] of all('azurerm_storage_container_immutability_policy')) {
      expect(i.protected_append_writes_enabled).toBe(true);
      expect(i).not.toHaveProperty('protected_append_writes_all_enabled');
      expect(i.immutability_period_in_days).toBeGreaterThanOrEqual(1);
      expect(i.immutability_period_in_days).toBeLessThanOrEqual(146000);
    }
  });

  test('§3 locks are CanNotDelete (ReadOnly would block listKeys)', () => {
    for (const [, l] of all('azurerm_management_lock')) {
      expect(l.lock_level).toBe('CanNotDelete');
      expect(l.name).toMatch(/^[A-Za-z0-9_-]{1,259}$/);
      expect(l.notes.length).toBeLessThanOrEqual(512);
    }
  });

  test('§4 reader app: single tenant, Graph application permissions AuditLog.Read.All and Directory.Read.All only, no inline password', () => {
    const readerApps = stacks.flatMap(([, json]) => Object.entries(json.resource?.azuread_application ?? {}).filter(([address]) => address.startsWith('ReaderApp_')).map(([, app]) => app as R));
    expect(readerApps).toHaveLength(3);
    for (const app of readerApps) {
      expect(app.sign_in_audience).toBe('AzureADMyOrg');
      expect(app).not.toHaveProperty('password');
      expect(app.required_resource_access).toEqual([
        { resource_app_id: '00000003-0000-0000-c000-000000000000', resource_access: [{ id: 'b0afded3-3588-46d8-8b3d-9842eff778da', type: 'Role' }, { id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61', type: 'Role' }] },
      ]);
    }
    const delegated = ['e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20', '06da0dbc-49e2-44d2-8312-53f166ab848a'];
    for (const [, a] of all('azuread_app_role_assignment')) expect(delegated).not.toContain(a.app_role_id);
  });

  test('§4 secrets have an explicit end date; federated credentials use the GitHub issuer and the Entra audience', () => {
    for (const [, p] of all('azuread_application_password')) {
      expect(p.end_date).toBeDefined();
      expect(p).not.toHaveProperty('end_date_relative');
    }
    for (const [, f] of all('azuread_application_federated_identity_credential')) {
      expect(f.issuer).toBe('https://token.actions.githubusercontent.com');
      expect(f.audiences).toEqual(['api://AzureADTokenExchange']);
    }
  });

  test('§3 alert rules and action groups: enums, ranges and cross-field rules; at least 18 rules per stack, each scoped to the stack workspace', () => {
    for (const [, json] of stacks) {
      const rules = resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2');
      expect(rules.length).toBeGreaterThanOrEqual(18);
      expect(resources(json, 'azurerm_monitor_action_group').length).toBeGreaterThanOrEqual(1);
      for (const rule of rules) {
        expectAlertRuleFacts(rule as R);
        expect((rule as R).scopes).toEqual([expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/)]);
      }
      for (const group of resources(json, 'azurerm_monitor_action_group')) expectActionGroupFacts(group as R);
    }
  });

  test('§3 workbooks: a lower-case GUID name, a lower-case source_id (the workspace), category workbook, no hidden-title tag; data_json is Notebook/1.0 whose every query validates and reads only routed tables', () => {
    // azurerm v4.55.0 internal/services/applicationinsights/application_insights_workbook_resource.go: name IsUUID and
    // no upper case; source_id no upper case (hashicorp/terraform-provider-azurerm#27755); data_json StringIsJSON;
    // validate/workbook_tags.go refuses the hidden-title tag. Document shape: microsoft/Application-Insights-Workbooks schema/workbook.json.
    for (const [id, json] of stacks) {
      const workbooks = resources(json, 'azurerm_application_insights_workbook') as R[];
      const hasWorkspace = resources(json, 'azurerm_log_analytics_workspace').length > 0 || json.data?.azurerm_log_analytics_workspace !== undefined;
      expect(workbooks.length).toBe(hasWorkspace ? 1 : 0);
      const routed = (resources(json, 'azurerm_monitor_aad_diagnostic_setting') as R[])
        .filter((s) => 'log_analytics_workspace_id' in s)
        .flatMap((s) => s.enabled_log.map((l: R) => LOG_CATEGORIES.find((c) => c.category === l.category)?.table));
      for (const wb of workbooks) {
        expect(wb.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(wb.source_id).toMatch(/^\$\{lower\(azurerm_log_analytics_workspace\.\w+\.id\)\}$|^[^A-Z]+$/);
        expect(wb.category).toBe('workbook');
        expect(wb.display_name).toContain(id);
        expect(Object.keys(wb.tags ?? {}).map((t) => t.toLowerCase())).not.toContain('hidden-title');
        const data = JSON.parse(wb.data_json.split(wb.source_id).join('/subscriptions/x/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/w')) as R;
        expect(data.version).toBe('Notebook/1.0');
        expect(data.items.length).toBeGreaterThan(2);
        for (const item of data.items.filter((i: R) => i.type === 3)) {
          const database = item.content.queryType === 1 ? 'resourceGraph' : 'logAnalytics';
          expect({ item: item.name, problems: validateKql(item.content.query, { database }) }).toEqual({ item: item.name, problems: [] });
          if (database === 'logAnalytics') for (const table of referencedTables(item.content.query)) expect(routed).toContain(table);
        }
      }
    }
  });

  test('§3 Microsoft Sentinel: one onboarding per workspace, rules on the onboarded workspace with valid enums, ranges, parent techniques and entities', () => {
    const onboardings = all('azurerm_sentinel_log_analytics_workspace_onboarding');
    expect(onboardings.map(([id]) => id)).toEqual(['contoso-prod']);
    const [[, onboarding]] = onboardings;
    const json = stacks.find(([id]) => id === 'contoso-prod')![1];
    expect(onboarding.workspace_id).toMatch(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/);
    const rules = all('azurerm_sentinel_alert_rule_scheduled');
    expect(rules.length).toBe(resources(json, 'azurerm_monitor_scheduled_query_rules_alert_v2').length);
    for (const [id, rule] of rules) {
      expect(id).toBe('contoso-prod');
      expectSentinelRuleFacts(rule);
      expect(rule.log_analytics_workspace_id).toMatch(/^\$\{azurerm_sentinel_log_analytics_workspace_onboarding\.\w+\.workspace_id\}$/);
      expect(rule.incident.grouping.lookback_duration).toBe('P1D');
    }
  });

  test('§5 providers: azurerm has features and a subscription; no backend sets use_microsoft_graph', () => {
    for (const [, json] of stacks) {
      const azurerm = json.provider?.azurerm?.[0] as R;
      expect(azurerm.features).toHaveLength(1);
      expect(azurerm.subscription_id).toMatch(/^[0-9a-f-]{36}$/);
      expect((json.provider?.azuread?.[0] as R).tenant_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(json.terraform)).not.toContain('use_microsoft_graph');
    }
  });
});

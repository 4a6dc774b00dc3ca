import { Fn, TerraformStack, Testing } from 'cdktf';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { AuditWorkbook, AuditWorkbookProps, WORKBOOK_NAME_NAMESPACE, workbookQueryProblems } from '../../constructs/audit-workbook/audit-workbook';
import { CONSENT_ACTIVITIES, CREDENTIAL_ACTIVITIES, fuzzyTable, kqlList, kqlString, ROLE_ASSIGNMENT_ACTIVITIES } from '../../constructs/audit-workbook/entra-kql';
import { ITEM_TYPE, NOTEBOOK_VERSION, QUERY_TYPE, RESOURCE_GRAPH_RESOURCE_TYPE, VISUALIZATIONS, WORKSPACE_RESOURCE_TYPE } from '../../constructs/audit-workbook/notebook';
import { availableSections, WORKBOOK_SECTION_KEYS, workbookSections } from '../../constructs/audit-workbook/sections';
import { kqlAnalysisCount, knownTables, referencedTables, validateKql } from '../../constructs/internal/kql-validator';
import { LOG_CATEGORIES } from '../../constructs/internal/log-categories';
import { NAMESPACE_DNS, NAMESPACE_URL, uuidV5 } from '../../constructs/internal/uuid';
import { addresses, errorOf, onlyResource, synthConstructs } from '../support/synth';

const SUB = '11111111-1111-4111-8111-111111111111';
const WORKSPACE = `/subscriptions/${SUB}/resourceGroups/rg-Audit/providers/Microsoft.OperationalInsights/workspaces/log-Audit`;
const ALL_SIGN_INS = ['AuditLogs', 'SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs', 'AADProvisioningLogs', 'MicrosoftGraphActivityLogs'];
const base: AuditWorkbookProps = { workspaceResourceId: WORKSPACE, resourceGroupName: 'rg-audit', location: 'westeurope', routedTables: ALL_SIGN_INS };

type Json = Record<string, any>;
const synth = (props: Partial<AuditWorkbookProps> = {}) => synthConstructs((scope) => new AuditWorkbook(scope, 'Workbook', { ...base, ...props }));
const workbookOf = (props: Partial<AuditWorkbookProps> = {}): Json => onlyResource(synth(props), 'azurerm_application_insights_workbook') as Json;
const dataOf = (props: Partial<AuditWorkbookProps> = {}): Json => JSON.parse(workbookOf(props).data_json as string);
const queryItems = (data: Json): Json[] => data.items.filter((i: Json) => i.type === ITEM_TYPE.query);

describe('uuidV5', () => {
  test('gives the RFC 9562 test vector (www.example.com in the DNS name space)', () => {
    expect(uuidV5('www.example.com', NAMESPACE_DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  test('is stable, lower case, version 5 with the RFC variant, and differs per name', () => {
    const a = uuidV5('contoso-dev/log-entra-audit-contoso-dev', NAMESPACE_URL);
    expect(a).toBe(uuidV5('contoso-dev/log-entra-audit-contoso-dev', NAMESPACE_URL));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('contoso-prod/log-entra-audit-contoso-prod', NAMESPACE_URL)).not.toBe(a);
  });

  test('fails when the name space is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow('uuidV5: the name space must be a UUID, got "not-a-uuid"');
  });
});

describe('entra-kql', () => {
  test('kqlString escapes quotes, backslashes and line breaks', () => {
    expect(kqlString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(kqlList(['x', 'y'])).toBe('("x", "y")');
  });

  test('fuzzyTable types the empty leg from the table schema', () => {
    expect(fuzzyTable('SigninLogs', ['TimeGenerated', 'ResultType'])).toBe('union isfuzzy=true (datatable(TimeGenerated: datetime, ResultType: string)[]), (SigninLogs | project TimeGenerated, ResultType)');
  });

  test('fails on a table or column the schemas do not know', () => {
    expect(() => fuzzyTable('SignInLogs', ['TimeGenerated'])).toThrow('fuzzyTable: no schema for table SignInLogs');
    expect(() => fuzzyTable('SigninLogs', ['Resulttype'])).toThrow('fuzzyTable: table SigninLogs has no column Resulttype');
  });

  test('the privileged activity lists hold the documented activity names once each', () => {
    const all = [...ROLE_ASSIGNMENT_ACTIVITIES, ...CONSENT_ACTIVITIES, ...CREDENTIAL_ACTIVITIES];
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(['Add member to role', 'Consent to application', 'Add service principal credentials', 'Update application - Certificates and secrets management']));
  });
});

describe('workbook sections', () => {
  const everything = workbookSections({ alertRuleNames: ['entra-audit-contoso-dev-mfa-fatigue', 'rule "quoted"'] });

  test('every query of every section is valid KQL against the schemas it runs on, and reads exactly the tables it declares', () => {
    const checked: string[] = [];
    for (const section of everything) {
      for (const q of section.queries) {
        expect({ key: q.key, problems: validateKql(q.query, { database: q.database }) }).toEqual({ key: q.key, problems: [] });
        expect({ key: q.key, tables: referencedTables(q.query, { database: q.database }) }).toEqual({ key: q.key, tables: [...q.tables].sort() });
        checked.push(q.key);
      }
    }
    expect(checked).toHaveLength(15);
    expect(new Set(checked).size).toBe(checked.length);
  });

  // Synth does not check the workbook's queries (they are the library's own): these routings stand for
  // every workspace a stack can have. The queries vary only with the routed tables (pipeline health
  // unions them) and the quoted rule names.
  test('every routing gets valid queries that read exactly their declared tables: each Entra table alone, every one, and pairs with SigninLogs', () => {
    const tables = LOG_CATEGORIES.map((c) => c.table);
    const routings = [...tables.map((t) => [t]), tables, ...tables.filter((t) => t !== 'SigninLogs').map((t) => ['SigninLogs', t])];
    const names = { alertRuleNames: ['entra-audit-contoso-dev-mfa-fatigue', 'rule "quoted" \\ back\\slash'] };
    let checked = 0;
    for (const routed of routings) {
      const sections = availableSections(routed, names);
      checked += sections.length;
      expect({ routed, problems: workbookQueryProblems(sections) }).toEqual({ routed, problems: [] });
    }
    expect(checked).toBeGreaterThan(routings.length);
  });

  test('a workbook analyses no query at synth', () => {
    const before = kqlAnalysisCount();
    dataOf({ routedTables: LOG_CATEGORIES.map((c) => c.table), firedAlerts: { subscriptionId: SUB, ruleNames: ['entra-audit-dev-never-seen-before'] } });
    expect(kqlAnalysisCount()).toBe(before);
  });

  test('workbookQueryProblems reports an invalid query and one that reads tables it does not declare', () => {
    const section = (query: string, tables: string[]) => [{ key: 'privileged-actions' as const, title: 'T', description: 'D', queries: [{ key: 'q', title: 'Q', visualization: 'table' as const, tables, query }] }];
    const invalid = workbookQueryProblems(section('SigninLogs | where', ['SigninLogs']));
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ path: 'sections.privileged-actions.q', got: 'SigninLogs | where' });
    expect(String(invalid[0].expected)).toMatch(/^a valid query: /);
    expect(workbookQueryProblems(section('union SigninLogs, AuditLogs | take 1', ['SigninLogs']))).toEqual([
      { path: 'sections.privileged-actions.q', got: ['AuditLogs', 'SigninLogs'], expected: 'exactly the tables the section declares (SigninLogs)' },
    ]);
  });

  test('there is a section for each key, in order, each with a visualization the workbook knows', () => {
    expect(everything.map((s) => s.key)).toEqual([...WORKBOOK_SECTION_KEYS]);
    for (const q of everything.flatMap((s) => s.queries)) expect(VISUALIZATIONS).toContain(q.visualization);
  });

  test('a Log Analytics table in a Resource Graph query is unknown there, and the other way round', () => {
    expect(validateKql('SigninLogs | take 1', { database: 'resourceGraph' }).map((d) => d.code)).toEqual(['KS204']);
    expect(validateKql('alertsmanagementresources | take 1').map((d) => d.code)).toEqual(['KS204']);
    expect(knownTables('resourceGraph')).toEqual(['alertsmanagementresources']);
  });

  test('only queries whose tables are all routed are kept; sections left empty are dropped', () => {
    const audit = availableSections(['AuditLogs']);
    expect(audit.map((s) => s.key)).toEqual(['privileged-actions', 'app-and-group-changes', 'pipeline-health']);
    const signIns = availableSections(['SigninLogs']);
    expect(signIns.map((s) => [s.key, s.queries.map((q) => q.key)])).toEqual([
      ['sign-in-success', ['sign-in-success-interactive']],
      ['failed-sign-ins', ['failed-sign-ins-by-country', 'failed-sign-ins-by-error']],
      ['mfa-and-conditional-access', ['authentication-requirement', 'conditional-access-status']],
      ['pipeline-health', ['pipeline-health-by-table', 'pipeline-health-rows-over-time']],
    ]);
  });

  test('pipeline health reads every routed Entra table with a schema and no other', () => {
    const [health] = availableSections(['AuditLogs', 'AADRiskyUsers', 'NetworkAccessAlerts', 'Usage'], {}, ['privileged-actions', 'app-and-group-changes', 'risky-identities']);
    expect(health.key).toBe('pipeline-health');
    expect(health.queries[0].tables).toEqual(['AuditLogs', 'AADRiskyUsers']);
    expect(health.queries[0].query).toContain('isfuzzy=true (datatable(TimeGenerated: datetime)[]), AuditLogs, AADRiskyUsers\n');
  });

  test('the fired-alerts section lists exactly the given rule names, quoted', () => {
    const fired = everything.find((s) => s.key === 'fired-alerts')!;
    expect(fired.queries[0].query).toContain('| where Rule in~ (dynamic(["entra-audit-contoso-dev-mfa-fatigue", "rule \\"quoted\\""]))');
    expect(workbookSections({}).map((s) => s.key)).not.toContain('fired-alerts');
  });
});

describe('AuditWorkbook', () => {
  test('defaults: a shared workbook in the workbook category, filed under the lower-cased workspace, with a derived GUID name', () => {
    const wb = workbookOf();
    expect(wb).toMatchObject({
      resource_group_name: 'rg-audit',
      location: 'westeurope',
      display_name: 'Entra ID audit',
      category: 'workbook',
      source_id: WORKSPACE.toLowerCase(),
    });
    expect(wb.name).toBe(uuidV5(`stack/Workbook|${WORKSPACE.toLowerCase()}`, WORKBOOK_NAME_NAMESPACE));
    expect(wb.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(wb).not.toHaveProperty('description');
    expect(wb).not.toHaveProperty('tags');
    expect(WORKBOOK_NAME_NAMESPACE).toBe(uuidV5('urn:entra-audit-logging:audit-workbook', NAMESPACE_URL));
  });

  test('data_json is a Notebook/1.0 document: title, time range picker, then each section\'s text and queries', () => {
    const data = dataOf();
    expect(data).toMatchObject({ version: NOTEBOOK_VERSION, isLocked: false, fallbackResourceIds: [WORKSPACE.toLowerCase()] });
    expect(data.$schema).toBe('https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json');
    expect(data.items.slice(0, 2).map((i: Json) => [i.type, i.name])).toEqual([[ITEM_TYPE.text, 'title'], [ITEM_TYPE.parameters, 'time-range']]);
    const picker = data.items[1].content.parameters[0];
    expect(picker).toMatchObject({ name: 'TimeRange', type: 4, isRequired: true, value: { durationMs: 604_800_000 }, typeSettings: { allowCustom: true } });
    expect(picker.typeSettings.selectableValues).toHaveLength(8);
    const names = data.items.map((i: Json) => i.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n: string) => n.endsWith('-title') && n !== 'title')).toEqual(['sign-in-success-title', 'failed-sign-ins-title', 'mfa-and-conditional-access-title', 'privileged-actions-title', 'app-and-group-changes-title', 'pipeline-health-title']);
  });

  test('every Logs query item: KqlItem/1.0, query type 0 on the workspace, the picker\'s time range, a visualization', () => {
    const items = queryItems(dataOf());
    expect(items).toHaveLength(12);
    for (const item of items) {
      expect(item.content).toMatchObject({
        version: 'KqlItem/1.0',
        size: 0,
        queryType: QUERY_TYPE.logs,
        resourceType: WORKSPACE_RESOURCE_TYPE,
        timeContextFromParameter: 'TimeRange',
        crossComponentResources: [WORKSPACE.toLowerCase()],
      });
      expect(VISUALIZATIONS).toContain(item.content.visualization);
      expect(item.content.title).not.toBe('');
      expect(validateKql(item.content.query)).toEqual([]);
    }
    expect(items.find((i) => i.name === 'failed-sign-ins-by-country')).toMatchObject({ customWidth: '50', content: { visualization: 'barchart' } });
    expect(items.find((i) => i.name === 'privileged-actions-by-actor')).not.toHaveProperty('customWidth');
  });

  test('every query reads only routed tables', () => {
    const routed = ['AuditLogs', 'AADRiskyServicePrincipals'];
    const wb = synthConstructs((scope) => new AuditWorkbook(scope, 'Workbook', { ...base, routedTables: routed }));
    const items = queryItems(JSON.parse(onlyResource(wb, 'azurerm_application_insights_workbook').data_json as string));
    expect(items.map((i) => i.name)).toEqual(['privileged-actions-by-actor', 'privileged-actions-over-time', 'app-and-group-changes-by-activity', 'app-and-group-changes-recent', 'risky-service-principals', 'pipeline-health-by-table', 'pipeline-health-rows-over-time']);
    for (const item of items) for (const table of referencedTables(item.content.query)) expect(routed).toContain(table);
  });

  test('firedAlerts adds a Resource Graph item on the rules\' subscription', () => {
    const items = queryItems(dataOf({ firedAlerts: { subscriptionId: SUB, ruleNames: ['entra-audit-dev-mfa-fatigue'] } }));
    const fired = items.find((i) => i.name === 'fired-alerts-by-rule')!;
    expect(fired.content).toMatchObject({ queryType: QUERY_TYPE.resourceGraph, resourceType: RESOURCE_GRAPH_RESOURCE_TYPE, crossComponentResources: [`/subscriptions/${SUB}`], visualization: 'table' });
    expect(fired.content).not.toHaveProperty('timeContextFromParameter');
    expect(fired.content.query).toContain('"entra-audit-dev-mfa-fatigue"');
    expect(validateKql(fired.content.query, { database: 'resourceGraph' })).toEqual([]);
  });

  test('disabledSections leaves those sections out', () => {
    const wb = new AuditWorkbook(new TerraformStack(Testing.app(), 'S'), 'Workbook', { ...base, disabledSections: ['pipeline-health', 'failed-sign-ins'] });
    expect(wb.sections).toEqual(['sign-in-success', 'mfa-and-conditional-access', 'privileged-actions', 'app-and-group-changes']);
    expect(wb.queries.map((q) => q.section)).not.toContain('pipeline-health');
  });

  test('displayName, description, tags, defaultTimeRange, nameSeed and name change the output', () => {
    const wb = workbookOf({ displayName: 'Entra audit (contoso-dev)', description: 'Audit KPIs', tags: { team: 'sec' }, nameSeed: 'contoso-dev/log-x' });
    expect(wb).toMatchObject({ display_name: 'Entra audit (contoso-dev)', description: 'Audit KPIs', tags: { team: 'sec' }, name: uuidV5('contoso-dev/log-x', WORKBOOK_NAME_NAMESPACE) });
    expect(JSON.parse(wb.data_json).items[0].content.json).toMatch(/^# Entra audit \(contoso-dev\)\n/);
    expect(dataOf({ defaultTimeRange: 'P30D' }).items[1].content.parameters[0].value).toEqual({ durationMs: 2_592_000_000 });
    expect(workbookOf({ name: '0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0' }).name).toBe('0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0');
  });

  test('the name does not depend on anything but its seed: re-synthesis and other props keep it', () => {
    expect(workbookOf().name).toBe(workbookOf({ displayName: 'Other', routedTables: ['AuditLogs'] }).name);
  });

  test('a workspace known only at apply time: lower() in source_id, the reference inside data_json, a name from the construct path', () => {
    const json = synthConstructs((scope) => {
      const ws = new LogAnalyticsWorkspace(scope, 'Ws', { name: 'log-a', resourceGroupName: 'rg', location: 'westeurope' });
      new AuditWorkbook(scope, 'Workbook', { ...base, workspaceResourceId: ws.id, dependsOn: [ws] });
    });
    const wb = onlyResource(json, 'azurerm_application_insights_workbook') as Json;
    expect(wb.source_id).toBe('${lower(azurerm_log_analytics_workspace.Ws.id)}');
    expect(wb.name).toBe(uuidV5('stack/Workbook', WORKBOOK_NAME_NAMESPACE));
    expect(wb.depends_on).toEqual(['azurerm_log_analytics_workspace.Ws']);
    const text = wb.data_json as string;
    expect(text).toContain('"fallbackResourceIds":["${lower(azurerm_log_analytics_workspace.Ws.id)}"]');
    expect(text).not.toContain('__ENTRA_AUDIT_WORKBOOK_WORKSPACE_ID__');
    // The reference is the only template sequence in the text: once in fallbackResourceIds, once per Logs query.
    const ref = '${lower(azurerm_log_analytics_workspace.Ws.id)}';
    expect(text.split(ref).length - 1).toBe(1 + queryItems(JSON.parse(text.split(ref).join('x'))).length);
    expect(text.split(ref).join('')).not.toContain('${');
  });

  test('template sequences in the JSON are escaped for Terraform', () => {
    const data = workbookOf({ displayName: 'Audit ${var.x} %{if}' });
    expect(data.display_name).toBe('Audit ${var.x} %{if}');
    expect(data.data_json).toContain('# Audit $${var.x} %%{if}');
  });

  test('construct id of the workbook resource is pinned', () => {
    expect(addresses(synth(), 'azurerm_application_insights_workbook')).toEqual(['Workbook_DF131F44']);
  });

  test('fails when the workspace id is not a workspace ARM id', () => {
    expect(errorOf(() => synth({ workspaceResourceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st' }))).toContain(
      'workspaceResourceId: got "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"; expected an ARM id like /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>',
    );
  });

  test('fails when the name is not a lower-case GUID, naming the lower-case form', () => {
    expect(errorOf(() => synth({ name: '0B1C2D3E-4F50-4172-8394-A5B6C7D8E9F0' }))).toContain('name: got "0B1C2D3E-4F50-4172-8394-A5B6C7D8E9F0"; expected the same GUID in lower case (0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0)');
    expect(errorOf(() => synth({ name: 'my-workbook' }))).toContain('name: got "my-workbook"; expected a lower-case GUID like 00000000-0000-0000-0000-000000000000');
  });

  test('fails when the location, resource group, display name, description or seed is invalid', () => {
    const message = errorOf(() => synth({ location: 'West Europe', resourceGroupName: 'rg.', displayName: ' ', description: '', nameSeed: '' }));
    expect(message).toContain('[stack/Workbook] InvalidProps: 5 problem(s)');
    expect(message).toContain('location: got "West Europe"; expected an Azure region name such as westeurope (did you mean "westeurope"?)');
    expect(message).toContain('resourceGroupName: got "rg."');
    expect(message).toContain('displayName: got " "; expected a non-empty title');
    expect(message).toContain('description: got ""; expected a non-empty description, or no description');
    expect(message).toContain('nameSeed: got ""; expected a non-empty text');
  });

  test('fails on an unknown section key, with a did-you-mean', () => {
    expect(errorOf(() => synth({ disabledSections: ['pipeline-heath' as never] }))).toContain('disabledSections[0]: got "pipeline-heath"; expected one of');
    expect(errorOf(() => synth({ disabledSections: ['pipeline-heath' as never] }))).toContain('(did you mean "pipeline-health"?)');
  });

  test('fails on an unknown default time range', () => {
    expect(errorOf(() => synth({ defaultTimeRange: 'P2D' as never }))).toContain('defaultTimeRange: got "P2D"; expected one of "PT1H", "PT4H", "P1D", "P3D", "P7D", "P14D", "P30D", "P90D"');
  });

  test('fails on a bad firedAlerts subscription, an empty rule list or a rule name with forbidden characters', () => {
    expect(errorOf(() => synth({ firedAlerts: { subscriptionId: 'sub', ruleNames: [] } }))).toMatch(/firedAlerts\.subscriptionId: got "sub"; expected a subscription GUID\n.*firedAlerts\.ruleNames: got \[\]; expected at least one alert rule name/);
    expect(errorOf(() => synth({ firedAlerts: { subscriptionId: SUB, ruleNames: ['a/b'] } }))).toContain('firedAlerts.ruleNames[0]: got "a/b"; expected an alert rule name');
  });

  test('fails on a hidden-title tag, and on tags Azure refuses', () => {
    expect(errorOf(() => synth({ tags: { 'hidden-title': 'x' } }))).toContain('tags.hidden-title: got "hidden-title"; expected another tag name: Azure sets hidden-title from displayName');
    expect(errorOf(() => synth({ tags: { 'a/b': 'x' } }))).toContain('expected a tag name without "/"');
  });

  test('fails when no section is left to show', () => {
    expect(errorOf(() => synth({ routedTables: ['Usage'] }))).toContain('routedTables: got ["Usage"]; expected at least one table a workbook section reads');
    expect(errorOf(() => synth({ routedTables: ['AuditLogs'], disabledSections: ['privileged-actions', 'app-and-group-changes', 'pipeline-health'] }))).toContain('routedTables: got ["AuditLogs"]');
  });

  test('an unresolved token is not checked', () => {
    const json = synthConstructs((scope) => new AuditWorkbook(scope, 'Workbook', { ...base, location: Fn.lower('WestEurope') }));
    expect((onlyResource(json, 'azurerm_application_insights_workbook') as Json).location).toBe('${lower("WestEurope")}');
  });

  test('one item per query and no other item types', () => {
    const data = dataOf({ firedAlerts: { subscriptionId: SUB, ruleNames: ['r'] } });
    expect([...new Set(data.items.map((i: Json) => i.type))].sort()).toEqual([ITEM_TYPE.text, ITEM_TYPE.query, ITEM_TYPE.parameters].sort());
    expect(queryItems(data)).toHaveLength(13);
  });
});

/**
 * The Kusto language service as an optional peer dependency of the library: found or missing (the
 * missing case through the resolver seam, as in an app that installed the library without it), and
 * memoised per query and options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditWorkbook, AuditWorkbookProps } from '../../../constructs/audit-workbook/audit-workbook';
import { EntraAlertRules } from '../../../constructs/entra-alert-rules/entra-alert-rules';
import {
  kqlAnalysisCount,
  KUSTO_INSTALL_COMMAND,
  KUSTO_SERVICE_PACKAGE,
  KUSTO_SERVICE_VERSION,
  KustoServiceMissingError,
  kustoServiceAvailable,
  MAX_MEMOISED_ANALYSES,
  queryResultColumns,
  referencedTables,
  setKustoServiceResolver,
  validateKql,
} from '../../../constructs/internal/kql-validator';
import { errorOf, onlyResource, synthConstructs } from '../../support/synth';
import { baseProps, RULE_TYPE, rulesByName, synthResources } from '../entra-alert-rules/support';

const ROOT = join(__dirname, '..', '..', '..');
const readJson = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

/** What Node's resolver throws for a package that is not installed. */
function missingResolver(request: string): string {
  throw Object.assign(new Error(`Cannot find module '${request}'\nRequire stack:\n- /app/node_modules/entra-audit-logging/dist/internal/kql-validator.js`), { code: 'MODULE_NOT_FOUND' });
}

afterEach(() => setKustoServiceResolver(undefined));

const WORKSPACE = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-audit/providers/Microsoft.OperationalInsights/workspaces/log-audit';
const workbookProps: AuditWorkbookProps = {
  workspaceResourceId: WORKSPACE,
  resourceGroupName: 'rg-audit',
  location: 'westeurope',
  routedTables: ['AuditLogs', 'SigninLogs'],
  firedAlerts: { subscriptionId: '11111111-1111-4111-8111-111111111111', ruleNames: ['entra-prod-mfa-fatigue'] },
};
const workbookJson = () => onlyResource(synthConstructs((scope) => new AuditWorkbook(scope, 'Workbook', workbookProps)), 'azurerm_application_insights_workbook');

describe('the version named to users', () => {
  test('is the one the repository pins and has installed, inside the library\'s optional peer range', () => {
    expect(KUSTO_SERVICE_PACKAGE).toBe('@kusto/language-service-next');
    expect(readJson('package.json').dependencies[KUSTO_SERVICE_PACKAGE]).toBe(KUSTO_SERVICE_VERSION);
    expect(readJson(`node_modules/${KUSTO_SERVICE_PACKAGE}/package.json`).version).toBe(KUSTO_SERVICE_VERSION);
    const library = readJson('library/package.json');
    expect(library.peerDependencies[KUSTO_SERVICE_PACKAGE]).toBe(`~${KUSTO_SERVICE_VERSION}`);
    expect(library.peerDependenciesMeta[KUSTO_SERVICE_PACKAGE]).toEqual({ optional: true });
    expect(KUSTO_INSTALL_COMMAND).toBe(`npm install --save-dev @kusto/language-service-next@${KUSTO_SERVICE_VERSION}`);
  });
});

describe('with the service installed (this repository)', () => {
  test('it is found, and an identical query with identical options is analysed once', () => {
    expect(kustoServiceAvailable()).toBe(true);
    const query = 'SigninLogs | where ResultType != "0" | summarize Failures = count() by UserPrincipalName';
    const before = kqlAnalysisCount();
    const first = validateKql(query);
    expect(kqlAnalysisCount()).toBe(before + 1);
    expect(validateKql(query)).toEqual(first);
    expect(referencedTables(query)).toEqual(['SigninLogs']);
    expect(queryResultColumns(query)).toEqual([{ name: 'UserPrincipalName', type: 'string' }, { name: 'Failures', type: 'long' }]);
    expect(kqlAnalysisCount()).toBe(before + 1);
  });

  test('other options are another analysis, and a memoised answer is a copy the caller may change', () => {
    const query = 'SigninLogs | where UserPrincipal == "x"';
    const before = kqlAnalysisCount();
    const errors = validateKql(query);
    expect(errors.map((d) => d.code)).toEqual(['KS142']);
    (errors as unknown[]).length = 0;
    expect(validateKql(query).map((d) => d.code)).toEqual(['KS142']);
    expect(kqlAnalysisCount()).toBe(before + 1);
    validateKql(query, { includeWarnings: true });
    validateKql(query, { maxAnalysisMs: 4_000 });
    validateKql(query, { externals: { tables: ['IdentityInfo'] } });
    expect(kqlAnalysisCount()).toBe(before + 4);
    const tables = referencedTables('AuditLogs | take 1');
    tables.push('changed');
    expect(referencedTables('AuditLogs | take 1')).toEqual(['AuditLogs']);
  });

  test(`keeps at most ${MAX_MEMOISED_ANALYSES} analyses, dropping the least recently used`, () => {
    const query = (i: number) => `AuditLogs | take ${i}`;
    validateKql(query(0));
    validateKql(query(1));
    for (let i = 2; i <= MAX_MEMOISED_ANALYSES; i++) {
      validateKql(query(i));
      if (i % 100 === 0) validateKql(query(1)); // kept recent
    }
    const before = kqlAnalysisCount();
    validateKql(query(1));
    expect(kqlAnalysisCount()).toBe(before);
    validateKql(query(0));
    expect(kqlAnalysisCount()).toBe(before + 1);
  });

  test('200 stacks asking about the same queries (as 200 custom detections would) analyse each once', () => {
    const queries = ['SigninLogs | where ResultType != "0" | summarize count() by UserPrincipalName', 'AuditLogs | where OperationName has "role" | take 10'];
    for (const q of queries) validateKql(q);
    const before = kqlAnalysisCount();
    for (let i = 0; i < 200; i++) for (const q of queries) expect(validateKql(q)).toEqual([]);
    expect(kqlAnalysisCount()).toBe(before);
  });
});

describe('without the service (an app that installed the library alone)', () => {
  test('it is reported missing, and validating any query throws one error with the install command', () => {
    validateKql('AuditLogs | take 5'); // memoised: the memo must not hide the missing service
    setKustoServiceResolver(missingResolver);
    expect(kustoServiceAvailable()).toBe(false);
    for (const call of [() => validateKql('AuditLogs | take 5'), () => referencedTables('AuditLogs | take 5'), () => queryResultColumns('AuditLogs | take 5')]) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KustoServiceMissingError);
      expect((error as Error).message).toBe(
        "Checking KQL needs the Kusto language service (@kusto/language-service-next), which is not installed (Cannot find module '@kusto/language-service-next/bridge.min.js'); " +
          `install it in the app: npm install --save-dev @kusto/language-service-next@${KUSTO_SERVICE_VERSION}`,
      );
    }
  });

  test('the resolver is asked for both scripts of the service, and found again once restored', () => {
    const asked: string[] = [];
    setKustoServiceResolver((request) => {
      asked.push(request);
      return require.resolve(request);
    });
    expect(kustoServiceAvailable()).toBe(true);
    expect(asked).toEqual(['@kusto/language-service-next/bridge.min.js', '@kusto/language-service-next/Kusto.Language.Bridge.min.js']);
    expect(kustoServiceAvailable()).toBe(true);
    expect(asked).toHaveLength(2); // looked up once
    setKustoServiceResolver(missingResolver);
    expect(kustoServiceAvailable()).toBe(false);
    setKustoServiceResolver(undefined);
    expect(kustoServiceAvailable()).toBe(true);
  });

  test('the workbook, whose queries are the library\'s own, synthesizes the same without checking them', () => {
    const withService = workbookJson();
    setKustoServiceResolver(missingResolver);
    const before = kqlAnalysisCount();
    const without = workbookJson();
    expect(kqlAnalysisCount()).toBe(before);
    expect(without).toEqual(withService);
    expect(JSON.parse(without.data_json as string).items.length).toBeGreaterThan(5);
  });

  test('the catalog detections synthesize the same without the service', () => {
    const withService = rulesByName(synthResources(baseProps()));
    setKustoServiceResolver(missingResolver);
    const without = rulesByName(synthResources(baseProps()));
    expect(Object.keys(without).length).toBeGreaterThan(30);
    expect(without).toEqual(withService);
    expect(without['entra-prod-mfa-fatigue']).toEqual(expect.objectContaining({ name: 'entra-prod-mfa-fatigue', severity: expect.any(Number) }));
    expect(RULE_TYPE).toBe('azurerm_monitor_scheduled_query_rules_alert_v2');
  });

  test('fails when custom detections are given: one problem for all of them, naming the keys and the install command', () => {
    setKustoServiceResolver(missingResolver);
    const custom = (key: string) => ({ key, displayName: key, severity: 3 as const, query: 'AuditLogs | where OperationName == "Add user"' });
    const message = errorOf(() => synthConstructs((scope) => new EntraAlertRules(scope, 'Alerts', baseProps({ customDetections: [custom('users-added'), custom('users-added-again')] }))));
    expect(message).toBe(
      '[stack/Alerts] KustoServiceMissing: customDetections hold KQL of yours, which is checked with the Kusto language service before anything is deployed, and @kusto/language-service-next is not installed, ' +
        `got ["users-added","users-added-again"]; expected the service installed in the app: npm install --save-dev @kusto/language-service-next@${KUSTO_SERVICE_VERSION}`,
    );
  });

  test('other problems of custom detections are still reported with it', () => {
    setKustoServiceResolver(missingResolver);
    const message = errorOf(() =>
      synthConstructs((scope) => new EntraAlertRules(scope, 'Alerts', baseProps({ customDetections: [{ key: 'Bad Key', displayName: 'x', severity: 3, query: 'AuditLogs' }] }))),
    );
    expect(message.split('\n').map((line) => /^\[stack\/Alerts\] (\w+):/.exec(line)?.[1])).toEqual(['KustoServiceMissing', 'InvalidDetectionKey']);
  });
});

/**
 * Every KQL check of the project, in ONE jest file: loading Microsoft's Kusto language service
 * costs ~1.5 s per jest file (each file gets a fresh module registry).
 */
import { DETECTION_KEYS, DETECTIONS, findDetection } from '../../../constructs/entra-alert-rules/catalog';
import { kqlLiteral, parseQueryFile, readQueryFile, renderQuery } from '../../../constructs/entra-alert-rules/detection';
import {
  ANALYSIS_TIMEOUT_CODE, KQL_LIMITS, MANAGEMENT_COMMAND_CODE, MORE_PROBLEMS_CODE, NESTING_TOO_DEEP_CODE, QUERY_TOO_LONG_CODE, referencedTables, SEVERAL_QUERIES_CODE,
  UNKNOWN_TABLE_NAME_CODE, UNKNOWN_TYPE_CODE, validateKql, externalsProblems, queryResultColumns,
} from '../../../constructs/internal/kql-validator';
import { DETECTION_CASES, DOCUMENTED_AUDIT_ACTIVITIES, DetectionCase } from './detection-cases';
import { baseProps, errorOf, rulesByName, synthResources } from './support';
import { Testing } from 'cdktf';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseConfig } from '../../../stacks/config';
import { EntraAuditStack } from '../../../stacks/entra-audit-stack';
import { REPO_ROOT } from '../../support/run-script';

describe('catalog queries', () => {
  describe.each(DETECTIONS.map((d) => [d.key, d] as const))('%s', (key, detection) => {
    const text = readQueryFile(key);

    test('the .kql file validates cleanly against the table schemas', () => {
      expect(validateKql(text, { includeWarnings: false })).toEqual([]);
    });

    test('the query rendered with overridden parameters validates cleanly', () => {
      const values = Object.fromEntries(
        Object.entries(detection.parameters).map(([name, p]) => {
          switch (p.type) {
            case 'stringList': return [name, ['x"y', 'a\\b']];
            case 'cidrList': return [name, ['10.0.0.0/8', '2001:db8::/32']];
            case 'string': return [name, 'q"uote'];
            case 'int': return [name, 7];
            case 'real': return [name, 1.5];
            case 'bool': return [name, false];
            case 'timespan': return [name, '90m'];
          }
        }),
      );
      expect(validateKql(renderQuery(key, text, detection.parameters, values))).toEqual([]);
    });

    test('reads exactly the tables the catalog declares', () => {
      expect(referencedTables(text)).toEqual([...detection.tables].sort());
    });

    test('declares every catalog parameter once, with the catalog default', () => {
      const parsed = parseQueryFile(text);
      expect(parsed.parameters.map((p) => p.name)).toEqual(Object.keys(detection.parameters));
      for (const p of parsed.parameters) {
        const def = detection.parameters[p.name];
        expect(`${p.name} = ${p.literal}`).toBe(`${p.name} = ${kqlLiteral(def.type, def.default)}`);
      }
    });

    test('its entity columns (Sentinel entity mappings) are string columns of the result', () => {
      const columns = queryResultColumns(renderQuery(key, text, detection.parameters, {}));
      expect(columns.length).toBeGreaterThan(0);
      for (const column of Object.values(detection.entities ?? {})) {
        expect({ column, type: columns.find((c) => c.name === column)?.type }).toEqual({ column, type: 'string' });
      }
    });

    test('reads its tables with union isfuzzy=true and an always-resolvable datatable leg', () => {
      expect(text).toMatch(/union isfuzzy=true\s*\n\s*\(datatable\(/);
    });
  });

  test('every catalog query validates cleanly as deployed (rendered with its default parameters)', () => {
    for (const d of DETECTIONS) expect({ key: d.key, problems: validateKql(renderQuery(d.key, readQueryFile(d.key), d.parameters, {})) }).toEqual({ key: d.key, problems: [] });
  });
});

/** Every catalog key, in catalog order: a key names a Terraform address, so renaming one replaces a rule. */
const STABLE_KEYS = [
  'brute-force-single-account', 'password-spray-single-ip', 'success-after-failures', 'mfa-fatigue', 'legacy-authentication-sign-in',
  'break-glass-sign-in', 'sign-in-outside-allowed-countries', 'high-risk-sign-in', 'password-spray-adfs', 'seamless-sso-password-spray',
  'mfa-fatigue-then-success', 'impossible-travel', 'azure-portal-sign-in-from-other-tenant', 'privileged-role-assigned-outside-pim',
  'privileged-group-member-added', 'conditional-access-policy-changed', 'authentication-methods-changed', 'elevate-access-to-root-scope',
  'pim-activation-request-denied', 'role-activated-outside-pim', 'admin-removals-by-new-admin', 'account-created-and-deleted',
  'guest-added-to-group', 'conditional-access-exclusion-group-changed', 'application-credential-added', 'app-consent-or-high-privilege-permission',
  'federation-or-domain-authentication-changed', 'guest-invitation-burst', 'user-consent-risky-scopes', 'cross-tenant-access-settings-changed',
  'onmicrosoft-domain-added', 'high-risk-user', 'high-risk-service-principal', 'graph-directory-enumeration', 'no-audit-logs-ingested',
  'no-sign-in-logs-ingested', 'entra-diagnostic-settings-changed',
];

/** The empty datatable leg every catalog query starts with: its columns and types, in order. */
function sampleColumns(query: string): Array<[string, string]> {
  const leg = /\(datatable\(([^)]*)\)\[\]\)/.exec(query);
  if (!leg) throw new Error('the query has no empty datatable leg');
  return leg[1].split(',').map((c) => c.trim().split(/\s*:\s*/) as [string, string]);
}

const EMPTY: Record<string, string> = { string: '""', datetime: 'datetime(null)', dynamic: 'dynamic(null)', int: 'int(null)', long: 'long(null)', real: 'real(null)', bool: 'bool(null)' };

/** `let <table> = datatable(...)[rows];` in front of the rendered query: the samples stand in for the table. */
function withSamples(c: DetectionCase, rows: DetectionCase['positive']): string {
  const detection = findDetection(c.key)!;
  const query = renderQuery(c.key, readQueryFile(c.key), detection.parameters, {});
  const columns = sampleColumns(query);
  for (const row of rows) {
    const unknown = Object.keys(row).filter((name) => !columns.some(([c]) => c === name));
    if (unknown.length) throw new Error(`${c.key}: sample columns ${unknown.join(', ')} are not in the query's datatable leg`);
  }
  const values = rows.map((row) => columns.map(([name, type]) => row[name] ?? EMPTY[type]).join(', ')).join(',\n  ');
  return `let ${c.table} = datatable(${columns.map(([n, t]) => `${n}: ${t}`).join(', ')})[\n  ${values}\n];\n${query}`;
}

/** Audit activity names a query filters on exactly: OperationName ==/=~ "x", OperationName in ("x", ...) and operationNames parameters. */
function exactOperationNames(key: string): string[] {
  const detection = findDetection(key)!;
  const text = readQueryFile(key);
  const names = new Set<string>();
  for (const m of text.matchAll(/OperationName\s*(?:==|=~)\s*"([^"]+)"/g)) names.add(m[1]);
  for (const m of text.matchAll(/OperationName\s+in~?\s*\(([^)]*)\)/g)) for (const q of m[1].matchAll(/"([^"]+)"/g)) names.add(q[1]);
  const parameter = detection.parameters.operationNames;
  if (parameter && detection.tables.includes('AuditLogs')) for (const n of parameter.default as string[]) names.add(n);
  return [...names].sort();
}

describe('catalog keys and documented values', () => {
  test('catalog keys are stable (each names a Terraform address: a renamed key replaces the rule)', () => {
    expect(DETECTION_KEYS).toEqual(STABLE_KEYS);
  });

  test('every audit activity a catalog query filters on exactly is in Microsoft\'s audit activity reference', () => {
    const undocumented = DETECTIONS.filter((d) => d.tables.includes('AuditLogs')).flatMap((d) => exactOperationNames(d.key).filter((n) => !DOCUMENTED_AUDIT_ACTIVITIES.includes(n)).map((n) => `${d.key}: ${n}`));
    expect(undocumented).toEqual([]);
    // The extraction finds what it should (a check of the check).
    expect(exactOperationNames('elevate-access-to-root-scope')).toEqual(['User has elevated their access to User Access Administrator for their Azure Resources']);
    expect(exactOperationNames('account-created-and-deleted')).toEqual(['Add user', 'Delete user']);
  });

  test('every detection added for issue 15 has its sample case', () => {
    expect(DETECTION_CASES.map((c) => c.key).filter((k) => !DETECTION_KEYS.includes(k))).toEqual([]);
    expect(DETECTION_CASES.length).toBeGreaterThanOrEqual(15);
  });
});

describe.each(DETECTION_CASES.map((c) => [c.key, c] as const))('%s on sample rows', (key, c) => {
  const query = renderQuery(key, readQueryFile(key), findDetection(key)!.parameters, {});
  const fieldValues = (rows: DetectionCase['positive']) => rows.map((r) => JSON.parse(r[c.field] as string) as string);

  test('filters on documented values, written in the query', () => {
    for (const value of c.filterValues) expect(query).toContain(`"${value}"`);
    if (c.auditActivities) expect(c.filterValues.filter((v) => !DOCUMENTED_AUDIT_ACTIVITIES.includes(v))).toEqual([]);
  });

  test('the positive sample carries a value the filter names; the negative look-alike one it does not', () => {
    const [firing, quiet] = c.filterMode === 'exclude' ? [c.negative, c.positive] : [c.positive, c.negative];
    expect(fieldValues(firing).some((v) => c.filterValues.includes(v))).toBe(true);
    const others = fieldValues(quiet).filter((v) => !fieldValues(firing).includes(v));
    expect(others.length).toBeGreaterThan(0);
    for (const v of others) {
      expect(c.filterValues).not.toContain(v);
      if (c.auditActivities) expect(DOCUMENTED_AUDIT_ACTIVITIES).toContain(v);
      expect(query).not.toContain(`"${v}"`);
    }
  });

  test('both samples bind to the query in place of the table', () => {
    expect(validateKql(withSamples(c, c.positive))).toEqual([]);
    expect(validateKql(withSamples(c, c.negative))).toEqual([]);
  });
});

describe('validateKql', () => {
  test('reports a syntax error with its line and column', () => {
    expect(validateKql('SigninLogs\n| where\n| take 1')).toEqual([
      expect.objectContaining({ line: 2, column: 8, code: 'KS006', severity: 'Error', message: 'Missing expression' }),
    ]);
  });

  test('reports an unknown column', () => {
    expect(validateKql('AuditLogs\n| where OperationNam == "Add member to role"')).toEqual([
      expect.objectContaining({ line: 2, column: 9, code: 'KS142', message: expect.stringContaining("'OperationNam'") }),
    ]);
  });

  test('reports an unknown table', () => {
    expect(validateKql('SignInLog | take 1')).toEqual([
      expect.objectContaining({ line: 1, column: 1, code: 'KS204', message: expect.stringContaining("'SignInLog'") }),
    ]);
  });

  test('reports an unknown function and wrong argument types', () => {
    expect(validateKql('SigninLogs | extend x = to_string(ResultType)').map((d) => d.code)).toEqual(['KS211']);
    expect(validateKql('SigninLogs | where TimeGenerated > ago("1h")').length).toBeGreaterThan(0);
  });

  test('reports a column of unknown type when nothing else explains it, once per place', () => {
    const query = 'SigninLogs\n| project d = todynamic(AuthenticationDetails)\n| evaluate bag_unpack(d)\n| where Foo == 1 and Foo != 2';
    expect(validateKql(query)).toEqual([
      expect.objectContaining({ code: UNKNOWN_TYPE_CODE, line: 4, column: 9, message: "The column 'Foo' has an unknown type, so it cannot be checked: give its source known columns (e.g. evaluate bag_unpack(d) : (Name: string, ...)), or project it with a type" }),
      expect.objectContaining({ code: UNKNOWN_TYPE_CODE, line: 4, column: 22 }),
    ]);
    expect(validateKql(query.replace('bag_unpack(d)', 'bag_unpack(d) : (Foo: int)'))).toEqual([]);
  });

  test('knows that a column is dynamic in one sign-in table and string in another', () => {
    expect(validateKql('union SigninLogs, AADNonInteractiveUserSignInLogs | where isnotempty(LocationDetails)')[0]).toEqual(
      expect.objectContaining({ code: 'KS142' }),
    );
  });
});

/** The shape of most of Microsoft Sentinel's Entra ID sign-in rules: one function over table(name), called per table. */
const SENTINEL_SHAPE = `let aadFunc = (tableName: string) {
    table(tableName)
    | where ResultType == "0"
    | extend City = tostring(LocationDetails.city)
    | project TimeGenerated, UserPrincipalName, IPAddress, City
};
let aadSignin = aadFunc("SigninLogs");
let aadNonInt = aadFunc("AADNonInteractiveUserSignInLogs");
union isfuzzy=true aadSignin, aadNonInt
| summarize Cities = dcount(City) by UserPrincipalName`;

describe('validateKql binds let functions over table(name) at each call', () => {
  test('a function called with literal table names validates, and its tables are found', () => {
    const fixed = SENTINEL_SHAPE.replace('| extend City = tostring(LocationDetails.city)', '| extend City = tostring(todynamic(LocationDetails).city)');
    expect(validateKql(fixed)).toEqual([]);
    expect(referencedTables(fixed)).toEqual(['AADNonInteractiveUserSignInLogs', 'SigninLogs']);
    expect(validateKql('let f = (t: string) { table(t) | where ResultType == "0" };\nunion f("SigninLogs"), f("AADNonInteractiveUserSignInLogs")')).toEqual([]);
  });

  test('a problem of one call only is reported in the body, naming that call', () => {
    // LocationDetails is dynamic in SigninLogs and a string in AADNonInteractiveUserSignInLogs.
    expect(validateKql(SENTINEL_SHAPE)).toEqual([
      expect.objectContaining({
        line: 4, column: 46, code: 'KS142',
        message: "The name 'city' does not refer to any known column, table, variable or function. (in aadFunc(\"AADNonInteractiveUserSignInLogs\"), line 8)",
      }),
    ]);
  });

  test('a typo in the body is one message naming every call, also through a function that calls another', () => {
    const query = [
      'let f = (tableName: string) {',
      '    table(tableName)',
      '    | where Colum == 1 };',
      'let g = (t: string, n: int) { f(t) | where ResultType == tostring(n) };',
      'union f("SigninLogs"), g("AADNonInteractiveUserSignInLogs", 3)',
    ].join('\n');
    expect(validateKql(query)).toEqual([
      expect.objectContaining({
        line: 3, column: 13, code: 'KS142',
        message: "The name 'Colum' does not refer to any known column, table, variable or function. (in f(\"SigninLogs\"), line 5; g(\"AADNonInteractiveUserSignInLogs\", 3), line 5)",
      }),
    ]);
    expect(referencedTables(query)).toEqual(['AADNonInteractiveUserSignInLogs', 'SigninLogs']);
  });

  test('table() on a name that cannot be known is one KQLV009 at the table() call, without a line per column', () => {
    const computed = 'let f = (tableName: string) { table(tableName) | where ResultType == "0" | project A, B };\nlet name = tostring(dynamic(["SigninLogs"])[0]);\nf(name) | where C == 1 | project D, E';
    expect(validateKql(computed)).toEqual([
      expect.objectContaining({
        line: 1, column: 31, code: UNKNOWN_TABLE_NAME_CODE,
        message: 'table(tableName) names a table that is not known when the query is checked (in f(name), line 3), so nothing read from it can be checked: pass a literal table name (f("SigninLogs")), or write union SigninLogs, AADNonInteractiveUserSignInLogs',
      }),
    ]);
    expect(validateKql('let n = strcat("Signin", "Logs", tostring(now()));\ntable(n) | where A == 1 | project B').map((d) => [d.line, d.column, d.code])).toEqual([[2, 1, UNKNOWN_TABLE_NAME_CODE]]);
    // A function never called: its table() cannot be known either.
    expect(validateKql('let f = (t: string) { table(t) | where Colum == 1 };\nprint 1').map((d) => [d.line, d.column, d.code])).toEqual([[1, 23, UNKNOWN_TABLE_NAME_CODE]]);
    // A name fixed by a let is known: the service binds it.
    expect(validateKql('let t = "SigninLogs";\ntable(t) | where Colum == 1').map((d) => [d.line, d.column, d.code])).toEqual([[2, 18, 'KS142']]);
  });

  test('an unknown table or function is one diagnostic that says how to declare it, not one per column read from it', () => {
    const query = 'IdentityInfo\n| where AccountUPN != ""\n| project AccountObjectId, Department\n| join kind=inner (SigninLogs) on $left.AccountObjectId == $right.UserId\n| where Department == "Finance" and Foo == 1';
    const diagnostics = validateKql(query);
    expect(diagnostics).toEqual([expect.objectContaining({ line: 1, column: 1, code: 'KS204' })]);
    expect(diagnostics[0].message).toBe(
      "The name 'IdentityInfo' does not refer to any known table, tabular variable or function: add its schema to constructs/internal/log-table-schemas/ (with its source), or declare it: kql:check --schema <Table.json> (columns checked), --external-table <Name> or --external-function <Name> (nothing read from it checked); see docs/alerts.md, \"Checking KQL\"",
    );
    const two = validateKql('_GetWatchlist("vip")\n| project SearchKey\n| join kind=inner (IdentityInfo | where AccountUPN != "") on $left.SearchKey == $right.AccountUPN\n| where A == 1 and B == 2');
    expect(two.map((d) => [d.line, d.column, d.code])).toEqual([[1, 1, 'KS211'], [3, 20, 'KS204']]);
  });

  test('externals: declared by name nothing read from them is checked; declared with a schema their columns are', () => {
    const query = '_GetWatchlist("vip")\n| project SearchKey\n| join kind=inner (IdentityInfo | where AccountUPN != "") on $left.SearchKey == $right.AccountUPN';
    expect(validateKql(query, { externals: { functions: ['_GetWatchlist'], tables: ['IdentityInfo'] } })).toEqual([]);
    const identityInfo = { name: 'IdentityInfo', source: 'test', columns: [{ name: 'AccountUPN', type: 'string' }, { name: 'Department', type: 'string' }] };
    expect(validateKql('IdentityInfo | where AccountUPN != "" and Departmnt == "x"', { externals: { schemas: [identityInfo] } })).toEqual([
      expect.objectContaining({ line: 1, column: 43, code: 'KS142' }),
    ]);
    expect(referencedTables('IdentityInfo | join (SigninLogs) on $left.AccountUPN == $right.UserPrincipalName', { externals: { schemas: [identityInfo] } })).toEqual(['SigninLogs']);
  });

  test('externals that cannot be declared are refused, every problem at once', () => {
    expect(externalsProblems({ tables: ['SigninLogs', 'Bad-Name', 'X', 'X'], functions: ['1f'], schemas: [{ name: 'T', source: '', columns: [{ name: 'a', type: 'text' }] }, { name: 'U', source: '', columns: [] }] })).toEqual([
      'table schema T column a has type "text"; expected one of string, datetime, int, long, real, bool, dynamic, guid, timespan, decimal',
      'table schema U has no columns: give "columns": [{"name": ..., "type": ...}]',
      'external table SigninLogs is a built-in table already',
      'external table "Bad-Name" is not a KQL name (letters, digits and _, not starting with a digit)',
      'external table X is declared twice',
      'external function "1f" is not a KQL name (letters, digits and _, not starting with a digit)',
    ]);
    expect(() => validateKql('X', { externals: { tables: ['SigninLogs'] } })).toThrow('Cannot declare the external tables and functions: external table SigninLogs is a built-in table already');
  });
});

describe('validateKql bounds what reaches the Kusto service', () => {
  /** Doubles with each line: the binder's work is exponential in the number of lets. */
  const exponential = (lines: number): string => {
    let text = 'let t0 = datatable(a: int)[1];\n';
    for (let i = 1; i <= lines; i++) text += `let t${i} = union t${i - 1}, t${i - 1};\n`;
    return `${text}t${lines}`;
  };

  test('the limits sit well above the largest catalog query', () => {
    const largest = Math.max(...DETECTIONS.map((d) => renderQuery(d.key, readQueryFile(d.key), d.parameters, {}).length));
    expect(largest * 8).toBeLessThan(KQL_LIMITS.maxQueryChars);
  });

  test('a management command is refused, not analysed', () => {
    expect(validateKql('.drop table SigninLogs')).toEqual([
      expect.objectContaining({ line: 1, column: 1, code: MANAGEMENT_COMMAND_CODE, severity: 'Error', message: expect.stringContaining("'.drop' is a management command, not a query") }),
    ]);
    expect(validateKql('SigninLogs | take 1;\n.set AuditCopy <| AuditLogs').map((d) => [d.line, d.column, d.code])).toEqual([[2, 1, MANAGEMENT_COMMAND_CODE]]);
  });

  test('several query statements are refused; let statements before one query are fine', () => {
    expect(validateKql('SigninLogs | take 1;\nAuditLogs | take 1').map((d) => [d.line, d.column, d.code])).toEqual([[2, 1, SEVERAL_QUERIES_CODE]]);
    expect(validateKql('let n = 5;\nlet failed = SigninLogs | where ResultType != "0";\nfailed | take n;')).toEqual([]);
  });

  test('positions are right after a lone CR, a CRLF and a UTF-8 BOM', () => {
    expect(validateKql('SigninLogs\r| where Foo == 1').map((d) => [d.line, d.column])).toEqual([[2, 9]]);
    expect(validateKql('SigninLogs\r\n| where Foo == 1').map((d) => [d.line, d.column])).toEqual([[2, 9]]);
    expect(validateKql('\uFEFFSigninLogs | where Foo == 1').map((d) => [d.line, d.column, d.offset])).toEqual([[1, 20, 20]]);
    expect(validateKql('\uFEFF.drop table T').map((d) => [d.line, d.column])).toEqual([[1, 1]]);
  });

  test('200 KB of junk and 20,000 nested brackets are refused at once (they took minutes in the service)', () => {
    const started = Date.now();
    expect(validateKql('x y | ( '.repeat(25_000)).map((d) => d.code)).toEqual([QUERY_TOO_LONG_CODE]);
    expect(validateKql('('.repeat(20_000)).map((d) => [d.column, d.code])).toEqual([[KQL_LIMITS.maxNestingDepth + 1, NESTING_TOO_DEEP_CODE]]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  test('an analysis that runs too long is stopped with a message, and referencedTables gives up too', () => {
    const text = exponential(40);
    expect(validateKql(text, { maxAnalysisMs: 50 })).toEqual([
      expect.objectContaining({ line: 1, column: 1, code: ANALYSIS_TIMEOUT_CODE, message: 'Checking the query took longer than 0.05 s and was stopped; simplify it (e.g. let statements that each union the previous one twice grow exponentially)' }),
    ]);
  });

  test('at most maxDiagnostics problems are listed, then one line counts the rest', () => {
    const diagnostics = validateKql('SigninLogs | where ' + Array.from({ length: 80 }, (_, i) => `Nope${i} == 1`).join(' and '));
    expect(diagnostics).toHaveLength(KQL_LIMITS.maxDiagnostics + 1);
    expect(diagnostics[KQL_LIMITS.maxDiagnostics]).toMatchObject({ code: MORE_PROBLEMS_CODE, message: '30 more problem(s) from here on are not shown; fix the ones above first' });
  });
});

describe('custom detections are checked with the Kusto service at synth time', () => {
  test('a valid custom query becomes one rule under CustomRules', () => {
    const resources = synthResources(
      baseProps({
        customDetections: [
          {
            key: 'payroll-sign-in',
            displayName: 'Sign-in to the payroll app',
            severity: 3,
            query: 'SigninLogs\n| where AppDisplayName == "Payroll" and ResultType == "0"',
          },
        ],
      }),
    );
    const ids = Object.keys(resources.azurerm_monitor_scheduled_query_rules_alert_v2);
    expect(ids.filter((id) => id.startsWith('Alerts_CustomRules_'))).toEqual([expect.stringMatching(/^Alerts_CustomRules_payroll-sign-in_[0-9A-F]{8}$/)]);
    const rule = rulesByName(resources)['entra-prod-payroll-sign-in'];
    expect(rule).toEqual(
      expect.objectContaining({ severity: 3, evaluation_frequency: 'PT15M', window_duration: 'PT15M', display_name: 'Sign-in to the payroll app' }),
    );
    expect(rule.criteria[0]).toEqual(expect.objectContaining({ time_aggregation_method: 'Count', operator: 'GreaterThan', threshold: 0 }));
  });

  test('a bad custom query fails with the detection key, line, column and message', () => {
    const message = errorOf(
      baseProps({
        customDetections: [{ key: 'bad-query', displayName: 'Bad', severity: 2, query: 'SigninLogs\n| where UserPrincipal == "x"' }],
      }),
    );
    expect(message).toBe(
      `[stack/Alerts] InvalidQuery: custom detection bad-query query line 2, column 9: The name 'UserPrincipal' does not refer to any known column, table, variable or function. (KS142), got "| where UserPrincipal == \\"x\\""; expected KQL that the Kusto language service accepts against the known table schemas`,
    );
  });

  test('a custom query reading an unrouted table fails naming the category', () => {
    const message = errorOf(
      baseProps({
        routedTables: ['SigninLogs', 'AuditLogs', 'AADNonInteractiveUserSignInLogs', 'MicrosoftGraphActivityLogs', 'AADRiskyUsers', 'AADRiskyServicePrincipals', 'AzureActivity'],
        customDetections: [{ key: 'provisioning-errors', displayName: 'Provisioning errors', severity: 3, query: 'AADProvisioningLogs | where ResultType == "Failure"' }],
      }),
    );
    expect(message).toContain('UnroutedTable: custom detection provisioning-errors reads table AADProvisioningLogs');
    expect(message).toContain('route the Entra log category "ProvisioningLogs"');
  });

  test('a custom detection needs metricMeasureColumn iff its aggregation is not Count, and a key outside the catalog', () => {
    const message = errorOf(
      baseProps({
        customDetections: [
          { key: 'mfa-fatigue', displayName: 'Dup', severity: 2, query: 'SigninLogs' },
          { key: 'avg', displayName: 'Avg', severity: 2, query: 'SigninLogs | summarize n = count()', aggregation: 'Average' },
          { key: 'cnt', displayName: 'Cnt', severity: 2, query: 'SigninLogs', metricMeasureColumn: 'n' },
        ],
      }),
    );
    expect(message).toContain('DuplicateDetectionKey: customDetections[0].key is already a catalog key, got "mfa-fatigue"');
    expect(message).toContain('MissingMetricMeasureColumn: customDetections[1].metricMeasureColumn is required with aggregation Average');
    expect(message).toContain('UnexpectedMetricMeasureColumn: customDetections[2].metricMeasureColumn is not allowed with aggregation Count, got "n"');
  });
  test('a custom detection that is a management command or holds several queries is refused', () => {
    const message = errorOf(
      baseProps({
        customDetections: [
          { key: 'drop-signins', displayName: 'Drop', severity: 2, query: '.drop table SigninLogs' },
          { key: 'two-queries', displayName: 'Two', severity: 2, query: 'SigninLogs | take 1;\nAuditLogs | take 1' },
        ],
      }),
    );
    expect(message).toContain(`InvalidQuery: custom detection drop-signins query line 1, column 1: '.drop' is a management command, not a query`);
    expect(message).toContain(`(${MANAGEMENT_COMMAND_CODE}), got ".drop table SigninLogs"`);
    expect(message).toContain(`InvalidQuery: custom detection two-queries query line 2, column 1: The text holds 2 query statements separated by ';'`);
    expect(message).toContain('got "AuditLogs | take 1"');
  });

  test('an over-long custom query is refused without echoing it whole', () => {
    const query = `SigninLogs | where AppDisplayName in (${Array.from({ length: 4000 }, (_, i) => `"app-${i}"`).join(', ')})`;
    const message = errorOf(baseProps({ customDetections: [{ key: 'long', displayName: 'Long', severity: 2, query }] }));
    expect(message).toContain(`InvalidQuery: custom detection long query line 1, column 1: The query is ${query.length} characters long; the limit is ${KQL_LIMITS.maxQueryChars}`);
    expect(message.length).toBeLessThan(1_000);
  });
});

describe('the Microsoft Sentinel rules of the main example validate like the Azure Monitor ones', () => {
  test('every azurerm_sentinel_alert_rule_scheduled query of contoso-prod is clean and equals its Azure Monitor twin', () => {
    const plan = parseConfig(readFileSync(join(REPO_ROOT, 'stacks/environments.yaml'), 'utf8')).find((p) => p.id === 'contoso-prod')!;
    const json = JSON.parse(Testing.synth(new EntraAuditStack(Testing.app(), plan)));
    const sentinelRules = Object.values(json.resource.azurerm_sentinel_alert_rule_scheduled as Record<string, { name: string; query: string }>);
    const monitorRules = Object.values(json.resource.azurerm_monitor_scheduled_query_rules_alert_v2 as Record<string, { name: string; criteria: { query: string }[] }>);
    expect(sentinelRules.length).toBe(monitorRules.length);
    const unescape = (q: string) => q.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
    for (const rule of sentinelRules) {
      expect({ rule: rule.name, problems: validateKql(unescape(rule.query)) }).toEqual({ rule: rule.name, problems: [] });
      expect(rule.query).toBe(monitorRules.find((m) => m.name === rule.name)!.criteria[0].query);
    }
  });
});

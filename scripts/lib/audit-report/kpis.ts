/**
 * The fixed KPI queries of `npm run audit-report`. Each reads only the tables it lists (a KPI whose
 * table the stack does not route to the workspace is skipped, not run), returns the columns it lists
 * in that order, and at most `maxRows` rows. The activity lists and expressions are the audit
 * workbook's (constructs/audit-workbook/entra-kql.ts), so the report and the workbook count alike.
 * Every query is checked with the Kusto language service in test/scripts/audit-report/kpis.test.ts.
 *
 * The time window is not in the queries: it is the `timespan` of the Logs API request (`--since`).
 * The first line of each query names the KPI (`// entra-audit-report: <key>`), so that the workspace's
 * query audit log (LAQueryLogs) shows what ran it.
 */
import {
  AUDIT_ACTOR,
  AUDIT_TARGET,
  CONSENT_ACTIVITIES,
  CREDENTIAL_ACTIVITIES,
  fuzzyTable,
  kqlList,
  PRIVILEGED_ACTIVITIES,
  PRIVILEGED_KIND,
} from '../../../constructs/audit-workbook/entra-kql';

export type ColumnKind = 'datetime' | 'number' | 'text';

export interface KpiColumn {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** A small chart of one KPI, drawn next to the summary. */
export interface KpiChart {
  readonly kind: 'line' | 'bar';
  /** Column of the labels (x axis, or bar names). */
  readonly label: string;
  /** Numeric column of the values. */
  readonly value: string;
  /** Bars: sum the values per label first (several rows per label). */
  readonly sumByLabel?: boolean;
  /** Bars: how many, largest first. */
  readonly top?: number;
  /** Unit appended to values on the axis (`%`). */
  readonly unit?: string;
}

export interface KpiDefinition {
  /** Stable key: names the CSV (`<key>.csv`) and the chart (`charts/<key>.svg`). */
  readonly key: string;
  readonly title: string;
  /** One sentence: what the figures are. */
  readonly description: string;
  /** Log Analytics tables read. */
  readonly tables: readonly string[];
  readonly columns: readonly KpiColumn[];
  /** The query ends with `take maxRows`; as many rows back means the list was cut. */
  readonly maxRows: number;
  readonly query: string;
  readonly chart?: KpiChart;
}

const col = (name: string, kind: ColumnKind): KpiColumn => ({ name, kind });
const header = (key: string): string => `// entra-audit-report: ${key}`;

export const KPIS: readonly KpiDefinition[] = [
  {
    key: 'sign-in-success-rate',
    title: 'Sign-in success rate per day',
    description: 'Interactive sign-ins per day (SigninLogs), how many succeeded (ResultType 0) and failed, and the success rate.',
    tables: ['SigninLogs'],
    columns: [col('Day', 'datetime'), col('SignIns', 'number'), col('Succeeded', 'number'), col('Failed', 'number'), col('SuccessRatePercent', 'number')],
    maxRows: 800,
    query: [
      header('sign-in-success-rate'),
      fuzzyTable('SigninLogs', ['TimeGenerated', 'ResultType']),
      '| summarize SignIns = count(), Succeeded = countif(ResultType == "0") by Day = startofday(TimeGenerated)',
      '| extend Failed = SignIns - Succeeded, SuccessRatePercent = round(100.0 * Succeeded / SignIns, 2)',
      '| project Day, SignIns, Succeeded, Failed, SuccessRatePercent',
      '| order by Day asc',
      '| take 800',
    ].join('\n'),
    chart: { kind: 'line', label: 'Day', value: 'SuccessRatePercent', unit: '%' },
  },
  {
    key: 'failed-sign-ins-by-country',
    title: 'Failed sign-ins by country or region',
    description: 'Failed interactive sign-ins by the country or region they came from, with the number of distinct accounts.',
    tables: ['SigninLogs'],
    columns: [col('Country', 'text'), col('FailedSignIns', 'number'), col('Accounts', 'number')],
    maxRows: 250,
    query: [
      header('failed-sign-ins-by-country'),
      fuzzyTable('SigninLogs', ['TimeGenerated', 'ResultType', 'LocationDetails', 'UserPrincipalName']),
      '| where ResultType != "0"',
      '| extend Country = tostring(LocationDetails.countryOrRegion)',
      '| extend Country = iff(isempty(Country), "(unknown)", Country)',
      '| summarize FailedSignIns = count(), Accounts = dcount(UserPrincipalName) by Country',
      '| order by FailedSignIns desc, Country asc',
      '| take 250',
    ].join('\n'),
    chart: { kind: 'bar', label: 'Country', value: 'FailedSignIns', top: 10 },
  },
  {
    key: 'top-privileged-actions',
    title: 'Top privileged actions',
    description: 'Role assignments, consent grants and credential changes, by activity and by who performed them.',
    tables: ['AuditLogs'],
    columns: [col('Kind', 'text'), col('Activity', 'text'), col('Actor', 'text'), col('Actions', 'number'), col('Failed', 'number'), col('LastSeen', 'datetime')],
    maxRows: 500,
    query: [
      header('top-privileged-actions'),
      fuzzyTable('AuditLogs', ['TimeGenerated', 'OperationName', 'InitiatedBy', 'Result']),
      `| where OperationName in ${kqlList(PRIVILEGED_ACTIVITIES)}`,
      `| extend Kind = ${PRIVILEGED_KIND}, Actor = ${AUDIT_ACTOR}`,
      '| summarize Actions = count(), Failed = countif(Result !~ "success"), LastSeen = max(TimeGenerated) by Kind, Activity = OperationName, Actor',
      '| order by Actions desc, Activity asc, Actor asc',
      '| take 500',
    ].join('\n'),
    chart: { kind: 'bar', label: 'Activity', value: 'Actions', sumByLabel: true, top: 10 },
  },
  {
    key: 'consent-grants',
    title: 'Consent grants',
    description: 'Every consent and permission grant to an application, newest first.',
    tables: ['AuditLogs'],
    columns: [col('TimeGenerated', 'datetime'), col('Activity', 'text'), col('Actor', 'text'), col('Application', 'text'), col('Result', 'text')],
    maxRows: 5000,
    query: [
      header('consent-grants'),
      fuzzyTable('AuditLogs', ['TimeGenerated', 'OperationName', 'InitiatedBy', 'TargetResources', 'Result']),
      `| where OperationName in ${kqlList(CONSENT_ACTIVITIES)}`,
      `| project TimeGenerated, Activity = OperationName, Actor = ${AUDIT_ACTOR}, Application = tostring(TargetResources[0].displayName), Result`,
      '| order by TimeGenerated desc',
      '| take 5000',
    ].join('\n'),
  },
  {
    key: 'credential-changes',
    title: 'Credential changes',
    description: 'Secrets and certificates added to, removed from or changed on applications and service principals, newest first.',
    tables: ['AuditLogs'],
    columns: [col('TimeGenerated', 'datetime'), col('Activity', 'text'), col('Actor', 'text'), col('Target', 'text'), col('Result', 'text')],
    maxRows: 5000,
    query: [
      header('credential-changes'),
      fuzzyTable('AuditLogs', ['TimeGenerated', 'OperationName', 'InitiatedBy', 'TargetResources', 'Result']),
      `| where OperationName in ${kqlList(CREDENTIAL_ACTIVITIES)}`,
      `| project TimeGenerated, Activity = OperationName, Actor = ${AUDIT_ACTOR}, Target = ${AUDIT_TARGET}, Result`,
      '| order by TimeGenerated desc',
      '| take 5000',
    ].join('\n'),
  },
  {
    key: 'risky-users',
    title: 'Risky users',
    description: 'Users Microsoft Entra ID Protection flagged at risk or compromised in the window, with their latest risk state.',
    tables: ['AADRiskyUsers'],
    columns: [col('UserPrincipalName', 'text'), col('RiskLevel', 'text'), col('RiskState', 'text'), col('RiskDetail', 'text'), col('LastUpdated', 'datetime')],
    maxRows: 5000,
    query: [
      header('risky-users'),
      fuzzyTable('AADRiskyUsers', ['TimeGenerated', 'Id', 'UserPrincipalName', 'RiskLevel', 'RiskState', 'RiskDetail']),
      '| summarize arg_max(TimeGenerated, UserPrincipalName, RiskLevel, RiskState, RiskDetail) by Id',
      '| where RiskState in ("atRisk", "confirmedCompromised")',
      '| project UserPrincipalName, RiskLevel, RiskState, RiskDetail, LastUpdated = TimeGenerated',
      '| order by LastUpdated desc',
      '| take 5000',
    ].join('\n'),
  },
];

/** The KPI a query is for, from its first line (the fake Logs API in the tests dispatches on it). */
export function kpiKeyOf(query: string): string | undefined {
  return /^\/\/ entra-audit-report: ([a-z0-9-]+)\n/.exec(query)?.[1];
}

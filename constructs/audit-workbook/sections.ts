/**
 * The sections of the audit workbook: what each shows, the queries behind it, and the tables each
 * query reads. A query is shown only when every table it reads is routed to the workspace; a
 * section none of whose queries can be shown is left out. {@link AuditWorkbook} checks every query
 * with the Kusto language service, and that the tables listed here are exactly the ones it reads.
 *
 * Values used in the queries:
 * - `ConditionalAccessStatus`: success, failure, notApplied; `AuthenticationRequirement`:
 *   singleFactorAuthentication, multiFactorAuthentication (Microsoft Graph signIn resource,
 *   learn.microsoft.com/graph/api/resources/signin);
 * - risk: riskLevel low | medium | high | hidden | none; riskState atRisk | confirmedCompromised | ...
 *   (learn.microsoft.com/graph/api/resources/riskyuser, riskyserviceprincipal);
 * - ingestion latency: `ingestion_time() - TimeGenerated` (learn.microsoft.com/azure/azure-monitor/logs/data-ingestion-time);
 * - fired alerts: Azure Resource Graph `alertsmanagementresources` keeps Azure Monitor alerts for 30 days
 *   (learn.microsoft.com/azure/azure-monitor/resource-graph-samples, "View recent Azure Monitor alerts");
 *   `properties.essentials.alertRule` is the rule's ARM id or name (Alerts Management REST API, Alerts - Get All).
 */
import { type KqlDatabase, logTableSchemas } from '../internal/kql-validator';
import { LOG_CATEGORIES } from '../internal/log-categories';
import { APP_AND_GROUP_CATEGORIES, AUDIT_ACTOR, AUDIT_TARGET, fuzzyTable, kqlList, kqlString, PRIVILEGED_ACTIVITIES, PRIVILEGED_KIND } from './entra-kql';
import type { Visualization } from './notebook';

export const WORKBOOK_SECTION_KEYS = [
  'sign-in-success',
  'failed-sign-ins',
  'mfa-and-conditional-access',
  'privileged-actions',
  'app-and-group-changes',
  'risky-identities',
  'pipeline-health',
  'fired-alerts',
] as const;
export type WorkbookSectionKey = (typeof WORKBOOK_SECTION_KEYS)[number];

/** One query item of the workbook. */
export interface WorkbookQuery {
  /** Stable item name, unique in the workbook. */
  readonly key: string;
  readonly title: string;
  readonly visualization: Visualization;
  readonly query: string;
  /** The tables the query reads; the item is shown only when all of them are available. */
  readonly tables: readonly string[];
  /** @default 'logAnalytics' */
  readonly database?: KqlDatabase;
  /** Half a row wide. @default full width */
  readonly half?: boolean;
}

export interface WorkbookSection {
  readonly key: WorkbookSectionKey;
  readonly title: string;
  /** One or two sentences shown under the title. */
  readonly description: string;
  readonly queries: readonly WorkbookQuery[];
}

/** What some sections need besides the routed tables. */
export interface SectionContext {
  /** Names of the stack's alert rules: the fired-alerts section shows these. */
  readonly alertRuleNames?: readonly string[];
}

const SUCCESS = 'ResultType == "0"';

function successRate(table: string, key: string, title: string): WorkbookQuery {
  return {
    key,
    title,
    visualization: 'timechart',
    tables: [table],
    half: true,
    query: [
      fuzzyTable(table, ['TimeGenerated', 'ResultType']),
      `| summarize SignIns = count(), Succeeded = countif(${SUCCESS}) by bin(TimeGenerated, 1h)`,
      '| extend SuccessRatePercent = round(100.0 * Succeeded / SignIns, 2)',
      '| project TimeGenerated, SuccessRatePercent',
      '| order by TimeGenerated asc',
    ].join('\n'),
  };
}

function riskyTable(table: string, key: string, title: string, identity: readonly string[]): WorkbookQuery {
  return {
    key,
    title,
    visualization: 'table',
    tables: [table],
    half: true,
    query: [
      fuzzyTable(table, ['TimeGenerated', 'Id', ...identity, 'RiskLevel', 'RiskState', 'RiskDetail']),
      `| summarize arg_max(TimeGenerated, ${[...identity, 'RiskLevel', 'RiskState', 'RiskDetail'].join(', ')}) by Id`,
      '| where RiskState in ("atRisk", "confirmedCompromised")',
      `| project ${identity.join(', ')}, RiskLevel, RiskState, RiskDetail, LastUpdated = TimeGenerated`,
      '| order by LastUpdated desc',
      '| take 200',
    ].join('\n'),
  };
}

/**
 * The Entra tables the validator has a schema for, in the order of the category list. A routed table
 * without one (a category newer than the schemas) cannot be checked, so pipeline health leaves it out.
 */
function entraTables(): string[] {
  return LOG_CATEGORIES.map((c) => c.table).filter((t) => logTableSchemas().has(t));
}

/** Every section with every query it can have; {@link availableSections} keeps what a workspace can show. */
export function workbookSections(context: SectionContext = {}, pipelineTables: readonly string[] = entraTables()): WorkbookSection[] {
  const privileged = [fuzzyTable('AuditLogs', ['TimeGenerated', 'OperationName', 'InitiatedBy', 'Result']), `| where OperationName in ${kqlList(PRIVILEGED_ACTIVITIES)}`];
  const sections: WorkbookSection[] = [
    {
      key: 'sign-in-success',
      title: 'Sign-in success rate',
      description: 'Share of sign-ins that succeeded (ResultType 0), per hour: interactive sign-ins, and the non-interactive ones clients make on a user\'s behalf.',
      queries: [
        successRate('SigninLogs', 'sign-in-success-interactive', 'Interactive sign-ins: success rate (%)'),
        successRate('AADNonInteractiveUserSignInLogs', 'sign-in-success-non-interactive', 'Non-interactive sign-ins: success rate (%)'),
      ],
    },
    {
      key: 'failed-sign-ins',
      title: 'Failed sign-ins',
      description: 'Interactive sign-ins that failed, by the country they came from and by error code.',
      queries: [
        {
          key: 'failed-sign-ins-by-country',
          title: 'Failed sign-ins by country or region (top 20)',
          visualization: 'barchart',
          tables: ['SigninLogs'],
          half: true,
          query: [
            fuzzyTable('SigninLogs', ['TimeGenerated', 'ResultType', 'LocationDetails', 'UserPrincipalName']),
            `| where not(${SUCCESS})`,
            '| extend Country = tostring(LocationDetails.countryOrRegion)',
            '| extend Country = iff(isempty(Country), "(unknown)", Country)',
            '| summarize FailedSignIns = count(), Users = dcount(UserPrincipalName) by Country',
            '| top 20 by FailedSignIns desc',
          ].join('\n'),
        },
        {
          key: 'failed-sign-ins-by-error',
          title: 'Failed sign-ins by error code (top 20)',
          visualization: 'table',
          tables: ['SigninLogs'],
          half: true,
          query: [
            fuzzyTable('SigninLogs', ['TimeGenerated', 'ResultType', 'ResultDescription', 'UserPrincipalName']),
            `| where not(${SUCCESS})`,
            '| summarize FailedSignIns = count(), Users = dcount(UserPrincipalName) by ErrorCode = ResultType, Description = ResultDescription',
            '| top 20 by FailedSignIns desc',
          ].join('\n'),
        },
      ],
    },
    {
      key: 'mfa-and-conditional-access',
      title: 'MFA and Conditional Access',
      description: 'How interactive sign-ins were authenticated (single or multifactor) and what Conditional Access decided.',
      queries: [
        {
          key: 'authentication-requirement',
          title: 'Single-factor vs multifactor sign-ins',
          visualization: 'piechart',
          tables: ['SigninLogs'],
          half: true,
          query: [fuzzyTable('SigninLogs', ['TimeGenerated', 'AuthenticationRequirement']), '| summarize SignIns = count() by AuthenticationRequirement', '| order by SignIns desc'].join('\n'),
        },
        {
          key: 'conditional-access-status',
          title: 'Conditional Access outcome',
          visualization: 'piechart',
          tables: ['SigninLogs'],
          half: true,
          query: [fuzzyTable('SigninLogs', ['TimeGenerated', 'ConditionalAccessStatus']), '| summarize SignIns = count() by ConditionalAccessStatus', '| order by SignIns desc'].join('\n'),
        },
      ],
    },
    {
      key: 'privileged-actions',
      title: 'Privileged directory actions',
      description: 'Role assignments, consent grants to applications and credential changes on applications and service principals, and who made them.',
      queries: [
        {
          key: 'privileged-actions-by-actor',
          title: 'Privileged actions by activity and actor (top 50)',
          visualization: 'table',
          tables: ['AuditLogs'],
          query: [
            ...privileged,
            `| extend Kind = ${PRIVILEGED_KIND}, Actor = ${AUDIT_ACTOR}`,
            '| summarize Actions = count(), Failed = countif(Result !~ "success"), LastSeen = max(TimeGenerated) by Kind, OperationName, Actor',
            '| top 50 by Actions desc',
          ].join('\n'),
        },
        {
          key: 'privileged-actions-over-time',
          title: 'Privileged actions per day',
          visualization: 'timechart',
          tables: ['AuditLogs'],
          query: [...privileged, `| extend Kind = ${PRIVILEGED_KIND}`, '| summarize Actions = count() by Kind, bin(TimeGenerated, 1d)', '| order by TimeGenerated asc'].join('\n'),
        },
      ],
    },
    {
      key: 'app-and-group-changes',
      title: 'Application and group management',
      description: 'Changes to applications, service principals and groups.',
      queries: [
        {
          key: 'app-and-group-changes-by-activity',
          title: 'Changes by activity (top 30)',
          visualization: 'table',
          tables: ['AuditLogs'],
          half: true,
          query: [
            fuzzyTable('AuditLogs', ['TimeGenerated', 'Category', 'OperationName']),
            `| where Category in ${kqlList(APP_AND_GROUP_CATEGORIES)}`,
            '| summarize Changes = count() by Category, OperationName',
            '| top 30 by Changes desc',
          ].join('\n'),
        },
        {
          key: 'app-and-group-changes-recent',
          title: 'Latest changes (100)',
          visualization: 'table',
          tables: ['AuditLogs'],
          half: true,
          query: [
            fuzzyTable('AuditLogs', ['TimeGenerated', 'Category', 'OperationName', 'InitiatedBy', 'TargetResources', 'Result']),
            `| where Category in ${kqlList(APP_AND_GROUP_CATEGORIES)}`,
            `| extend Actor = ${AUDIT_ACTOR}, Target = ${AUDIT_TARGET}`,
            '| project TimeGenerated, Category, OperationName, Actor, Target, Result',
            '| top 100 by TimeGenerated desc',
          ].join('\n'),
        },
      ],
    },
    {
      key: 'risky-identities',
      title: 'Risky users and service principals',
      description: 'Identities Microsoft Entra ID Protection currently considers at risk or compromised (latest state of each).',
      queries: [
        riskyTable('AADRiskyUsers', 'risky-users', 'Risky users', ['UserPrincipalName', 'UserDisplayName']),
        riskyTable('AADRiskyServicePrincipals', 'risky-service-principals', 'Risky service principals', ['DisplayName', 'AppId']),
      ],
    },
  ];

  if (pipelineTables.length > 0) {
    // One union over every routed Entra table; the empty datatable leg keeps it valid before any table exists.
    const union = `union withsource=SourceTable isfuzzy=true (datatable(TimeGenerated: datetime)[]), ${pipelineTables.join(', ')}`;
    sections.push({
      key: 'pipeline-health',
      title: 'Pipeline health',
      description: 'Whether every routed Entra table receives data: rows, the newest event, and ingestion latency (ingestion_time() - TimeGenerated).',
      queries: [
        {
          key: 'pipeline-health-by-table',
          title: 'Rows, last event and ingestion latency per table',
          visualization: 'table',
          tables: [...pipelineTables],
          query: [
            union,
            '| extend LatencySeconds = (ingestion_time() - TimeGenerated) / 1s',
            '| summarize Rows = count(), LastEvent = max(TimeGenerated), LatencyP50Seconds = round(percentile(LatencySeconds, 50), 1), LatencyP95Seconds = round(percentile(LatencySeconds, 95), 1) by SourceTable',
            '| order by SourceTable asc',
          ].join('\n'),
        },
        {
          key: 'pipeline-health-rows-over-time',
          title: 'Rows per hour and table',
          visualization: 'timechart',
          tables: [...pipelineTables],
          query: [union, '| summarize Rows = count() by SourceTable, bin(TimeGenerated, 1h)', '| order by TimeGenerated asc'].join('\n'),
        },
      ],
    });
  }

  const rules = context.alertRuleNames ?? [];
  if (rules.length > 0) {
    sections.push({
      key: 'fired-alerts',
      title: 'Fired alerts',
      description: 'Alerts the detection catalog\'s rules fired in the last 30 days (Azure Resource Graph keeps 30 days), by rule and severity.',
      queries: [
        {
          key: 'fired-alerts-by-rule',
          title: 'Fired alerts by rule (last 30 days)',
          visualization: 'table',
          database: 'resourceGraph',
          tables: ['alertsmanagementresources'],
          query: [
            'alertsmanagementresources',
            '| where type =~ "microsoft.alertsmanagement/alerts"',
            '| extend Rule = tostring(split(tostring(properties.essentials.alertRule), "/")[-1])',
            `| where Rule in~ (dynamic([${rules.map(kqlString).join(', ')}]))`,
            '| extend Severity = tostring(properties.essentials.severity), Condition = tostring(properties.essentials.monitorCondition), Fired = todatetime(properties.essentials.startDateTime)',
            '| where Fired > ago(30d)',
            '| summarize Alerts = count(), StillFiring = countif(Condition == "Fired"), LastFired = max(Fired) by Rule, Severity',
            '| order by Alerts desc',
          ].join('\n'),
        },
      ],
    });
  }
  return sections;
}

/**
 * The sections a workspace with `routedTables` can show, each with only the queries whose tables
 * are all routed; sections left with no query are dropped, as are those in `disabled`.
 */
export function availableSections(routedTables: readonly string[], context: SectionContext = {}, disabled: readonly string[] = []): WorkbookSection[] {
  const routed = new Set(routedTables);
  const pipeline = entraTables().filter((t) => routed.has(t));
  return workbookSections(context, pipeline)
    .filter((s) => !disabled.includes(s.key))
    .map((s) => ({ ...s, queries: s.queries.filter((q) => (q.database ?? 'logAnalytics') !== 'logAnalytics' || q.tables.every((t) => routed.has(t))) }))
    .filter((s) => s.queries.length > 0);
}

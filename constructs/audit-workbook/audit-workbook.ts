import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { Fn, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AZURE_REGIONS } from '../internal/azure-regions';
import { formatKqlDiagnostic, referencedTables, validateKql } from '../internal/kql-validator';
import { tagProblems } from '../internal/tags';
import { NAMESPACE_URL, uuidV5 } from '../internal/uuid';
import { armIdPattern, closest, GUID_PATTERN, oneOfText, Problem, ProblemList, show, throwIfProblems } from '../internal/validation';
import { escapeTerraformTemplate } from '../entra-alert-rules/detection';
import { logsQueryItem, notebook, Notebook, NotebookItem, resourceGraphQueryItem, textItem, timeRangeItem } from './notebook';
import { availableSections, WORKBOOK_SECTION_KEYS, WorkbookSection, WorkbookSectionKey } from './sections';

/** Time ranges the workbook's picker offers (milliseconds), and the ISO-8601 names of the default. */
export const WORKBOOK_TIME_RANGES = {
  PT1H: 3_600_000,
  PT4H: 14_400_000,
  P1D: 86_400_000,
  P3D: 259_200_000,
  P7D: 604_800_000,
  P14D: 1_209_600_000,
  P30D: 2_592_000_000,
  P90D: 7_776_000_000,
} as const;
export type WorkbookTimeRange = keyof typeof WORKBOOK_TIME_RANGES;

/** What the fired-alerts section reads: the stack's alert rules, in Azure Resource Graph. */
export interface WorkbookFiredAlerts {
  /** Subscription of the alert rules (Resource Graph is queried there). */
  readonly subscriptionId: string;
  /** Names of the alert rules whose alerts are shown (`<namePrefix>-<key>`). */
  readonly ruleNames: readonly string[];
}

export interface AuditWorkbookProps {
  /** ARM id of the Log Analytics workspace every query reads; the workbook is filed under it. */
  readonly workspaceResourceId: string;
  /** Resource group of the workbook. */
  readonly resourceGroupName: string;
  /** Azure region of the workbook, e.g. `westeurope`. */
  readonly location: string;
  /**
   * Log Analytics tables the stack routes to the workspace (`SigninLogs` for the `SignInLogs`
   * category). A query that reads any other table is left out, and a section left with none.
   */
  readonly routedTables: readonly string[];
  /**
   * Title of the workbook in the portal; unique per resource group and workspace.
   * @default 'Entra ID audit'
   */
  readonly displayName?: string;
  /** @default - none */
  readonly description?: string;
  /**
   * Text the workbook's name (a GUID, the resource's identity) is derived from, as a UUID version 5:
   * the same seed always gives the same name, so re-synthesis never replaces the workbook. Changing
   * it replaces the workbook.
   * @default - the construct path, plus the workspace id when it is known at synth time
   */
  readonly nameSeed?: string;
  /**
   * The workbook's name: a lower-case GUID. Set it to adopt an existing workbook.
   * @default - derived from `nameSeed`
   */
  readonly name?: string;
  /**
   * Sections to leave out (`sign-in-success`, `failed-sign-ins`, `mfa-and-conditional-access`,
   * `privileged-actions`, `app-and-group-changes`, `risky-identities`, `pipeline-health`, `fired-alerts`).
   * @default - every section the routed tables allow
   */
  readonly disabledSections?: readonly WorkbookSectionKey[];
  /**
   * Where the fired-alerts section finds the detection catalog's alerts.
   * @default - no fired-alerts section
   */
  readonly firedAlerts?: WorkbookFiredAlerts;
  /**
   * Time range the workbook opens with.
   * @default 'P7D'
   */
  readonly defaultTimeRange?: WorkbookTimeRange;
  /** @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * What the workbook waits for, e.g. {@link LogAnalyticsDestination.ready} of a workspace created in the same apply.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** One query of the workbook as synthesized. */
export interface WorkbookQueryInfo {
  readonly section: WorkbookSectionKey;
  readonly key: string;
  readonly query: string;
  readonly tables: readonly string[];
}

const WORKSPACE_ID = armIdPattern('Microsoft.OperationalInsights/workspaces');
/** The provider wants a GUID without upper-case letters (azurerm v4.55.0 application_insights_workbook_resource.go: `name` IsUUID and StringDoesNotContainUpperCaseLetter). */
const LOWER_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Name space of workbook names: a UUID v5 of the toolkit's URN in the RFC 9562 URL name space. */
export const WORKBOOK_NAME_NAMESPACE = uuidV5('urn:entra-audit-logging:audit-workbook', NAMESPACE_URL);
/** Stands for the workspace id in the JSON until the (unresolved) token is put in. */
const WORKSPACE_PLACEHOLDER = '__ENTRA_AUDIT_WORKBOOK_WORKSPACE_ID__';
const RULE_NAME = /^[^*<>%{}&:\\?/#|"\u0000-\u001f]{1,260}$/;

/** Every problem with `props`, paths relative to the props. Pure: used by the constructor and by configuration validation. */
export function auditWorkbookProblems(props: AuditWorkbookProps): Problem[] {
  const p = new ProblemList();
  p.matches('workspaceResourceId', props.workspaceResourceId, WORKSPACE_ID, 'an ARM id like /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>');
  if (!Token.isUnresolved(props.resourceGroupName) && !/^[-\w._()]{0,89}[-\w_()]$/.test(props.resourceGroupName)) {
    p.add('resourceGroupName', props.resourceGroupName, '1–90 letters, digits, "-", "_", ".", "(" or ")", not ending with "."');
  }
  if (!Token.isUnresolved(props.location) && !AZURE_REGIONS.includes(props.location)) {
    const hint = closest(props.location, AZURE_REGIONS);
    p.add('location', props.location, `an Azure region name such as westeurope${hint ? ` (did you mean ${show(hint)}?)` : ''}`);
  }
  if (props.displayName !== undefined && !Token.isUnresolved(props.displayName) && props.displayName.trim() === '') {
    p.add('displayName', props.displayName, 'a non-empty title');
  }
  if (props.description !== undefined && !Token.isUnresolved(props.description) && props.description.trim() === '') {
    p.add('description', props.description, 'a non-empty description, or no description');
  }
  if (props.name !== undefined && !Token.isUnresolved(props.name) && !LOWER_GUID.test(props.name)) {
    p.add('name', props.name, GUID_PATTERN.test(props.name) ? `the same GUID in lower case (${props.name.toLowerCase()}): the provider refuses upper-case letters` : 'a lower-case GUID like 00000000-0000-0000-0000-000000000000');
  }
  if (props.nameSeed !== undefined && props.nameSeed.trim() === '') p.add('nameSeed', props.nameSeed, 'a non-empty text');
  for (const [i, key] of (props.disabledSections ?? []).entries()) p.oneOf(`disabledSections[${i}]`, key, WORKBOOK_SECTION_KEYS);
  if (props.defaultTimeRange !== undefined && !(props.defaultTimeRange in WORKBOOK_TIME_RANGES)) {
    p.add('defaultTimeRange', props.defaultTimeRange, oneOfText(props.defaultTimeRange, Object.keys(WORKBOOK_TIME_RANGES)));
  }
  if (props.firedAlerts) {
    const { subscriptionId, ruleNames } = props.firedAlerts;
    if (!Token.isUnresolved(subscriptionId) && !GUID_PATTERN.test(subscriptionId)) p.add('firedAlerts.subscriptionId', subscriptionId, 'a subscription GUID');
    if (ruleNames.length === 0) p.add('firedAlerts.ruleNames', [], 'at least one alert rule name (or no firedAlerts)');
    for (const [i, name] of ruleNames.entries()) {
      if (!Token.isUnresolved(name) && !RULE_NAME.test(name)) p.add(`firedAlerts.ruleNames[${i}]`, name, 'an alert rule name: 1–260 characters without * < > % { } & : \\ ? / # | or quotes');
    }
  }
  // azurerm v4.55.0 validate/workbook_tags.go: `hidden-title` is set by Azure from display_name and refused as a tag.
  for (const name of Object.keys(props.tags ?? {})) {
    if (name.toLowerCase() === 'hidden-title') p.add(`tags.${name}`, name, 'another tag name: Azure sets hidden-title from displayName, and the provider refuses it');
  }
  p.items.push(...tagProblems(props.tags));
  return p.items;
}

/**
 * An Azure Monitor workbook on the audit workspace (`azurerm_application_insights_workbook`, id
 * `Resource`) whose sections show sign-in success, failed sign-ins, MFA and Conditional Access,
 * privileged directory actions, application and group changes, risky identities, the health of the
 * log pipeline and the alerts the detection catalog fired. Its `data_json` is built from typed code
 * (./notebook.ts, ./sections.ts); only tables the stack routes to the workspace are read. The
 * queries are the library's own, built from fixed text, table names and quoted rule names: the tests
 * check every one of them with the Kusto language service ({@link workbookQueryProblems}), so synth
 * does not load the service for them (it cost about 4 s of CPU per synth, most of the app's time) and
 * an app that installs the library without the optional `@kusto/language-service-next` gets the same
 * workbook.
 */
export class AuditWorkbook extends Construct {
  /** The workbook resource. */
  readonly resource: ApplicationInsightsWorkbook;
  /** The workbook's name (a lower-case GUID). */
  readonly name: string;
  /** The sections shown, in order. */
  readonly sections: readonly WorkbookSectionKey[];
  /** Every query of the workbook, in order. */
  readonly queries: readonly WorkbookQueryInfo[];
  /** The workbook document (`data_json` parsed); the workspace id in it is lower-cased (a token when it is known only at apply time). */
  readonly notebook: Notebook;

  constructor(scope: Construct, id: string, props: AuditWorkbookProps) {
    super(scope, id);
    const problems = auditWorkbookProblems(props);
    throwIfProblems(this, problems);

    const context = props.firedAlerts ? { alertRuleNames: props.firedAlerts.ruleNames } : {};
    const sections = availableSections(props.routedTables, context, props.disabledSections ?? []);
    if (sections.length === 0) {
      throwIfProblems(this, [{
        path: 'routedTables',
        got: [...props.routedTables],
        expected: 'at least one table a workbook section reads (SigninLogs, AADNonInteractiveUserSignInLogs, AuditLogs, AADRiskyUsers, AADRiskyServicePrincipals or another Entra table), with its section not disabled',
      }]);
    }

    const workspaceKnown = !Token.isUnresolved(props.workspaceResourceId);
    this.name = props.name ?? uuidV5(props.nameSeed ?? `${this.node.path}${workspaceKnown ? `|${props.workspaceResourceId.toLowerCase()}` : ''}`, WORKBOOK_NAME_NAMESPACE);
    // The provider refuses upper-case letters in source_id (azurerm v4.55.0 application_insights_workbook_resource.go,
    // StringDoesNotContainUpperCaseLetter; hashicorp/terraform-provider-azurerm#27755), while workspace ids carry them.
    const sourceId = workspaceKnown ? props.workspaceResourceId.toLowerCase() : Fn.lower(props.workspaceResourceId);
    // data_json is a Terraform string: `${` and `%{` in it would be template sequences. An unresolved
    // workspace id goes in after escaping, so that its own `${...}` stays a reference.
    const json = escapeTerraformTemplate(JSON.stringify(buildNotebook(sections, workspaceKnown ? sourceId : WORKSPACE_PLACEHOLDER, props, this.name)));
    const dataJson = workspaceKnown ? json : json.split(WORKSPACE_PLACEHOLDER).join(sourceId);
    this.notebook = buildNotebook(sections, sourceId, props, this.name);

    this.resource = new ApplicationInsightsWorkbook(this, 'Resource', {
      name: this.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      displayName: props.displayName ?? 'Entra ID audit',
      description: props.description,
      category: 'workbook',
      sourceId,
      dataJson,
      tags: props.tags ? { ...props.tags } : undefined,
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    this.sections = sections.map((s) => s.key);
    this.queries = sections.flatMap((s) => s.queries.map((q) => ({ section: s.key, key: q.key, query: q.query, tables: [...q.tables] })));
  }
}

/**
 * Every query of `sections` checked with the Kusto language service, and against the tables it
 * declares. Not run at synth (see {@link AuditWorkbook}): the tests run it on the sections of every
 * routing they cover.
 */
export function workbookQueryProblems(sections: readonly WorkbookSection[]): Problem[] {
  const out: Problem[] = [];
  for (const section of sections) {
    for (const q of section.queries) {
      const path = `sections.${section.key}.${q.key}`;
      const diagnostics = validateKql(q.query, { database: q.database });
      if (diagnostics.length > 0) out.push({ path, got: q.query, expected: `a valid query: ${diagnostics.map(formatKqlDiagnostic).join('; ')}` });
      const read = referencedTables(q.query, { database: q.database });
      const declared = [...q.tables].sort();
      if (diagnostics.length === 0 && JSON.stringify(read) !== JSON.stringify(declared)) {
        out.push({ path, got: read, expected: `exactly the tables the section declares (${declared.join(', ')})` });
      }
    }
  }
  return out;
}

const HALF = '50';

function buildNotebook(sections: readonly WorkbookSection[], workspace: string, props: AuditWorkbookProps, name: string): Notebook {
  const range = props.defaultTimeRange ?? 'P7D';
  const items: NotebookItem[] = [
    textItem('title', `# ${props.displayName ?? 'Entra ID audit'}\nMicrosoft Entra ID audit and sign-in logs in this workspace. Sections appear only for the log categories the stack routes here.`),
    timeRangeItem({ name: 'time-range', id: uuidV5(`${name}/TimeRange`, WORKBOOK_NAME_NAMESPACE), defaultMs: WORKBOOK_TIME_RANGES[range], choicesMs: Object.values(WORKBOOK_TIME_RANGES) }),
  ];
  for (const section of sections) {
    items.push(textItem(`${section.key}-title`, `## ${section.title}\n${section.description}`));
    for (const q of section.queries) {
      const common = { name: q.key, title: q.title, query: q.query, visualization: q.visualization, customWidth: q.half ? HALF : undefined };
      items.push(
        q.database === 'resourceGraph'
          ? resourceGraphQueryItem({ ...common, subscriptions: [`/subscriptions/${props.firedAlerts!.subscriptionId}`], noDataMessage: 'No alert fired in the last 30 days.' })
          : logsQueryItem({ ...common, resources: [workspace] }),
      );
    }
  }
  return notebook(items, [workspace]);
}

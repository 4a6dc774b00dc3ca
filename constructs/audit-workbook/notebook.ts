/**
 * A small typed builder for the JSON of an Azure Monitor workbook (`serializedData`, the provider's
 * `data_json`), so that the workbook is code, not a pasted blob.
 *
 * The shape follows Microsoft's workbook schema (microsoft/Application-Insights-Workbooks
 * `schema/workbook.json`: `version` and `items` required; item `type` 1 is markdown text, 3 a query,
 * 9 parameters) and the Entra ID workbooks Microsoft ships in the same repository
 * (`Workbooks/Azure Active Directory/SignIns/SignIns.workbook`, `Sign-ins Overview/SigninsOverview.workbook`):
 * query items carry `version: "KqlItem/1.0"`, `queryType: 0` (Logs), `resourceType:
 * "microsoft.operationalinsights/workspaces"`, `timeContextFromParameter` naming a time range
 * parameter (type 4) and `crossComponentResources`; Azure Resource Graph items carry `queryType: 1`
 * and `resourceType: "microsoft.resourcegraph/resources"`. Chart kinds: learn.microsoft.com
 * azure/azure-monitor/visualize/workbooks-chart-visualizations (line, bar, categorical bar, area,
 * scatter, pie, time) and workbooks-grid-visualizations (grid = `table`).
 */

/** `version` of the workbook document. */
export const NOTEBOOK_VERSION = 'Notebook/1.0';
/** `$schema` of the workbook document. */
export const NOTEBOOK_SCHEMA = 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json';

/** Item `type` values (schema/workbook.json `definitions`). */
export const ITEM_TYPE = { text: 1, query: 3, parameters: 9 } as const;
/** Query item `queryType` values: 0 Logs (KQL on a workspace), 1 Azure Resource Graph. */
export const QUERY_TYPE = { logs: 0, resourceGraph: 1 } as const;
/** The `resourceType` of a query item that reads a Log Analytics workspace. */
export const WORKSPACE_RESOURCE_TYPE = 'microsoft.operationalinsights/workspaces';
/** The `resourceType` of a query item that reads Azure Resource Graph. */
export const RESOURCE_GRAPH_RESOURCE_TYPE = 'microsoft.resourcegraph/resources';
/** The name of the time range parameter every Logs query item takes its time range from. */
export const TIME_RANGE_PARAMETER = 'TimeRange';

/** How a query item shows its result. */
export const VISUALIZATIONS = ['table', 'timechart', 'barchart', 'piechart'] as const;
export type Visualization = (typeof VISUALIZATIONS)[number];

/** Markdown text. */
export interface TextItem {
  readonly type: typeof ITEM_TYPE.text;
  readonly name: string;
  readonly content: { readonly json: string };
}

export interface QueryContent {
  readonly version: 'KqlItem/1.0';
  readonly query: string;
  readonly size: 0;
  readonly title: string;
  readonly noDataMessage: string;
  readonly timeContextFromParameter?: typeof TIME_RANGE_PARAMETER;
  readonly queryType: (typeof QUERY_TYPE)[keyof typeof QUERY_TYPE];
  readonly resourceType: typeof WORKSPACE_RESOURCE_TYPE | typeof RESOURCE_GRAPH_RESOURCE_TYPE;
  readonly crossComponentResources: readonly string[];
  readonly visualization: Visualization;
}

/** A query and how its result is shown. */
export interface QueryItem {
  readonly type: typeof ITEM_TYPE.query;
  readonly name: string;
  /** Width in percent of the row, as a string (`"50"`). */
  readonly customWidth?: string;
  readonly content: QueryContent;
}

/** A time range picker (parameter type 4). */
export interface TimeRangeParameter {
  readonly id: string;
  readonly version: 'KqlParameterItem/1.0';
  readonly name: typeof TIME_RANGE_PARAMETER;
  readonly label: string;
  readonly type: 4;
  readonly isRequired: true;
  readonly value: { readonly durationMs: number };
  readonly typeSettings: { readonly selectableValues: readonly { readonly durationMs: number }[]; readonly allowCustom: true };
}

/** The parameters bar. */
export interface ParametersItem {
  readonly type: typeof ITEM_TYPE.parameters;
  readonly name: string;
  readonly content: {
    readonly version: 'KqlParameterItem/1.0';
    readonly parameters: readonly TimeRangeParameter[];
    readonly style: 'pills';
    readonly queryType: typeof QUERY_TYPE.logs;
    readonly resourceType: typeof WORKSPACE_RESOURCE_TYPE;
  };
}

export type NotebookItem = TextItem | QueryItem | ParametersItem;

/** The whole workbook document. */
export interface Notebook {
  readonly version: typeof NOTEBOOK_VERSION;
  readonly items: readonly NotebookItem[];
  /** Resources the workbook opens with when it is opened without one (from the gallery, a link, a pin). */
  readonly fallbackResourceIds: readonly string[];
  readonly isLocked: false;
  readonly $schema: typeof NOTEBOOK_SCHEMA;
}

export function textItem(name: string, markdown: string): TextItem {
  return { type: ITEM_TYPE.text, name, content: { json: markdown } };
}

export interface LogsQueryOptions {
  readonly name: string;
  readonly title: string;
  readonly query: string;
  readonly visualization: Visualization;
  /** The workspace(s) the query reads. */
  readonly resources: readonly string[];
  readonly customWidth?: string;
  /** @default 'No data in the selected time range.' */
  readonly noDataMessage?: string;
}

/** A KQL query on the workspace, over the workbook's time range. */
export function logsQueryItem(options: LogsQueryOptions): QueryItem {
  return {
    type: ITEM_TYPE.query,
    name: options.name,
    ...(options.customWidth ? { customWidth: options.customWidth } : {}),
    content: {
      version: 'KqlItem/1.0',
      query: options.query,
      size: 0,
      title: options.title,
      noDataMessage: options.noDataMessage ?? 'No data in the selected time range.',
      timeContextFromParameter: TIME_RANGE_PARAMETER,
      queryType: QUERY_TYPE.logs,
      resourceType: WORKSPACE_RESOURCE_TYPE,
      crossComponentResources: [...options.resources],
      visualization: options.visualization,
    },
  };
}

export interface ResourceGraphQueryOptions {
  readonly name: string;
  readonly title: string;
  readonly query: string;
  readonly visualization: Visualization;
  /** Subscriptions the query reads (`/subscriptions/<guid>`). */
  readonly subscriptions: readonly string[];
  readonly customWidth?: string;
  readonly noDataMessage?: string;
}

/** An Azure Resource Graph query (the workbook's time range does not apply: the query filters by time itself). */
export function resourceGraphQueryItem(options: ResourceGraphQueryOptions): QueryItem {
  return {
    type: ITEM_TYPE.query,
    name: options.name,
    ...(options.customWidth ? { customWidth: options.customWidth } : {}),
    content: {
      version: 'KqlItem/1.0',
      query: options.query,
      size: 0,
      title: options.title,
      noDataMessage: options.noDataMessage ?? 'No data.',
      queryType: QUERY_TYPE.resourceGraph,
      resourceType: RESOURCE_GRAPH_RESOURCE_TYPE,
      crossComponentResources: [...options.subscriptions],
      visualization: options.visualization,
    },
  };
}

/** The time range picker every Logs query item reads (`timeContextFromParameter`). */
export function timeRangeItem(options: { readonly name: string; readonly id: string; readonly defaultMs: number; readonly choicesMs: readonly number[] }): ParametersItem {
  return {
    type: ITEM_TYPE.parameters,
    name: options.name,
    content: {
      version: 'KqlParameterItem/1.0',
      parameters: [{
        id: options.id,
        version: 'KqlParameterItem/1.0',
        name: TIME_RANGE_PARAMETER,
        label: 'Time range',
        type: 4,
        isRequired: true,
        value: { durationMs: options.defaultMs },
        typeSettings: { selectableValues: options.choicesMs.map((durationMs) => ({ durationMs })), allowCustom: true },
      }],
      style: 'pills',
      queryType: QUERY_TYPE.logs,
      resourceType: WORKSPACE_RESOURCE_TYPE,
    },
  };
}

export function notebook(items: readonly NotebookItem[], fallbackResourceIds: readonly string[]): Notebook {
  return { version: NOTEBOOK_VERSION, items: [...items], fallbackResourceIds: [...fallbackResourceIds], isLocked: false, $schema: NOTEBOOK_SCHEMA };
}

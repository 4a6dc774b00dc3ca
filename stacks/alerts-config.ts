/**
 * The per-environment `alerts:` section of the YAML configuration, validated with zod, and its
 * translation into {@link EntraAlertRulesProps}. Zod checks shapes, value sets and ranges here;
 * cross-field rules (routing, look-back, parameter types, KQL) are checked by the construct, which
 * reports them with the same setting names.
 *
 * ```yaml
 * alerts:
 *   enabled: true
 *   actionGroups:
 *     - key: soc
 *       shortName: soc
 *       emailReceivers: [{ name: soc-mail, emailAddress: soc@example.com }]
 *       webhookReceivers: [{ name: soar, serviceUri: https://soar.example.com/hooks/entra }]
 *   disabled: [high-risk-service-principal]
 *   overrides:
 *     brute-force-single-account:
 *       severity: 1
 *       parameters: { failureThreshold: 30 }
 *   customDetections:
 *     - key: risky-app-sign-in
 *       displayName: Sign-in to a sensitive app from outside the office
 *       severity: 2
 *       query: |
 *         SigninLogs | where AppDisplayName == "Payroll" and ResultType == "0"
 * ```
 */
import { z } from 'zod';
import { DETECTION_KEYS, DISABLED_BY_DEFAULT_KEYS } from '../constructs/entra-alert-rules/catalog';
import {
  AGGREGATIONS,
  AlertSeverity,
  DIMENSION_OPERATORS,
  EVALUATION_FREQUENCIES,
  MUTE_DURATIONS,
  OPERATORS,
  WINDOW_DURATIONS,
} from '../constructs/entra-alert-rules/detection';
import type { EntraAlertRulesProps } from '../constructs/entra-alert-rules/entra-alert-rules';
import { GROUPING_LOOKBACKS } from '../constructs/entra-alert-rules/sentinel-rules';
import { closest, show as render } from '../constructs/internal/validation';
import { webhookUrlProblem } from '../constructs/internal/webhook-url';
import { strict } from './config-strict';

/** `z.enum` whose error names the bad value, the allowed values and the closest one. */
function enumOf<T extends readonly [string, ...string[]]>(what: string, values: T) {
  return z.enum(values as unknown as [T[number], ...T[number][]], {
    error: (issue) => {
      const input = issue.input;
      const hint = typeof input === 'string' ? suggestion(input, values) : '';
      return `${what} must be one of ${values.map(render).join(', ')}, got ${render(input)}${hint}`;
    },
  });
}

function suggestion(value: string, candidates: readonly string[]): string {
  const hint = closest(value, candidates);
  return hint && hint !== value ? ` (did you mean ${render(hint)}?)` : '';
}

function intInRange(what: string, min: number, max: number) {
  const message = (input: unknown) => `${what} must be an integer from ${min} to ${max}, got ${render(input)}`;
  return z
    .number({ error: (issue) => message(issue.input) })
    .int({ error: (issue) => message(issue.input) })
    .min(min, { error: (issue) => message(issue.input) })
    .max(max, { error: (issue) => message(issue.input) });
}

const KEY_TEXT = 'lower-case letters and digits in words joined by "-"';
const key = (what: string, max: number) =>
  z
    .string()
    .max(max, { error: (issue) => `${what} must be at most ${max} characters, got ${render(issue.input)}` })
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: (issue) => `${what} must be ${KEY_TEXT}, got ${render(issue.input)}` });

const detectionKey = enumOf('detection key', DETECTION_KEYS as unknown as [string, ...string[]]);
const severity = intInRange('severity', 0, 4).transform((v) => v as AlertSeverity);
const frequency = enumOf('evaluationFrequency', EVALUATION_FREQUENCIES);
const windowDuration = enumOf('windowDuration', WINDOW_DURATIONS);
const operator = enumOf('operator', OPERATORS);
const muteDuration = enumOf('muteActionsAfterAlertDuration', MUTE_DURATIONS);

const failingPeriodsSchema = strict({
  minimumFailingPeriodsToTriggerAlert: intInRange('minimumFailingPeriodsToTriggerAlert', 1, 6).describe('How many of the periods must breach the threshold; at most `numberOfEvaluationPeriods`.'),
  numberOfEvaluationPeriods: intInRange('numberOfEvaluationPeriods', 1, 6).describe('How many recent periods are looked at; `windowDuration` × this is the look-back, at most 48 hours.'),
});

const parameterValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())], {
  error: (issue) => `a parameter value must be a string, a number, true/false or a list of strings, got ${render(issue.input)}`,
});

const overrideSchema = strict({
  severity: severity.optional().describe('Alert severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose. Default: the catalog\'s.'),
  parameters: z.record(z.string(), parameterValue).optional().describe('Values of the detection\'s named query parameters (docs/alerts.md), typed: whole numbers, `true`/`false`, strings, lists of strings, lists of IP addresses or CIDR ranges (`trustedIpRanges`), Kusto timespans such as `6h`; unknown names fail. Default: the catalog\'s.'),
  threshold: z.number().optional().describe('Threshold the aggregated query result is compared with. Default: the catalog\'s.'),
  operator: operator.optional().describe('Operator of the alert condition. Default: the catalog\'s.'),
  evaluationFrequency: frequency.optional().describe('How often the query runs; at most the look-back. Default: the catalog\'s.'),
  windowDuration: windowDuration.optional().describe('How much time each run queries: `PT1M`–`PT6H` when the frequency is `PT1M`, otherwise at least `PT5M`; never shorter than the detection\'s `quietPeriod`. Default: the catalog\'s.'),
  failingPeriods: failingPeriodsSchema.optional().describe('How many of the last evaluation periods must breach the threshold. Default: the catalog\'s (Azure\'s default: 1 of 1).'),
  autoMitigationEnabled: z.boolean().optional().describe('Resolve the alert automatically when the condition clears; exclusive with `muteActionsAfterAlertDuration`. Default: `false`.'),
  muteActionsAfterAlertDuration: muteDuration.optional().describe('Suppress notifications for this long after an alert fires; at least the frequency. Default: no muting.'),
  enabled: z.boolean().optional().describe('`false` keeps the rule but switches it off (`disabled` removes it). Default: `true`.'),
});

const customDetectionSchema = strict({
  key: key('customDetections key', 64).describe('Stable key, not a catalog key: names the rule `<namePrefix>-<key>`.'),
  displayName: z.string().min(1, { error: 'displayName must not be empty' }).describe('Title of the rule, shown in alerts.'),
  description: z.string().optional().describe('Description of the rule. Default: none.'),
  severity: severity.describe('Alert severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose.'),
  query: z.string().min(1, { error: 'query must not be empty' }).describe('The KQL, checked at synth by the Kusto language service against the known table schemas; the tables it reads must be routed to the workspace and not on the Basic plan.'),
  evaluationFrequency: frequency.optional().describe('How often the query runs. Default: `PT15M`.'),
  windowDuration: windowDuration.optional().describe('How much time each run queries. Default: `PT15M`.'),
  aggregation: enumOf('aggregation', AGGREGATIONS).optional().describe('How result rows are aggregated. Default: `Count`.'),
  metricMeasureColumn: z.string().min(1).optional().describe('Numeric result column to aggregate: required if and only if `aggregation` is not `Count`.'),
  operator: operator.optional().describe('Operator of the alert condition. Default: `GreaterThan`.'),
  threshold: z.number().optional().describe('Threshold the aggregated result is compared with. Default: `0`.'),
  dimensions: z
    .array(
      strict({
        name: z.string().min(1).describe('A result column to split the alert by.'),
        operator: enumOf('dimension operator', DIMENSION_OPERATORS).describe('Include or exclude the listed values.'),
        values: z.array(z.string().min(1)).min(1).describe('Values of the column.'),
      }),
    )
    .optional()
    .describe('Split the alert by result columns. Default: none.'),
  failingPeriods: failingPeriodsSchema.optional().describe('How many of the last evaluation periods must breach the threshold. Default: Azure\'s (1 of 1).'),
  autoMitigationEnabled: z.boolean().optional().describe('Resolve the alert automatically when the condition clears; exclusive with `muteActionsAfterAlertDuration`. Default: `false`.'),
  muteActionsAfterAlertDuration: muteDuration.optional().describe('Suppress notifications for this long after an alert fires. Default: no muting.'),
  enabled: z.boolean().optional().describe('`false` deploys the rule switched off. Default: `true`.'),
});

const actionGroupSchema = strict({
  key: key('actionGroups key', 40).describe('Stable key: names the group `<namePrefix>-ag-<key>`; changing it replaces the group.'),
  shortName: z
    .string()
    .min(1, { error: (issue) => `shortName must be 1 to 12 characters, got ${render(issue.input)}` })
    .max(12, { error: (issue) => `shortName must be 1 to 12 characters, got ${render(issue.input)} (${String(issue.input).length} characters)` })
    .describe('Short name shown in notifications.'),
  emailReceivers: z
    .array(
      strict({
        name: z.string().min(1).describe('Receiver name, unique (case-insensitive) among the group\'s receivers.'),
        emailAddress: z.email({ error: (issue) => `emailAddress must be an email address, got ${render(issue.input)}` }).describe('Where the notification goes.'),
      }),
    )
    .default([])
    .describe('Email receivers, with the common alert schema.'),
  webhookReceivers: z
    .array(
      strict({
        name: z.string().min(1).describe('Receiver name, unique (case-insensitive) among the group\'s receivers.'),
        serviceUri: z
          .string()
          .superRefine((uri, ctx) => {
            const expected = webhookUrlProblem(uri);
            if (expected) ctx.addIssue({ code: 'custom', input: uri, message: `serviceUri must be ${expected}, got ${render(uri)}` });
          })
          .describe('https URL the alert is posted to, without a user name or password in it (use aadAuth to authenticate).'),
        aadAuth: strict({
          objectId: z.string().min(1).describe('Object id of the Entra app registration that protects the webhook.'),
          identifierUri: z.string().min(1).optional().describe('Identifier URI of that app. Default: the app\'s own.'),
          tenantId: z.string().min(1).optional().describe('Tenant of that app. Default: the action group\'s tenant.'),
        })
          .optional()
          .describe('Entra ID authentication of the webhook call (secure webhook). Default: none.'),
      }),
    )
    .default([])
    .describe('Webhook receivers, with the common alert schema.'),
});

/**
 * Detections off unless the environment lists its own `disabled` (e.g. `disabled: []`): the catalog
 * entries with a `disabledByDefault` reason. Each reads a table the baseline routing does not fill,
 * or needs a licence many tenants lack: AADRiskyUsers (RiskyUsers, Entra ID P2),
 * AADRiskyServicePrincipals (RiskyServicePrincipals, Workload ID Premium), AzureActivity (the
 * subscription Activity Log), ADFSSignInLogs (AD FS with Connect Health), Privileged Identity
 * Management (Entra ID P2). Once enabled, a detection whose table is not routed fails synth,
 * naming the category to route.
 */
export const DISABLED_BY_DEFAULT: readonly string[] = DISABLED_BY_DEFAULT_KEYS;

const sentinelSchema = strict({
  enabled: z.boolean().default(false).describe('Also deploy every enabled detection as a Microsoft Sentinel scheduled analytics rule on the workspace (`azurerm_sentinel_alert_rule_scheduled`, with MITRE tactics and techniques, account/IP/application entity mappings and incident grouping). Default: `false`.'),
  onboardWorkspace: z.boolean().default(true).describe('Onboard the workspace to Microsoft Sentinel (`azurerm_sentinel_log_analytics_workspace_onboarding`); `false` when it is already onboarded, since onboarding twice fails. Default: `true`.'),
  createIncidents: z.boolean().default(true).describe('Create incidents from the rules\' alerts. Default: `true`.'),
  incidentGrouping: strict({
    enabled: z.boolean().default(true).describe('Group a rule\'s alerts into incidents. Default: `true`.'),
    lookbackDuration: enumOf('lookbackDuration', GROUPING_LOOKBACKS).default('PT5H').describe('Alerts within this time of an incident\'s first alert join it. Default: `PT5H`.'),
    matchingMethod: enumOf('matchingMethod', ['AllEntities', 'AnyAlert'] as const).default('AllEntities').describe('`AllEntities`: alerts with the same account, IP and application share an incident; `AnyAlert`: all of a rule\'s alerts within the look-back do. Default: `AllEntities`.'),
    reopenClosedIncidents: z.boolean().default(false).describe('Re-open a closed incident when a matching alert arrives. Default: `false`.'),
  })
    .default({ enabled: true, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities', reopenClosedIncidents: false })
    .describe('How Sentinel groups each rule\'s alerts into incidents.'),
});

/** The `alerts:` section of one environment. */
export const alertsConfigSchema = strict({
  /** Deploy the alert rules and action groups at all. */
  enabled: z.boolean().default(true).describe('`false`: no alert rules and no action groups in this environment.'),
  /** Action groups created for this environment and attached to every rule. */
  actionGroups: z.array(actionGroupSchema).default([]).describe('Action groups created for this environment and attached to every rule. Without any, the rules still fire and show in the Azure portal.'),
  /** ARM ids of existing action groups to attach as well. */
  existingActionGroupIds: z.array(z.string()).default([]).describe('ARM ids of action groups managed elsewhere, attached to every rule as well.'),
  /** Catalog keys of detections not to deploy. */
  disabled: z.array(detectionKey).default([...DISABLED_BY_DEFAULT]).describe(`Catalog keys of detections not to deploy. The default holds the ${DISABLED_BY_DEFAULT_KEYS.length} that read opt-in data or need a licence many tenants lack (${DISABLED_BY_DEFAULT_KEYS.join(', ')}); a list of your own (even \`[]\`) replaces it, and an enabled detection whose table is not routed fails synth, naming the category to route.`),
  /** Per-detection changes, by catalog key. */
  overrides: z
    .record(z.string(), overrideSchema)
    .superRefine((overrides, ctx) => {
      for (const name of Object.keys(overrides)) {
        if (DETECTION_KEYS.includes(name)) continue;
        ctx.addIssue({
          code: 'custom',
          path: [name],
          input: name,
          message: `overrides key must be a catalog detection key, got ${render(name)}${suggestion(name, DETECTION_KEYS)}; expected one of ${DETECTION_KEYS.map(render).join(', ')}`,
        });
      }
    })
    .default({})
    .describe('Per-detection changes, by catalog key; unset fields keep the catalog\'s values. Default: none.'),
  /** Detections with their own KQL, written inline. */
  customDetections: z.array(customDetectionSchema).default([]).describe('Detections with their own KQL, written inline. Default: none.'),
  /** Microsoft Sentinel as a target. */
  sentinel: sentinelSchema.optional().describe('Microsoft Sentinel as a target of the same detections (docs/alerts.md, "Microsoft Sentinel"). Sentinel runs a rule at most every 5 minutes and counts result rows, so overrides must keep `evaluationFrequency` at PT5M or more. Default: off.'),
  /** Deploy the Azure Monitor rules. */
  azureMonitorRules: z.boolean().default(true).describe('Deploy the Azure Monitor scheduled query rules; `false` with `sentinel.enabled: true` makes Sentinel the only target (then no action groups). Default: `true`.'),
});

/** The parsed `alerts:` section (defaults applied). */
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
/** The `alerts:` section as written in YAML (defaults not yet applied). */
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;

/** What the stack knows about its workspace and routing (documented on EntraAlertRulesProps). */
export type AlertRulesCommonProps = Pick<
  EntraAlertRulesProps,
  'workspaceResourceId' | 'resourceGroupName' | 'location' | 'namePrefix' | 'routedTables' | 'basicPlanTables' | 'tags'
>;

/**
 * Props of `EntraAlertRules` for one environment: a pure translation of the parsed section plus
 * what the stack knows. Whether to create the construct at all is `config.enabled`.
 */
export function alertRulesPropsFromConfig(config: AlertsConfig, common: AlertRulesCommonProps): EntraAlertRulesProps {
  return {
    workspaceResourceId: common.workspaceResourceId,
    resourceGroupName: common.resourceGroupName,
    location: common.location,
    namePrefix: common.namePrefix,
    routedTables: [...common.routedTables],
    basicPlanTables: common.basicPlanTables ? [...common.basicPlanTables] : undefined,
    actionGroups: config.actionGroups.map((g) => ({
      key: g.key,
      shortName: g.shortName,
      emailReceivers: g.emailReceivers,
      webhookReceivers: g.webhookReceivers,
    })),
    existingActionGroupIds: config.existingActionGroupIds,
    disabled: config.disabled,
    overrides: config.overrides,
    customDetections: config.customDetections,
    sentinel: config.sentinel?.enabled
      ? {
          onboardWorkspace: config.sentinel.onboardWorkspace,
          createIncidents: config.sentinel.createIncidents,
          incidentGrouping: { ...config.sentinel.incidentGrouping },
        }
      : undefined,
    azureMonitorRules: config.azureMonitorRules,
    tags: common.tags ? { ...common.tags } : undefined,
  };
}

/** Settings of the `alerts:` section an `EntraAlertRules` problem can start with (its props mirror the section's keys). */
const SECTION_SETTING = /^(?:existingActionGroupIds|actionGroups|overrides|disabled|customDetections|sentinel|azureMonitorRules)(?:\[\d+\]|\.[A-Za-z0-9_-]+)*/;

/**
 * The setting of the `alerts:` section a problem of `EntraAlertRules` is about, relative to the
 * section (`overrides.mfa-fatigue.severity`, `customDetections[2].query`), read from the start of its
 * `what` (the construct names the prop first); `''` for the section as a whole.
 */
export function alertProblemSetting(what: string, config: Pick<AlertsConfig, 'customDetections'>): string {
  const custom = /^custom detection (\S+) /.exec(what);
  if (custom) {
    const index = config.customDetections.findIndex((c) => c.key === custom[1]);
    return index >= 0 ? `customDetections[${index}].query` : 'customDetections';
  }
  return SECTION_SETTING.exec(what)?.[0] ?? '';
}

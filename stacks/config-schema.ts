/**
 * The shape of the configuration file (`stacks/environments.yaml`), as zod schemas.
 *
 * Only shape lives here: types, required settings, unknown keys (always an error, with a
 * "did you mean"), and fixed vocabularies taken from the constructs. Azure's ranges and name rules
 * are checked by the constructs' own validators (see `config.ts`), so each rule exists once.
 */
import { z } from 'zod';
import { EVENT_HUB_SKUS } from '../constructs/event-hub-destination';
import { EVENT_HUB_LIMITS } from '../constructs/event-hub-destination';
import { LOG_ANALYTICS_SKUS, TABLE_PLANS } from '../constructs/log-analytics-destination';
import { LONG_TERM_RETENTION_DAYS, RESERVATION_CAPACITIES } from '../constructs/log-analytics-destination';
import { BASELINE_CATEGORIES } from '../constructs/internal/log-categories';
import { STORAGE_REPLICATION_TYPES } from '../constructs/storage-archive-destination';
import { DESTINATION_KINDS } from '../constructs/entra-diagnostic-settings';
import { MIN_SUPPRESSION_REASON_CHARS, MAX_SUPPRESSION_REASON_CHARS } from '../constructs/compliance/entra-compliance';
import { NIST_DEFAULT_RETENTION_IN_DAYS, PROFILE_IDS } from '../constructs/compliance/packs';
import { RULE_IDS } from '../constructs/compliance/rules';
import { oneOfText } from '../constructs/internal/validation';
import { WORKBOOK_TIME_RANGES } from '../constructs/audit-workbook/audit-workbook';
import { WORKBOOK_SECTION_KEYS } from '../constructs/audit-workbook/sections';
import { alertsConfigSchema } from './alerts-config';
import { strict } from './config-strict';

/** A discriminated union on `type` whose error lists the allowed types, with a did-you-mean. */
function tagged<T extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(types: readonly string[], options: T) {
  return z.discriminatedUnion('type', options, {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input as { type?: unknown } | undefined;
      return `a "type" of ${oneOfText(input?.type, types)}`;
    },
  });
}

const nonEmpty = z.string().min(1, 'a non-empty string');
const stringList = z.array(nonEmpty);
/** A string that YAML may have read as a number (an unquoted id such as 1234): kept as text so the GUID check can name it. */
const idString = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string());
const tags = z.record(z.string(), z.string());

const tableRetention = strict({
  retentionInDays: z.number().optional().describe('Interactive (analytics) retention of the table, in days. Not allowed with `plan: Basic`. Allowed: 4–730. Default: `tableDefaults.retentionInDays`, else the workspace `retentionInDays`.'),
  totalRetentionInDays: z.number().optional().describe(`Total retention (interactive plus long-term), in days, up to 12 years; never less than \`retentionInDays\`. Allowed: 4–730, or ${LONG_TERM_RETENTION_DAYS.join(', ')}. Default: \`tableDefaults.totalRetentionInDays\`, else equal to the interactive retention.`),
  plan: z.enum(TABLE_PLANS).optional().describe('Table plan. `Basic` only where Azure allows it for the table, and log alerts cannot read Basic tables. Default: `Analytics`.'),
});

const protection = strict({
  lock: z.boolean().optional().describe('`CanNotDelete` management locks on the workspace, namespace and storage account. Default: the value of `production`.'),
  preventDestroy: z.boolean().optional().describe('`lifecycle.prevent_destroy` on the workspace, namespace and storage account. Default: the value of `production`.'),
  lockSuspension: strict({
    reason: nonEmpty.describe('Why the locks are off, at least 10 characters; shown by synth while the suspension lasts.'),
  })
    .optional()
    .describe('Takes the delete locks off for one change that deletes or replaces something under them (a container, a hub, a lifecycle policy): the next apply removes the locks first, then makes the change. Remove the setting afterwards and apply again. Synth warns while it is set. Default: not suspended.'),
});

const logAnalytics = strict({
  enabled: z.boolean().optional().describe('`false` removes the Log Analytics destination (and the alert rules, which query it). Default: `true`.'),
  existingWorkspaceId: nonEmpty.optional().describe('ARM id of an existing workspace to route to instead of creating one. Its own retention, SKU and daily cap are left alone; the retention of the routed tables is still managed. Default: a new workspace is created.'),
  name: nonEmpty.optional().describe('Name of the new workspace. Allowed: 4–63 letters, digits and hyphens, starting and ending with a letter or digit. Default: `log-entra-audit-<tenant>-<environment>`.'),
  sku: z.enum(LOG_ANALYTICS_SKUS).optional().describe('Pricing tier of the new workspace (`Standard` and `Premium` are refused by the API for new workspaces). Default: `PerGB2018`.'),
  reservationCapacityInGbPerDay: z.number().optional().describe(`GB per day reserved; required with, and only allowed with, \`sku: CapacityReservation\`. Allowed: ${RESERVATION_CAPACITIES.join(', ')}.`),
  retentionInDays: z.number().optional().describe('Interactive retention of the workspace, in days. Allowed: 30–730. Default: `90`.'),
  dailyQuotaGb: z.number().optional().describe('Daily ingestion cap in GB. A cap silently drops audit data once reached, so none is set. Allowed: -1 (no cap) or a positive number. Default: `-1`.'),
  localAuthenticationEnabled: z.boolean().optional().describe('Allow workspace-key (shared key) access; diagnostic settings do not use workspace keys. Default: `false`.'),
  activationWaitInSeconds: z.number().optional().describe('Seconds to wait after creating a new workspace before its tables and alert rules are created: a new workspace answers 404 "Workspace not active" for a while. Runs once, when the workspace is created or replaced. Allowed: 0 (no wait) to 900. Default: `120`.'),
  tableDefaults: tableRetention.optional().describe('Retention for every routed Entra table that sets none in `tables`. Default: the workspace retention, total retention equal to it.'),
  tables: z.record(z.string(), tableRetention).optional().describe('Per-table retention, by table name (`SigninLogs`, not the category `SignInLogs`); only tables this environment routes to Log Analytics. Every routed table is managed, with `tableDefaults` where it has no entry here. Default: none.'),
});

const networkRules = strict({
  ipRules: stringList.optional().describe('Public IPv4 addresses or CIDR ranges allowed in, e.g. the SIEM\'s egress. Default: none (only trusted Microsoft services, which the Entra export needs, get in).'),
  subnetIds: stringList.optional().describe('ARM ids of subnets allowed in through service endpoints. Default: none.'),
});

const eventHub = strict({
  enabled: z.boolean().optional().describe('`false` removes the Event Hub destination. Default: `true`.'),
  existingNamespaceId: nonEmpty.optional().describe('ARM id of an existing Event Hubs namespace to create the hub in. Default: a new namespace is created.'),
  namespaceName: nonEmpty.optional().describe('Name of the new namespace (globally unique). Allowed: 6–50 letters, digits and hyphens, starting with a letter, ending with a letter or digit, not ending in `-sb` or `-mgmt`. Default: `evhns-entra-<tenant>-<environment>-<hash>`.'),
  sku: z.enum(EVENT_HUB_SKUS).optional().describe('Namespace tier. Basic is not offered: it has no consumer group besides `$Default`. Default: `Standard`.'),
  capacity: z.number().optional().describe(`Throughput units (Standard) or processing units (Premium). Allowed: Standard 1–40, Premium ${EVENT_HUB_LIMITS.Premium.capacities.join(', ')}. Default: \`1\`.`),
  autoInflateMaximumThroughputUnits: z.number().optional().describe('Upper limit of auto-inflate; Standard only. Allowed: `capacity`–40. Default: auto-inflate off.'),
  hubName: nonEmpty.optional().describe('The hub that receives every Entra category. Allowed: 1–50 letters, digits, `.`, `-`, `_`, starting and ending with a letter or digit. Default: `entra-audit-logs`.'),
  partitionCount: z.number().optional().describe(`Partitions of the hub; fixed after creation on Standard. Allowed: Standard 1–${EVENT_HUB_LIMITS.Standard.maxPartitions}, Premium 1–${EVENT_HUB_LIMITS.Premium.maxPartitions}. Default: \`4\`.`),
  messageRetentionInDays: z.number().optional().describe(`Days messages are kept. Allowed: Standard 1–${EVENT_HUB_LIMITS.Standard.maxRetentionDays}, Premium 1–${EVENT_HUB_LIMITS.Premium.maxRetentionDays}. Default: \`7\`.`),
  consumerGroupName: nonEmpty.optional().describe('Consumer group the SIEM reads with (not `$Default`). Default: `siem`.'),
  networkRules: networkRules.optional().describe('Who may reach the namespace: default-deny, trusted Microsoft services allowed. Default: no IP or subnet allowed.'),
});

const storage = strict({
  enabled: z.boolean().optional().describe('`false` removes the Storage archive destination. Default: `true`.'),
  existingAccountId: nonEmpty.optional().describe('ARM id of an existing StorageV2 account to archive to. Default: a new, hardened account is created.'),
  accountName: nonEmpty.optional().describe('Name of the new account (globally unique). Allowed: 3–24 lowercase letters and digits. Default: `st<tenant><environment><hash>`.'),
  replicationType: z.enum(STORAGE_REPLICATION_TYPES).optional().describe('Replication of the new account. Default: `GZRS`.'),
  retentionInDays: z.number().optional().describe('Days after their last modification that archived log blobs, their versions and snapshots are deleted by the lifecycle policy; at least `immutability.periodInDays`. Allowed: 1–99999. Default: `365`.'),
  manageLifecyclePolicy: z.boolean().optional().describe('Manage the account\'s lifecycle policy. An account has one policy, so turn this off on an existing account whose policy is managed elsewhere. Default: `true`.'),
  immutability: strict({
    periodInDays: z.number().describe('Days each blob stays immutable (time-based retention with protected append writes on each `insights-logs-*` container). Allowed: 1–146000.'),
    locked: z.boolean().optional().describe('Lock the policy. Locking is irreversible: the period can then only be extended, and the container and account cannot be deleted. Default: `false`.'),
  }).optional().describe('Time-based immutability (WORM) on each archive container. Default: none.'),
  softDeleteRetentionInDays: z.number().optional().describe('Days deleted blobs and containers stay recoverable. Allowed: 1–365. Default: `30`.'),
  sharedAccessKeyEnabled: z.boolean().optional().describe('Allow shared-key access to the account. Off, since the export is not documented to need it; turn it on if the export fails (see docs/decisions.md). Default: `false`.'),
  networkRules: networkRules.optional().describe('Who may reach the account: default-deny, trusted Microsoft services allowed. Default: no IP or subnet allowed.'),
});

const federatedCredential = strict({
  name: nonEmpty.describe('Display name of the credential, unique in the app. Allowed: 1–120 letters, digits, `-`, `_`.'),
  issuer: nonEmpty.optional().describe('Token issuer, an https:// URL of at most 600 characters. Default: `https://token.actions.githubusercontent.com`.'),
  subject: nonEmpty.describe('Exact subject, case-sensitive, no wildcards, e.g. `repo:<org>/<repo>:environment:<env>`, `repo:<org>/<repo>:ref:refs/heads/<branch>`, `repo:<org>/<repo>:ref:refs/tags/<tag>` or `repo:<org>/<repo>:pull_request` for GitHub. Allowed: 1–600 characters.'),
  audiences: stringList.optional().describe('Exactly one audience. Default: `[api://AzureADTokenExchange]`.'),
});

const readerCredential = tagged(['none', 'federated', 'secret'], [
  strict({ type: z.literal('none').describe('No credential: the app and its consent only (e.g. when the SIEM brings its own certificate).') }),
  strict({
    type: z.literal('federated').describe('Workload identity federation: no secret exists (recommended).'),
    federated: z.array(federatedCredential).describe('The trusted token subjects. Allowed: 1–20 entries (Entra allows at most 20 per app).'),
  }),
  strict({
    type: z.literal('secret').describe('A client secret (`azuread_application_password`) with an explicit end date, renewed by `time_rotating`; its value is in Terraform state.'),
    lifetimeInDays: z.number().optional().describe('Days each secret is valid. Secrets live in two slots renewed half a lifetime apart, so a new secret is issued every `lifetimeInDays / 2` days while the previous one stays valid that long. Allowed: an even number, 2–`maxLifetimeInDays`. Default: `180`.'),
    maxLifetimeInDays: z.number().optional().describe('Upper bound for `lifetimeInDays`, e.g. the tenant\'s app-management policy. Allowed: 2–3650. Default: `365`.'),
    rotateAfterDays: z.number().optional().describe('Retired: secrets now rotate in two overlapping slots (see `lifetimeInDays`); setting it is an error that says so.'),
    keyVaultId: nonEmpty.optional().describe('ARM id of a Key Vault to write the secret to, with its expiry date, so consumers read the current value there. Default: the secret is only in Terraform state.'),
  }),
]);

const readerApp = strict({
  enabled: z.boolean().optional().describe('`false`: no reader app. Default: `true`.'),
  displayName: nonEmpty.optional().describe('Display name of the app registration. Allowed: 1–120 characters. Default: `Entra audit reader (<tenant>-<environment>)`.'),
  credential: readerCredential.optional().describe('How the SIEM signs in as the app, chosen by `type`. Default: `{ type: none }`.'),
  additionalGraphPermissions: stringList.optional().describe('Microsoft Graph application permissions beyond AuditLog.Read.All and Directory.Read.All, by name (e.g. `SecurityEvents.Read.All`), each granted with admin consent; ids are looked up on the Graph service principal at plan time. Default: none.'),
  keyVaultSecretName: nonEmpty.optional().describe('Name of the Key Vault secret, with `credential.type: secret` and a `keyVaultId`. Allowed: 1–127 letters, digits, hyphens. Default: `entra-audit-reader-secret`.'),
});

const backend = tagged(['local', 'azurerm'], [
  strict({
    type: z.literal('local').describe('A state file on the machine that runs Terraform: for trying things out, never for CI (the runner loses it).'),
    path: nonEmpty.optional().describe('Path of the state file. Default: `terraform.<tenant>-<environment>.tfstate`.'),
  }),
  strict({
    type: z.literal('azurerm').describe('State in an Azure Storage blob, locked during plans and applies.'),
    resourceGroupName: nonEmpty.describe('Resource group of the state storage account.'),
    storageAccountName: nonEmpty.describe('Storage account holding the state. Allowed: 3–24 lowercase letters and digits.'),
    containerName: nonEmpty.describe('Blob container holding the state. Allowed: 3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.'),
    key: nonEmpty.optional().describe('Blob name of the state. Default: `entra-audit/<tenant>-<environment>.tfstate`.'),
    subscriptionId: nonEmpty.optional().describe('Subscription of the state account. Allowed: a GUID. Default: the environment\'s `subscriptionId`.'),
    useAzureadAuth: z.boolean().optional().describe('Use Entra ID instead of account keys for the state blob; needs Storage Blob Data Owner or Contributor on the state container (without it the backend lists the account keys). Default: `true`.'),
    useOidc: z.boolean().optional().describe('Sign in with OpenID Connect (e.g. GitHub Actions); `ARM_USE_OIDC=true` does the same. Default: unset.'),
  }),
]);

const canary = strict({
  enabled: z.boolean().optional().describe('Create the canary application and its writer app. Default: `false`.'),
  canaryDisplayName: nonEmpty.optional().describe('Display name of the canary application. Allowed: 1–120 characters. Default: `entra-audit-canary`.'),
  writerDisplayName: nonEmpty.optional().describe('Display name of the writer application (holds Application.ReadWrite.OwnedBy); must differ from `canaryDisplayName`. Allowed: 1–120 characters. Default: `entra-audit-canary-writer`.'),
  additionalOwnerObjectIds: stringList.optional().describe('Object ids of further owners (users or service principals) of both apps, e.g. the identity that runs `npm run verify -- --canary`. Default: none.'),
  federatedCredential: strict({
    issuer: nonEmpty.describe('Token issuer, an https:// URL of at most 600 characters, e.g. `https://token.actions.githubusercontent.com`.'),
    subject: nonEmpty.describe('Exact subject, no spaces or wildcards, e.g. `repo:<org>/<repo>:environment:<stack>`. Allowed: 1–600 characters.'),
    audiences: stringList.optional().describe('Exactly one audience. Default: `[api://AzureADTokenExchange]`.'),
    name: nonEmpty.optional().describe('Display name of the credential. Default: `verify-canary`.'),
  }).optional().describe('Lets a CI job sign in as the writer without a secret. Default: none.'),
});

const dashboards = strict({
  workbook: strict({
    enabled: z.boolean().optional().describe('`false` removes the Azure Monitor workbook on the workspace. It is created only with Log Analytics, and only when a category it reads is routed there (docs/dashboards.md). Default: `true`.'),
    displayName: nonEmpty.optional().describe('Title of the workbook in the portal; unique per resource group and workspace. Default: `Entra ID audit (<tenant>-<environment>)`.'),
    disabledSections: z.array(z.enum(WORKBOOK_SECTION_KEYS)).optional().describe('Sections to leave out. Sections whose tables are not routed to the workspace are left out anyway. Default: none.'),
    defaultTimeRange: z.enum(Object.keys(WORKBOOK_TIME_RANGES) as [keyof typeof WORKBOOK_TIME_RANGES, ...(keyof typeof WORKBOOK_TIME_RANGES)[]]).optional().describe('Time range the workbook opens with (ISO-8601). Default: `P7D`.'),
  }).optional().describe('An Azure Monitor workbook with sign-in, privileged-action, risk, pipeline-health and fired-alert sections. Default: enabled with Log Analytics.'),
});

const compliance = strict({
  profiles: z
    .array(z.enum(PROFILE_IDS))
    .optional()
    .describe(`Compliance profiles whose rules this environment must meet: a violation fails synth, naming the rule, the setting, the construct and what to change (docs/compliance.md). Allowed: each once. Default: none (nothing is enforced; the coverage report is still written).`),
  suppressions: z
    .array(
      strict({
        rule: nonEmpty.describe(`Id of a rule of a selected profile. Allowed: ${RULE_IDS[0]}–${RULE_IDS[RULE_IDS.length - 1]}, each once.`),
        reason: z.string().describe(`Why the rule does not apply here, recorded in the synthesized metadata and the coverage report. Allowed: ${MIN_SUPPRESSION_REASON_CHARS}–${MAX_SUPPRESSION_REASON_CHARS} characters.`),
      }),
    )
    .optional()
    .describe('Rules of the selected profiles this environment does not have to meet, each with a written reason. Default: none.'),
  nist80053: strict({
    retentionInDays: z.number().optional().describe(`Days every routed category must be kept (AU-11 leaves the period to the organization). Allowed: 1–36500. Default: \`${NIST_DEFAULT_RETENTION_IN_DAYS}\`.`),
  })
    .optional()
    .describe('Figures NIST SP 800-53 leaves to the organization; only with `nist-800-53` in `profiles`. Default: the defaults below.'),
});

export const environmentSchema = strict({
  // GUID and region are checked in config.ts with the other Azure rules, so that they are reported together.
  subscriptionId: idString.describe('Subscription of the destinations (the azurerm provider\'s `subscription_id`). Allowed: a GUID.'),
  location: idString.describe('Azure region of the destinations, as a region name (`westeurope`, not `West Europe`), checked against `constructs/internal/azure-regions.ts`.'),
  production: z.boolean().optional().describe('A production environment: turns `protection` on (delete locks and `prevent_destroy`). Default: `false`.'),
  resourceGroupName: nonEmpty.optional().describe('Resource group of the new destinations. Allowed: 1–90 letters, digits, `-`, `_`, `.`, `(`, `)`, not ending with `.`. Default: `rg-entra-audit-<tenant>-<environment>`.'),
  createResourceGroup: z.boolean().optional().describe('Create the resource group; `false` uses an existing one of that name. Default: `true`.'),
  diagnosticSettingName: nonEmpty.optional().describe('Base name of the Entra diagnostic settings. Categories with the same destinations share one setting, named with the destination codes appended (`-law`, `-evh`, `-st`). Settings are tenant-wide: at most 5 per tenant across its environments, with unique names. Default: `entra-audit-<tenant>-<environment>`.'),
  routing: z.record(z.string(), z.array(z.enum(DESTINATION_KINDS))).optional().describe(`Log category → destinations. Category names are exact and case-sensitive (\`SignInLogs\`; see docs/configuration.md, "Log categories"). Default: the ${BASELINE_CATEGORIES.length} baseline categories (${BASELINE_CATEGORIES.join(', ')}) to every enabled destination.`),
  additionalCategories: stringList.optional().describe('Routed categories newer than the built-in list: passed through unchecked, and no workspace table is managed for them. Default: none.'),
  logAnalytics: logAnalytics.optional().describe('The Log Analytics destination. Default: enabled, a new workspace.'),
  eventHub: eventHub.optional().describe('The Event Hub destination a SIEM reads. Default: enabled, a new namespace.'),
  storage: storage.optional().describe('The Storage archive destination. Default: enabled, a new account.'),
  readerApp: readerApp.optional().describe('The app a SIEM uses to read the audit API through Microsoft Graph (AuditLog.Read.All and Directory.Read.All with admin consent). Default: enabled, no credential.'),
  protection: protection.optional().describe('Protection of the workspace, namespace and storage account against deletion. Default: both on when `production` is true.'),
  backend: backend.optional().describe('Where Terraform keeps the state of this stack, chosen by `type`. Default: `{ type: local }`.'),
  tags: tags.optional().describe('Tags for every Azure resource, besides `managed-by: entra-audit-logging` and `entra-audit-stack: <tenant>-<environment>` (a tag of the same name replaces those). Default: none.'),
  alerts: alertsConfigSchema.optional().describe('Scheduled KQL alert rules and action groups on the workspace (docs/alerts.md). Default: enabled when Log Analytics is, with the catalog defaults.'),
  canary: canary.optional().describe('The canary application for `npm run verify -- --canary` (docs/verification.md). Default: disabled.'),
  dashboards: dashboards.optional().describe('Dashboards for audit teams on the workspace (docs/dashboards.md). Default: the workbook, when Log Analytics is enabled.'),
  compliance: compliance.optional().describe('Compliance profiles checked at synth, and suppressions with their reasons (docs/compliance.md). Default: no profile.'),
});

/** The file's top level; environments are parsed one by one so that every problem is found in one run. */
export const fileSchema = strict({
  tenants: z.record(
    z.string(),
    strict({
      tenantId: idString, // checked in config.ts, so that a bad tenant id does not hide its environments' problems
      displayName: nonEmpty.optional(),
      environments: z.record(z.string(), z.unknown()),
    }),
  ),
});

export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type FileConfig = z.infer<typeof fileSchema>;

/**
 * JSON Schema of the whole file, for editors (YAML language server: completion and checks as you
 * type). Generated from the zod schemas by `npm run config:schema`; Azure's ranges are not in it —
 * synth checks those.
 */
export function configJsonSchema(): Record<string, unknown> {
  const editorSchema = strict({
    tenants: z.record(
      z.string(),
      strict({
        tenantId: z.string().describe('Entra tenant (directory) id. Allowed: a GUID.'),
        displayName: nonEmpty.optional().describe('Free text, for people. Default: none.'),
        environments: z.record(z.string(), environmentSchema).describe('One stack per environment, id `<tenant>-<environment>`. Allowed: keys of 2–10 lowercase letters and digits, starting with a letter; at least one.'),
      }),
    ).describe('One entry per Entra tenant. Allowed: keys of 2–16 lowercase letters and digits, starting with a letter (the key names stacks and resources); at least one.'),
  });
  return {
    ...z.toJSONSchema(editorSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Entra ID audit logging configuration (stacks/environments.yaml)',
  };
}

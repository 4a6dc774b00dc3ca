/**
 * The shape of the configuration file (`stacks/environments.yaml`), as zod schemas.
 *
 * Only shape lives here: types, required settings, unknown keys (always an error, with a
 * "did you mean"), and fixed vocabularies taken from the constructs. Azure's ranges and name rules
 * are checked by the constructs' own validators (see `config.ts`), so each rule exists once.
 */
import { z } from 'zod';
import { EVENT_HUB_SKUS } from '../constructs/event-hub-destination';
import { LOG_ANALYTICS_SKUS, TABLE_PLANS } from '../constructs/log-analytics-destination';
import { STORAGE_REPLICATION_TYPES } from '../constructs/storage-archive-destination';
import { DESTINATION_KINDS } from '../constructs/entra-diagnostic-settings';
import { oneOfText } from '../constructs/internal/validation';
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
  retentionInDays: z.number().optional(),
  totalRetentionInDays: z.number().optional(),
  plan: z.enum(TABLE_PLANS).optional(),
});

const protection = strict({
  lock: z.boolean().optional(),
  preventDestroy: z.boolean().optional(),
});

const logAnalytics = strict({
  enabled: z.boolean().optional(),
  existingWorkspaceId: nonEmpty.optional(),
  name: nonEmpty.optional(),
  sku: z.enum(LOG_ANALYTICS_SKUS).optional(),
  reservationCapacityInGbPerDay: z.number().optional(),
  retentionInDays: z.number().optional(),
  dailyQuotaGb: z.number().optional(),
  localAuthenticationEnabled: z.boolean().optional(),
  activationWaitInSeconds: z.number().optional(),
  tableDefaults: tableRetention.optional(),
  tables: z.record(z.string(), tableRetention).optional(),
});

const networkRules = strict({
  ipRules: stringList.optional(),
  subnetIds: stringList.optional(),
});

const eventHub = strict({
  enabled: z.boolean().optional(),
  existingNamespaceId: nonEmpty.optional(),
  namespaceName: nonEmpty.optional(),
  sku: z.enum(EVENT_HUB_SKUS).optional(),
  capacity: z.number().optional(),
  autoInflateMaximumThroughputUnits: z.number().optional(),
  hubName: nonEmpty.optional(),
  partitionCount: z.number().optional(),
  messageRetentionInDays: z.number().optional(),
  consumerGroupName: nonEmpty.optional(),
  networkRules: networkRules.optional(),
});

const storage = strict({
  enabled: z.boolean().optional(),
  existingAccountId: nonEmpty.optional(),
  accountName: nonEmpty.optional(),
  replicationType: z.enum(STORAGE_REPLICATION_TYPES).optional(),
  retentionInDays: z.number().optional(),
  manageLifecyclePolicy: z.boolean().optional(),
  immutability: strict({ periodInDays: z.number(), locked: z.boolean().optional() }).optional(),
  softDeleteRetentionInDays: z.number().optional(),
  sharedAccessKeyEnabled: z.boolean().optional(),
  networkRules: networkRules.optional(),
});

const federatedCredential = strict({
  name: nonEmpty,
  issuer: nonEmpty.optional(),
  subject: nonEmpty,
  audiences: stringList.optional(),
});

const readerCredential = tagged(['none', 'federated', 'secret'], [
  strict({ type: z.literal('none') }),
  strict({ type: z.literal('federated'), federated: z.array(federatedCredential) }),
  strict({
    type: z.literal('secret'),
    lifetimeInDays: z.number().optional(),
    maxLifetimeInDays: z.number().optional(),
    rotateAfterDays: z.number().optional(),
    keyVaultId: nonEmpty.optional(),
  }),
]);

const readerApp = strict({
  enabled: z.boolean().optional(),
  displayName: nonEmpty.optional(),
  credential: readerCredential.optional(),
  additionalGraphPermissions: stringList.optional(),
  keyVaultSecretName: nonEmpty.optional(),
});

const backend = tagged(['local', 'azurerm'], [
  strict({ type: z.literal('local'), path: nonEmpty.optional() }),
  strict({
    type: z.literal('azurerm'),
    resourceGroupName: nonEmpty,
    storageAccountName: nonEmpty,
    containerName: nonEmpty,
    key: nonEmpty.optional(),
    subscriptionId: nonEmpty.optional(),
    useAzureadAuth: z.boolean().optional(),
    useOidc: z.boolean().optional(),
  }),
]);

const canary = strict({
  enabled: z.boolean().optional(),
  canaryDisplayName: nonEmpty.optional(),
  writerDisplayName: nonEmpty.optional(),
  additionalOwnerObjectIds: stringList.optional(),
  federatedCredential: strict({ issuer: nonEmpty, subject: nonEmpty, audiences: stringList.optional(), name: nonEmpty.optional() }).optional(),
});

export const environmentSchema = strict({
  // GUID and region are checked in config.ts with the other Azure rules, so that they are reported together.
  subscriptionId: idString,
  location: idString,
  production: z.boolean().optional(),
  resourceGroupName: nonEmpty.optional(),
  createResourceGroup: z.boolean().optional(),
  diagnosticSettingName: nonEmpty.optional(),
  routing: z.record(z.string(), z.array(z.enum(DESTINATION_KINDS))).optional(),
  additionalCategories: stringList.optional(),
  logAnalytics: logAnalytics.optional(),
  eventHub: eventHub.optional(),
  storage: storage.optional(),
  readerApp: readerApp.optional(),
  protection: protection.optional(),
  backend: backend.optional(),
  tags: tags.optional(),
  alerts: alertsConfigSchema.optional(),
  canary: canary.optional(),
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
      strict({ tenantId: z.string(), displayName: nonEmpty.optional(), environments: z.record(z.string(), environmentSchema) }),
    ),
  });
  return {
    ...z.toJSONSchema(editorSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'Entra ID audit logging configuration (stacks/environments.yaml)',
  };
}

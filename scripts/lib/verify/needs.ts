import { CANARY_CATEGORY } from './checks/canary';
import type { CheckKind } from './report';
import { type DestinationKind, type Expectations, isTerraformReference, routesTo } from './expectations';
import type { LocationNeed, Locations } from './outputs';

/**
 * Which locations the checks about to run cannot do without, and which of them no flag (and no
 * literal in the synth) gave: `terraform output -json` is run only when this list is not empty.
 *
 * Optional locations do not count: the tenant id only narrows storage listings, and the ARM ids the
 * diagnostic-settings check compares against are compared when known and reported "not compared"
 * otherwise.
 */
export interface NeedsInput {
  readonly expectations: Expectations;
  /** What is known so far: literals from the synth, then the flags. */
  readonly known: Locations;
  readonly skip: readonly CheckKind[];
  readonly canary: boolean;
  /** `--reader-credential`, when given. */
  readonly readerCredential?: string;
  /** AZURE_STORAGE_CONNECTION_STRING is set: storage needs no account id. */
  readonly storageConnectionString: boolean;
  /** AZURE_TENANT_ID is set: the reader sign-in needs no tenant id from the stack. */
  readonly tenantFromEnvironment: boolean;
}

const NEED: Readonly<Record<LocationNeed['key'], Omit<LocationNeed, 'key'>>> = {
  workspaceId: { flag: '--workspace-id', what: 'the Log Analytics workspace GUID' },
  eventHubNamespaceId: { flag: '--eventhub-namespace-id', what: 'the Event Hubs namespace' },
  eventHubName: { flag: '--eventhub-name', what: 'the event hub name' },
  storageAccountId: { flag: '--storage-account-id', what: 'the storage account' },
  tenantId: { flag: '--tenant-id', what: 'the tenant id (to sign in as the reader app)' },
  canaryApplicationObjectId: { flag: '--canary-app-object-id', what: 'the canary application' },
  readerAppClientId: { flag: '--reader-app-client-id', what: 'the reader app client id' },
};

/** Credential kinds of the reader app that sign in at a tenant's authority, and so need its id. */
const READER_KINDS_WITH_TENANT = new Set(['default', 'environment', 'workload-identity', 'managed-identity']);

export function missingLocations(input: NeedsInput): LocationNeed[] {
  const { expectations, known } = input;
  const wanted = new Set<LocationNeed['key']>();
  const runs = (check: CheckKind): boolean => !input.skip.includes(check);
  const destination = (kind: DestinationKind, category?: string): void => {
    const settings = expectations.settings.filter((s) => routesTo(s, kind) && (category === undefined || s.categories.includes(category)));
    if (settings.length === 0) return;
    if (kind === 'log-analytics') wanted.add('workspaceId');
    if (kind === 'storage' && !input.storageConnectionString) wanted.add('storageAccountId');
    if (kind === 'event-hub') {
      if (!settings.some((s) => s.eventHubAuthorizationRuleId !== undefined && !isTerraformReference(s.eventHubAuthorizationRuleId))) wanted.add('eventHubNamespaceId');
      if (settings.some((s) => s.eventHubName !== undefined && isTerraformReference(s.eventHubName))) wanted.add('eventHubName');
    }
  };
  for (const kind of ['log-analytics', 'event-hub', 'storage'] as const) if (runs(kind)) destination(kind);
  if (input.canary) {
    wanted.add('canaryApplicationObjectId');
    for (const kind of ['log-analytics', 'event-hub', 'storage'] as const) destination(kind, CANARY_CATEGORY);
  }
  if (runs('reader-app') && (expectations.readerApp || input.readerCredential !== undefined)) {
    wanted.add('readerAppClientId');
    if (input.readerCredential !== undefined && READER_KINDS_WITH_TENANT.has(input.readerCredential) && !input.tenantFromEnvironment) wanted.add('tenantId');
  }
  return [...wanted].filter((key) => !known[key]).map((key) => ({ key, ...NEED[key] }));
}

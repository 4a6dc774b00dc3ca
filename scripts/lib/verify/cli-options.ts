import { parseArgs } from 'node:util';
import { CLOUD_NAMES, type CloudName, type EndpointOverrides } from './clouds';
import { CREDENTIAL_KINDS, type CredentialKind } from './credential';
import { parseDuration } from './duration';
import { ConfigError } from './errors';
import type { LocationOverrides } from './outputs';

export type OutputFormat = 'table' | 'json' | 'markdown';

export interface CliOptions {
  readonly help: boolean;
  readonly stack: string;
  readonly cdktfOut: string;
  readonly outputsFile?: string;
  readonly overrides: LocationOverrides;
  readonly since: string;
  readonly sinceMs: number;
  readonly wait: boolean;
  readonly timeout: string;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly canary: boolean;
  readonly credential: CredentialKind;
  /** `--reader-credential`: sign in as the reader app too, and read the audit endpoints. */
  readonly readerCredential?: CredentialKind;
  readonly cloud: CloudName;
  readonly endpoints: EndpointOverrides;
  readonly format: OutputFormat;
  /** Checks not to run (`--skip`). */
  readonly skip: readonly SkippableCheck[];
}

export type SkippableCheck = 'diagnostic-settings' | 'log-analytics' | 'event-hub' | 'storage' | 'reader-app';
export const SKIPPABLE_CHECKS: readonly SkippableCheck[] = ['diagnostic-settings', 'log-analytics', 'event-hub', 'storage', 'reader-app'];

export const HELP = `Usage: npm run verify -- --stack <tenant>-<environment> [options]

Proves that every Entra ID log category the stack routes really arrives in every destination, and how late,
and that the reader app a SIEM uses can read the audit logs through Microsoft Graph.
What is expected comes from cdktf.out/stacks/<stack>/cdk.tf.json (run \`npm run synth\` first); where the
destinations are comes from the location flags, or --outputs, or else \`terraform output -json\` in the stack
directory, run only for what no flag gives.

Checks (each reported per category and destination):
  diagnostic-settings  the tenant's Entra diagnostic settings match the stack (setting, categories,
                       destinations)
                       GET {arm}/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01
  log-analytics        rows per routed table in the window, newest TimeGenerated, ingestion latency p50/p95
                       (one \`union withsource=SourceTable isfuzzy=true ...\` query)
  event-hub            Azure Monitor metric IncomingMessages on the namespace, per hub (EntityName dimension)
  storage              insights-logs-<category> containers exist and hold a blob modified in the window
  reader-app           (when the stack has a reader app) through Microsoft Graph: the app and its service
                       principal exist, AuditLog.Read.All and Directory.Read.All are consented, a secret is
                       valid (fails when all expired, warns when the newest expires within 30 days), federated
                       credentials listed; with --reader-credential, signed in as the reader app it reads
                       GET /v1.0/auditLogs/directoryAudits?$top=1 and /v1.0/auditLogs/signIns?$top=1
  canary (--canary)    updates the canary application's notes through Microsoft Graph ("Update application"
                       in AuditLogs) and waits for that event in each destination, reporting end-to-end latency

Stack and locations (a flag wins over the outputs; with these flags no terraform is needed):
  --stack <name>                  stack to verify (required), e.g. contoso-prod
  --cdktf-out <dir>               synth output directory (default: cdktf.out)
  --outputs <file>                file holding \`terraform output -json\` (default: the flags, then terraform for
                                  whatever they leave out; its own error is reported when it fails)
  --workspace-id <guid>           Log Analytics workspace GUID (output log_analytics_workspace_id)
  --eventhub-namespace-id <id>    Event Hubs namespace ARM id (output eventhub_namespace_id)
  --eventhub-name <name>          event hub name (output eventhub_name)
  --storage-account-id <id>       storage account ARM id (output storage_account_id)
  --tenant-id <guid>              tenant GUID, narrows storage listings (output tenant_id, in the synth)
  --reader-app-client-id <guid>   the reader app's client id (output reader_app_client_id)
  --canary-app-object-id <guid>   canary application object id (output canary_application_object_id)

Timing:
  --since <duration>              look-back window (default: PT1H); ISO 8601 (PT30M, PT6H, P1D) or short
                                  (30m, 6h, 1d; m is minutes); the report states it in ISO 8601
  --wait                          poll until everything has arrived (first routing can take hours, up to days;
                                  steady state minutes); a progress line is shown when stderr is a terminal
  --timeout <duration>            bounds the whole run, every request included: give up after this long, exit 3
                                  (default: PT30M)
  --poll-interval <duration>      time between polls (default: PT30S)
  --canary                        run the canary (needs the canary app: see docs/verification.md)
  --skip <check>[,<check>]        do not run these checks: diagnostic-settings, log-analytics, event-hub,
                                  storage, reader-app (e.g. diagnostic-settings where the identity is a service
                                  principal, which the microsoft.aadiam API does not support, or storage from a
                                  network the account's firewall refuses); repeatable; skipping every check
                                  without --canary is an error (exit 2)

Sign-in and endpoints:
  --credential <kind>             default | azure-cli | environment | managed-identity | workload-identity
                                  (default: DefaultAzureCredential)
  --reader-credential <kind>      the same kinds, signing in as the reader app: environment reads
                                  READER_AZURE_CLIENT_SECRET or READER_AZURE_CLIENT_CERTIFICATE_PATH,
                                  workload-identity READER_AZURE_FEDERATED_TOKEN_FILE; azure-cli must be
                                  signed in as the reader app
  --cloud <name>                  AzureCloud | AzureUSGovernment | AzureChinaCloud (default: AzureCloud)
  --authority-host <url>          Microsoft Entra authority (e.g. https://login.microsoftonline.us)
  --arm-endpoint <url>            Azure Resource Manager (e.g. https://management.usgovcloudapi.net)
  --logs-endpoint <url>           Log Analytics query API, with version (e.g. https://api.loganalytics.us/v1)
  --blob-endpoint <url>           blob endpoint of the storage account (private endpoints)
  --graph-endpoint <url>          Microsoft Graph root (e.g. https://graph.microsoft.us)
  AZURE_STORAGE_CONNECTION_STRING for an emulator or an account that takes shared keys; the stack's archive
                                  account has them off: there, storage is read with the credential

Output:
  (default)                       a table
  --json                          JSON, schema scripts/lib/verify/report.schema.json (schemaVersion 1)
  --markdown                      Markdown for a GitHub job summary
  -h, --help                      this help

Bounds:
  every request has its own deadline: 60 s (a Log Analytics query: 195 s, the service's 3-minute
  query timeout plus 15 s), never past --timeout; a server that does not answer, or trickles its
  answer, is cut off. A Retry-After is honoured up to 60 s, and never past --timeout. An answer is
  read up to 16 MiB; an HTML page or a redirect is refused (nothing is followed), naming the flag to check.
  \`terraform output -json\` gets at most 120 s, and never more than --timeout.

Exit codes:
  0  every expected category arrived in every destination (and the canary, with --canary); warnings
     (a reader-app secret expiring within 30 days) do not change it
  1  something is missing or stale (a setting, a category, rows, messages, blobs, the reader app or
     its service principal, every reader-app secret expired)
  2  configuration, authentication or permission error (the missing role or permission is named, a
     missing reader-app consent or the sign-ins licence included), an answer from Azure this tool
     cannot read, a request that got no answer in its own deadline, or nothing verified
  3  --timeout ran out before everything arrived or was checked (a request cut off by it included)

Tokens, keys, secrets and connection strings are never printed: the access tokens sent (the reader
app's too), the client secrets and the storage key are replaced wherever they appear, and token-shaped
values by pattern.
`;

const ARGS = {
  help: { type: 'boolean', short: 'h' },
  stack: { type: 'string' },
  'cdktf-out': { type: 'string' },
  outputs: { type: 'string' },
  'workspace-id': { type: 'string' },
  'eventhub-namespace-id': { type: 'string' },
  'eventhub-name': { type: 'string' },
  'storage-account-id': { type: 'string' },
  'tenant-id': { type: 'string' },
  'canary-app-object-id': { type: 'string' },
  'reader-app-client-id': { type: 'string' },
  'reader-credential': { type: 'string' },
  since: { type: 'string' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
  canary: { type: 'boolean' },
  credential: { type: 'string' },
  cloud: { type: 'string' },
  'authority-host': { type: 'string' },
  'arm-endpoint': { type: 'string' },
  'logs-endpoint': { type: 'string' },
  'blob-endpoint': { type: 'string' },
  'graph-endpoint': { type: 'string' },
  json: { type: 'boolean' },
  markdown: { type: 'boolean' },
  skip: { type: 'string', multiple: true },
} as const;

/** Parses argv (without node and script); collects every mistake into one ConfigError. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: ARGS, strict: true, allowPositionals: false }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (error) {
    throw new ConfigError('InvalidArguments', `${(error as Error).message}; see --help`);
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;
  if (values.help) return { ...defaults(), help: true };
  const problems: string[] = [];
  /** [as given, in ISO-8601, in milliseconds] */
  const duration = (name: string, fallback: string): [string, string, number] => {
    const text = str(name) ?? fallback;
    const parsed = parseDuration(text);
    if (parsed === undefined || parsed.ms <= 0) {
      problems.push(`--${name} must be a positive duration, ISO 8601 (PT30M, PT1H, P7D) or short (30m, 1h, 7d), got ${JSON.stringify(text)}`);
      return [text, text, 1];
    }
    return [text, parsed.iso, parsed.ms];
  };
  const stack = str('stack');
  if (!stack) problems.push('--stack <name> is required (the stack directory under cdktf.out/stacks)');
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack)) problems.push(`--stack must be a stack name, got ${JSON.stringify(stack)}`);
  const [, since, sinceMs] = duration('since', 'PT1H');
  const [timeout, , timeoutMs] = duration('timeout', 'PT30M');
  const [, , pollIntervalMs] = duration('poll-interval', 'PT30S');
  const credential = (str('credential') ?? 'default') as CredentialKind;
  if (!CREDENTIAL_KINDS.includes(credential)) problems.push(`--credential must be one of ${CREDENTIAL_KINDS.join(', ')}, got ${JSON.stringify(credential)}`);
  const readerCredential = str('reader-credential') as CredentialKind | undefined;
  if (readerCredential !== undefined && !CREDENTIAL_KINDS.includes(readerCredential)) {
    problems.push(`--reader-credential must be one of ${CREDENTIAL_KINDS.join(', ')}, got ${JSON.stringify(readerCredential)}`);
  }
  const cloud = (str('cloud') ?? 'AzureCloud') as CloudName;
  if (!CLOUD_NAMES.includes(cloud)) problems.push(`--cloud must be one of ${CLOUD_NAMES.join(', ')}, got ${JSON.stringify(cloud)}`);
  const endpoints: Record<string, string | undefined> = {};
  for (const [flag, key, httpsOnly] of [
    ['authority-host', 'authorityHost', true],
    ['arm-endpoint', 'armEndpoint', true],
    ['logs-endpoint', 'logsEndpoint', true],
    ['blob-endpoint', 'blobEndpoint', false],
    ['graph-endpoint', 'graphEndpoint', true],
  ] as const) {
    const value = str(flag);
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      problems.push(`--${flag} must be a URL, got ${JSON.stringify(value)}`);
      continue;
    }
    if (httpsOnly && url.protocol !== 'https:') problems.push(`--${flag} must be https:// (a bearer token is sent to it), got ${url.protocol}//`);
    endpoints[key] = value;
  }
  if (values.json && values.markdown) problems.push('--json and --markdown cannot be combined');
  const skip = ((values.skip as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const s of skip) {
    if (!SKIPPABLE_CHECKS.includes(s as SkippableCheck)) problems.push(`--skip takes ${SKIPPABLE_CHECKS.join(', ')}, got ${JSON.stringify(s)}`);
  }
  if (values.canary !== true && SKIPPABLE_CHECKS.every((c) => skip.includes(c))) {
    problems.push('--skip leaves nothing to verify (every check is skipped); skip fewer checks, or add --canary');
  }
  if (readerCredential !== undefined && skip.includes('reader-app')) problems.push('--reader-credential signs in as the reader app for the reader-app check, which --skip reader-app leaves out; drop one of them');
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const flag of ['workspace-id', 'tenant-id', 'canary-app-object-id', 'reader-app-client-id']) {
    const value = str(flag);
    if (value !== undefined && !guid.test(value)) problems.push(`--${flag} must be a GUID, got ${JSON.stringify(value)}`);
  }
  for (const flag of ['eventhub-namespace-id', 'storage-account-id']) {
    const value = str(flag);
    if (value !== undefined && !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(value)) {
      problems.push(`--${flag} must be an ARM resource id (/subscriptions/<sub>/resourceGroups/<rg>/providers/<type>/<name>), got ${JSON.stringify(value)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError('InvalidArguments', `${problems.join('; ')}; see --help`);
  return {
    help: false,
    stack: stack as string,
    cdktfOut: str('cdktf-out') ?? 'cdktf.out',
    outputsFile: str('outputs'),
    overrides: {
      workspaceId: str('workspace-id'),
      eventHubNamespaceId: str('eventhub-namespace-id'),
      eventHubName: str('eventhub-name'),
      storageAccountId: str('storage-account-id'),
      tenantId: str('tenant-id'),
      canaryApplicationObjectId: str('canary-app-object-id'),
      readerAppClientId: str('reader-app-client-id'),
    },
    since,
    sinceMs,
    wait: values.wait === true,
    timeout,
    timeoutMs,
    pollIntervalMs,
    canary: values.canary === true,
    credential,
    readerCredential,
    cloud,
    endpoints,
    format: values.json ? 'json' : values.markdown ? 'markdown' : 'table',
    skip: [...new Set(skip)] as SkippableCheck[],
  };
}

function defaults(): CliOptions {
  return {
    help: false, stack: '', cdktfOut: 'cdktf.out', overrides: {}, since: 'PT1H', sinceMs: 3_600_000, wait: false,
    timeout: 'PT30M', timeoutMs: 1_800_000, pollIntervalMs: 30_000, canary: false, credential: 'default', cloud: 'AzureCloud', endpoints: {}, format: 'table', skip: [],
  };
}

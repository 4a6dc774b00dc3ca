import { parseArgs } from 'node:util';
import { CLOUD_NAMES, type CloudName, type EndpointOverrides } from '../verify/clouds';
import { CREDENTIAL_KINDS, type CredentialKind } from '../verify/credential';
import { parseIsoDuration } from '../verify/duration';
import { ConfigError } from '../verify/errors';
import { REPORT_FORMATS, type ReportFormat } from './render';

export interface ReportOptions {
  readonly help: boolean;
  readonly stack: string;
  readonly since: string;
  readonly sinceMs: number;
  readonly formats: readonly ReportFormat[];
  /** `--out`, as given (relative to the working directory). */
  readonly out: string;
  readonly cdktfOut: string;
  readonly outputsFile?: string;
  readonly workspaceId?: string;
  readonly timeout: string;
  readonly timeoutMs: number;
  readonly credential: CredentialKind;
  readonly cloud: CloudName;
  readonly endpoints: EndpointOverrides;
}

/** The longest window: Log Analytics keeps data for interactive queries up to 730 days (learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure). */
export const MAX_SINCE_MS = 730 * 86_400_000;

export const HELP = `Usage: npm run audit-report -- --stack <tenant>-<environment> [options]

Runs a fixed set of KPI queries against the stack's Log Analytics workspace and writes, for auditors
and managers: a markdown summary with the headline figures and small SVG charts next to it, and one
CSV per KPI (RFC 4180, UTF-8 with a header row; cells that would start a spreadsheet formula are
prefixed with '). KPIs whose tables the stack does not route to the workspace are listed as not included.

KPIs: sign-in success rate per day, failed sign-ins by country, top privileged actions, consent grants,
credential changes, risky users (docs/dashboards.md).

Report:
  --stack <name>                  stack to report on (required), e.g. contoso-prod
  --since <ISO-8601 duration>     the window, ending now (default: P30D; at most P730D), e.g. P7D, P90D
  --format <list>                 md, csv, json, comma-separated or repeated (default: md,csv):
                                  md: summary.md and charts/*.svg; csv: <kpi>.csv; json: report.json
  --out <dir>                     where the files go (default: audit-reports/<stack>); created when missing.
                                  A file there that this tool did not write is never overwritten.

Stack and workspace (as for npm run verify):
  --cdktf-out <dir>               synth output directory (default: cdktf.out); run \`npm run synth\` first
  --outputs <file>                file holding \`terraform output -json\` (default: run terraform in the stack directory)
  --workspace-id <guid>           Log Analytics workspace GUID (overrides output log_analytics_workspace_id)

Sign-in, endpoints and time:
  --credential <kind>             default | azure-cli | environment | managed-identity | workload-identity
  --cloud <name>                  AzureCloud | AzureUSGovernment | AzureChinaCloud (default: AzureCloud)
  --authority-host <url>          Microsoft Entra authority (e.g. https://login.microsoftonline.us)
  --logs-endpoint <url>           Log Analytics query API, with version (e.g. https://api.loganalytics.us/v1)
  --timeout <ISO-8601 duration>   bounds the whole run, every request included (default: PT15M)
  -h, --help                      this help

Each query has its own deadline (195 s: the service's 3-minute query timeout plus 15 s), never past
--timeout; 429 and 5xx answers are retried with backoff; an answer is read up to 16 MiB.

Exit codes:
  0  the report was written
  2  configuration, authentication or permission error, an answer this tool cannot read, or a
     request that got no answer in time (nothing is written)
  3  --timeout ran out (nothing is written)
`;

const ARGS = {
  help: { type: 'boolean', short: 'h' },
  stack: { type: 'string' },
  since: { type: 'string' },
  format: { type: 'string', multiple: true },
  out: { type: 'string' },
  'cdktf-out': { type: 'string' },
  outputs: { type: 'string' },
  'workspace-id': { type: 'string' },
  timeout: { type: 'string' },
  credential: { type: 'string' },
  cloud: { type: 'string' },
  'authority-host': { type: 'string' },
  'logs-endpoint': { type: 'string' },
} as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses argv (without node and script); every mistake is collected into one ConfigError. */
export function parseReportOptions(argv: readonly string[]): ReportOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: ARGS, strict: true, allowPositionals: false }).values as Record<string, string | boolean | string[] | undefined>;
  } catch (error) {
    throw new ConfigError('InvalidArguments', `${(error as Error).message}; see --help`);
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const problems: string[] = [];
  const duration = (name: string, fallback: string, max?: number): [string, number] => {
    const text = str(name) ?? fallback;
    const ms = parseIsoDuration(text);
    if (ms === undefined || ms <= 0) {
      problems.push(`--${name} must be a positive ISO-8601 duration such as P7D or PT12H, got ${JSON.stringify(text)}`);
      return [text, 1];
    }
    if (max !== undefined && ms > max) problems.push(`--${name} must be at most P730D (the longest interactive retention of a workspace), got ${JSON.stringify(text)}`);
    return [text, ms];
  };
  const stack = str('stack') ?? '';
  if (values.help) {
    return { help: true, stack, since: 'P30D', sinceMs: 30 * 86_400_000, formats: ['md', 'csv'], out: '', cdktfOut: 'cdktf.out', timeout: 'PT15M', timeoutMs: 900_000, credential: 'default', cloud: 'AzureCloud', endpoints: {} };
  }
  if (!stack) problems.push('--stack <name> is required (the stack directory under cdktf.out/stacks)');
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack)) problems.push(`--stack must be a stack name, got ${JSON.stringify(stack)}`);
  const [since, sinceMs] = duration('since', 'P30D', MAX_SINCE_MS);
  const [timeout, timeoutMs] = duration('timeout', 'PT15M');
  const formats = ((values.format as string[] | undefined) ?? ['md,csv']).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '');
  for (const f of formats) if (!(REPORT_FORMATS as readonly string[]).includes(f)) problems.push(`--format takes ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(f)}`);
  if (values.format !== undefined && formats.length === 0) problems.push(`--format needs at least one of ${REPORT_FORMATS.join(', ')}`);
  const credential = (str('credential') ?? 'default') as CredentialKind;
  if (!CREDENTIAL_KINDS.includes(credential)) problems.push(`--credential must be one of ${CREDENTIAL_KINDS.join(', ')}, got ${JSON.stringify(credential)}`);
  const cloud = (str('cloud') ?? 'AzureCloud') as CloudName;
  if (!CLOUD_NAMES.includes(cloud)) problems.push(`--cloud must be one of ${CLOUD_NAMES.join(', ')}, got ${JSON.stringify(cloud)}`);
  const endpoints: Record<string, string> = {};
  for (const [flag, key] of [['authority-host', 'authorityHost'], ['logs-endpoint', 'logsEndpoint']] as const) {
    const value = str(flag);
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      problems.push(`--${flag} must be a URL, got ${JSON.stringify(value)}`);
      continue;
    }
    if (url.protocol !== 'https:') problems.push(`--${flag} must be https:// (a bearer token is sent to it), got ${url.protocol}//`);
    endpoints[key] = value;
  }
  const workspaceId = str('workspace-id');
  if (workspaceId !== undefined && !GUID.test(workspaceId)) problems.push(`--workspace-id must be the workspace GUID (not its ARM id), got ${JSON.stringify(workspaceId)}`);
  const out = str('out');
  if (out !== undefined && out.trim() === '') problems.push('--out must be a directory path, got ""');
  if (problems.length > 0) throw new ConfigError('InvalidArguments', `${problems.join('; ')}; see --help`);
  return {
    help: false,
    stack,
    since,
    sinceMs,
    formats: [...new Set(formats)] as ReportFormat[],
    out: out ?? `audit-reports/${stack}`,
    cdktfOut: str('cdktf-out') ?? 'cdktf.out',
    outputsFile: str('outputs'),
    workspaceId,
    timeout,
    timeoutMs,
    credential,
    cloud,
    endpoints,
  };
}

/**
 * `npm run audit-report`: the whole command, with everything it touches outside itself injected.
 * Credential, cloud and endpoint resolution, the stack outputs, the bounded transport, deadlines and
 * retries are the verify command's (scripts/lib/verify), imported, so that both behave alike.
 */
import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { tableOfCategory } from '../../../constructs/internal/log-categories';
import { createClients, transportFor } from '../verify/clients';
import { resolveEndpoints } from '../verify/clouds';
import { createCredential } from '../verify/credential';
import { ConfigError } from '../verify/errors';
import { categoriesFor, readExpectations } from '../verify/expectations';
import { applyOverrides, type ExecFile, type Locations, parseOutputs, readTerraformOutputs } from '../verify/outputs';
import { RUN_TIMEOUT_CODE, toProblem } from '../verify/problems';
import { connectionStringSecrets, recordingCredential, redact, SecretRegistry } from '../verify/redact';
import { type Deadlines, QUERY_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from '../verify/retry';
import { coreHttpClient } from '../verify/transport';
import { HELP, parseReportOptions, type ReportOptions } from './cli-options';
import { collectKpis } from './collect';
import { KPIS } from './kpis';
import { writeReport } from './output';
import { type AuditReport, headlines, renderReport, SCHEMA_VERSION } from './render';

export interface ReportDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (file: string) => Promise<string>;
  readonly exec: ExecFile;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Tests inject a credential object instead of `--credential` (never the managed-identity probe). */
  readonly credential?: TokenCredential;
  /** Tests running in-process trust their own CA through this. */
  readonly ca?: string;
  /** Every request's own deadline in milliseconds (tests: tens of ms). @default QUERY_TIMEOUT_MS for queries */
  readonly requestTimeoutMs?: number;
  /** The largest answer read (tests). @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
}

const SECRET_VARIABLES = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD'];

/** The Log Analytics tables the synthesized stack routes to its workspace. */
async function routedTables(options: ReportOptions, deps: ReportDeps, stackDir: string): Promise<string[]> {
  const synthFile = path.join(stackDir, 'cdk.tf.json');
  let synth: string;
  try {
    synth = await deps.readFile(synthFile);
  } catch {
    throw new ConfigError('SynthMissing', `${synthFile} not found; run \`npm run synth\` first, or check --stack and --cdktf-out`);
  }
  const categories = categoriesFor(readExpectations(synth, synthFile), 'log-analytics');
  if (categories.length === 0) {
    throw new ConfigError('NoWorkspace', `stack ${options.stack} routes no Entra category to Log Analytics, and the report reads the workspace; enable logAnalytics and route categories to it`);
  }
  return [...new Set(categories.map(tableOfCategory).filter((t): t is string => t !== undefined))];
}

async function locate(options: ReportOptions, deps: ReportDeps, stackDir: string): Promise<string> {
  let locations: Locations = {};
  if (options.workspaceId === undefined) {
    if (options.outputsFile) {
      const file = path.resolve(deps.cwd, options.outputsFile);
      let text: string;
      try {
        text = await deps.readFile(file);
      } catch {
        throw new ConfigError('OutputsMissing', `--outputs ${file} cannot be read`);
      }
      locations = parseOutputs(text, file);
    } else {
      locations = await readTerraformOutputs(stackDir, deps.exec, [{ key: 'workspaceId', flag: '--workspace-id', what: 'the Log Analytics workspace GUID' }]);
    }
  }
  locations = applyOverrides(locations, { workspaceId: options.workspaceId });
  if (!locations.workspaceId) {
    throw new ConfigError('MissingLocation', 'the workspace GUID is unknown: the output log_analytics_workspace_id is missing; pass --workspace-id <guid>');
  }
  return locations.workspaceId;
}

/** Runs the command; returns the exit code. Nothing is written unless every KPI query answered. */
export async function main(argv: readonly string[], deps: ReportDeps): Promise<number> {
  const secrets = new SecretRegistry([...SECRET_VARIABLES.map((v) => deps.env[v]), ...connectionStringSecrets(deps.env.AZURE_STORAGE_CONNECTION_STRING)]);
  const fail = (error: unknown): number => {
    const problem = toProblem('log-analytics', error, secrets);
    // toProblem speaks of "the verifying identity" (it is verify's); here it is whoever runs the report.
    const message = problem.message.replace('the verifying identity needs', 'the identity running the report needs');
    deps.stderr(`audit-report: ${problem.code}: ${redact(message, secrets)}\n`);
    return problem.code === RUN_TIMEOUT_CODE ? 3 : 2;
  };
  let options: ReportOptions;
  try {
    options = parseReportOptions(argv);
  } catch (error) {
    return fail(error);
  }
  if (options.help) {
    deps.stdout(HELP);
    return 0;
  }
  const startedAt = deps.now();
  try {
    const stackDir = path.resolve(deps.cwd, options.cdktfOut, 'stacks', options.stack);
    const tables = await routedTables(options, deps, stackDir);
    const workspaceId = await locate(options, deps, stackDir);
    const endpoints = resolveEndpoints(options.cloud, options.endpoints);
    const backstopMs = (deps.requestTimeoutMs ?? Math.max(REQUEST_TIMEOUT_MS, QUERY_TIMEOUT_MS)) + 5_000;
    const bounds = { ca: deps.ca, maxResponseBytes: deps.maxResponseBytes, backstopMs };
    const tokenClient = coreHttpClient(transportFor(bounds, 'Microsoft Entra ID sign-in', '--authority-host, --credential'));
    const credential = recordingCredential(deps.credential ?? createCredential(options.credential, endpoints, deps.env, tokenClient), secrets);
    const { logs } = createClients({ credential, endpoints, ...bounds });
    const deadline = startedAt.getTime() + options.timeoutMs;
    const deadlines: Deadlines = {
      ownMs: (_operation, query) => deps.requestTimeoutMs ?? (query ? QUERY_TIMEOUT_MS : REQUEST_TIMEOUT_MS),
      remainingMs: () => deadline - deps.now().getTime(),
      timeoutFlag: `--timeout ${options.timeout}`,
    };
    const end = startedAt;
    const start = new Date(end.getTime() - options.sinceMs);
    const results = await collectKpis({
      kpis: KPIS,
      routedTables: tables,
      workspaceId,
      logs,
      window: { start, end },
      retry: { sleep: deps.sleep, random: deps.random, now: deps.now, deadlines },
    });
    const report: AuditReport = {
      schemaVersion: SCHEMA_VERSION,
      tool: 'entra-audit-report',
      stack: options.stack,
      generatedAt: deps.now().toISOString(),
      since: options.since,
      windowStart: start.toISOString(),
      windowEnd: end.toISOString(),
      workspaceId,
      headlines: headlines(KPIS, results),
      kpis: results,
    };
    const outDir = path.resolve(deps.cwd, options.out);
    const written = writeReport(outDir, renderReport(report, KPIS, options.formats));
    const lines = [
      `audit-report: ${options.stack}, ${report.windowStart} to ${report.windowEnd} (${options.since})`,
      ...report.headlines.map((h) => `  ${h.label}: ${h.value}`),
      `wrote ${written.length} file(s) to ${outDir}: ${written.join(', ')}`,
    ];
    deps.stdout(`${redact(lines.join('\n'), secrets)}\n`);
    return 0;
  } catch (error) {
    return fail(error);
  }
}

import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { palette } from '../io/colour';
import { HELP, type OutputFormat, parseCliOptions } from './cli-options';
import { createClients } from './clients';
import { resolveEndpoints } from './clouds';
import { createCredential } from './credential';
import { ConfigError } from './errors';
import { readExpectations } from './expectations';
import { applyOverrides, type ExecFile, type Locations, parseOutputs, readTerraformOutputs } from './outputs';
import { toProblem } from './problems';
import { renderJson } from './render/json';
import { renderMarkdown } from './render/markdown';
import { renderTable } from './render/table';
import { outcomeOf, type Problem, SCHEMA_VERSION, type VerifyReport } from './report';
import { runVerification } from './run';

/** Everything `main` touches outside itself; `scripts/verify.ts` passes the real ones, tests fakes. */
export interface MainDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal: the progress line is shown only then. */
  readonly isTTY: boolean;
  /** Whether to colour the table on stdout (a terminal, see colourEnabled). @default false */
  readonly colour?: boolean;
  readonly readFile: (file: string) => Promise<string>;
  readonly exec: ExecFile;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly randomId: () => string;
  /** Tests inject a credential object instead of `--credential` (never the managed-identity probe). */
  readonly credential?: TokenCredential;
  /** Tests running in-process trust their own CA through this. */
  readonly ca?: string;
}

const SECRET_VARIABLES = ['AZURE_STORAGE_CONNECTION_STRING', 'AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD'];

function render(report: VerifyReport, format: OutputFormat, colour = false): string {
  return format === 'json' ? renderJson(report) : format === 'markdown' ? renderMarkdown(report) : renderTable(report, palette(colour));
}

function errorReport(stack: string, since: string, problems: Problem[], now: Date): VerifyReport {
  const { outcome, exitCode } = outcomeOf([], problems, false);
  return {
    schemaVersion: SCHEMA_VERSION, tool: 'entra-audit-verify', stack, generatedAt: now.toISOString(), since,
    windowStart: now.toISOString(), windowEnd: now.toISOString(), outcome, exitCode, attempts: 1, checks: [], problems, canary: null,
  };
}

/** The whole command; returns the exit code. */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  const secrets = SECRET_VARIABLES.map((v) => deps.env[v]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  const fallbackFormat: OutputFormat = argv.includes('--json') ? 'json' : argv.includes('--markdown') ? 'markdown' : 'table';
  let options;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    deps.stdout(render(errorReport('', 'PT1H', [toProblem(null, error, secrets)], deps.now()), fallbackFormat));
    return 2;
  }
  if (options.help) {
    deps.stdout(HELP);
    return 0;
  }
  const stackDir = path.resolve(deps.cwd, options.cdktfOut, 'stacks', options.stack);
  let report: VerifyReport;
  try {
    const synthFile = path.join(stackDir, 'cdk.tf.json');
    let synth: string;
    try {
      synth = await deps.readFile(synthFile);
    } catch {
      throw new ConfigError('SynthMissing', `${synthFile} not found; run \`npm run synth\` first, or check --stack and --cdktf-out`);
    }
    const expectations = readExpectations(synth, synthFile);
    let locations: Locations;
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
      locations = await readTerraformOutputs(stackDir, deps.exec);
    }
    locations = applyOverrides(locations, options.overrides);
    const endpoints = resolveEndpoints(options.cloud, options.endpoints);
    const credential = deps.credential ?? createCredential(options.credential, endpoints, deps.env);
    const clients = createClients({ credential, endpoints, storageConnectionString: deps.env.AZURE_STORAGE_CONNECTION_STRING, ca: deps.ca });
    report = await runVerification({
      settings: {
        stack: options.stack, since: options.since, sinceMs: options.sinceMs, wait: options.wait,
        timeoutMs: options.timeoutMs, pollIntervalMs: options.pollIntervalMs, canary: options.canary, skip: options.skip,
      },
      expectations,
      locations,
      clients,
      env: {
        now: deps.now, sleep: deps.sleep, random: deps.random, randomId: deps.randomId, secrets,
        progress: deps.isTTY ? (line) => deps.stderr(`\r\x1b[2K${line}`) : undefined,
      },
    });
    if (deps.isTTY && (options.wait || options.canary)) deps.stderr('\r\x1b[2K');
  } catch (error) {
    report = errorReport(options.stack, options.since, [toProblem(null, error, secrets)], deps.now());
  }
  deps.stdout(render(report, options.format, deps.colour));
  return report.exitCode;
}

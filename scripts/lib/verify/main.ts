import path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { palette } from '../io/colour';
import { HELP, type OutputFormat, parseCliOptions } from './cli-options';
import { createClients, transportFor } from './clients';
import { resolveEndpoints } from './clouds';
import { createCredential, createReaderCredential, READER_SECRET_VARIABLES } from './credential';
import { ConfigError } from './errors';
import { readExpectations } from './expectations';
import { missingLocations } from './needs';
import { applyOverrides, type ExecFile, type Locations, parseOutputs, readTerraformOutputs, TERRAFORM_OUTPUT_TIMEOUT_MS } from './outputs';
import { toProblem } from './problems';
import { connectionStringSecrets, recordingCredential, redact, redactDeep, SecretRegistry } from './redact';
import { renderJson } from './render/json';
import { renderMarkdown } from './render/markdown';
import { renderTable } from './render/table';
import { outcomeOf, type Problem, SCHEMA_VERSION, type VerifyReport } from './report';
import { QUERY_TIMEOUT_MS, REQUEST_TIMEOUT_MS } from './retry';
import { runVerification } from './run';
import { coreHttpClient } from './transport';

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
  /** Tests inject the reader app's credential instead of building the `--reader-credential` one. */
  readonly readerCredential?: TokenCredential;
  /** Tests running in-process trust their own CA through this. */
  readonly ca?: string;
  /** Every request's own deadline in milliseconds (tests: tens of ms). @default REQUEST_TIMEOUT_MS, QUERY_TIMEOUT_MS for Logs queries */
  readonly requestTimeoutMs?: number | ((operation: string) => number);
  /** The largest answer read from a service (tests). @default MAX_RESPONSE_BYTES */
  readonly maxResponseBytes?: number;
}

const SECRET_VARIABLES = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD', ...READER_SECRET_VARIABLES];

/** Renders the report after redacting every string in it: the one place output is produced. */
function render(report: VerifyReport, format: OutputFormat, secrets: SecretRegistry, colour = false): string {
  const safe = redactDeep(report, secrets);
  return format === 'json' ? renderJson(safe) : format === 'markdown' ? renderMarkdown(safe) : renderTable(safe, palette(colour));
}

function errorReport(stack: string, since: string, problems: Problem[], now: Date): VerifyReport {
  const { outcome, exitCode } = outcomeOf([], problems, false);
  return {
    schemaVersion: SCHEMA_VERSION, tool: 'entra-audit-verify', stack, generatedAt: now.toISOString(), since,
    windowStart: now.toISOString(), windowEnd: now.toISOString(), outcome, exitCode, attempts: 1, checks: [], problems, canary: null,
  };
}

/** The last `--stack <name>` or `--stack=<name>` (the one parseArgs keeps) from arguments that did not parse as a whole, when it is a stack name; else ''. */
function stackIn(argv: readonly string[]): string {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--stack') value = argv[i + 1];
    else if (arg.startsWith('--stack=')) value = arg.slice('--stack='.length);
  });
  return value !== undefined && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) ? value : '';
}

/** The whole command; returns the exit code. */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  // What the tool holds: secrets from the environment now, every access token as it is issued.
  const secrets = new SecretRegistry([...SECRET_VARIABLES.map((v) => deps.env[v]), ...connectionStringSecrets(deps.env.AZURE_STORAGE_CONNECTION_STRING)]);
  const fallbackFormat: OutputFormat = argv.includes('--json') ? 'json' : argv.includes('--markdown') ? 'markdown' : 'table';
  let options;
  try {
    options = parseCliOptions(argv);
  } catch (error) {
    deps.stdout(render(errorReport(stackIn(argv), 'PT1H', [toProblem(null, error, secrets)], deps.now()), fallbackFormat, secrets));
    return 2;
  }
  if (options.help) {
    deps.stdout(HELP);
    return 0;
  }
  const startedAt = deps.now().getTime();
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
    const read = readExpectations(synth, synthFile);
    const expectations = { ...read, readerApp: read.readerApp === true || options.overrides.readerAppClientId !== undefined || options.readerCredential !== undefined };
    // Where things are, weakest first: literal outputs in the synth (tenant_id), the outputs
    // (--outputs, or `terraform output -json` when a flag is missing), then the flags.
    const fromSynth = parseOutputs(JSON.stringify(expectations.literalOutputs ?? {}), synthFile);
    let locations: Locations;
    if (options.outputsFile) {
      const file = path.resolve(deps.cwd, options.outputsFile);
      let text: string;
      try {
        text = await deps.readFile(file);
      } catch {
        throw new ConfigError('OutputsMissing', `--outputs ${file} cannot be read`);
      }
      locations = { ...fromSynth, ...parseOutputs(text, file) };
    } else {
      const needed = missingLocations({
        expectations, known: applyOverrides(fromSynth, options.overrides), skip: options.skip, canary: options.canary, readerCredential: options.readerCredential,
        storageConnectionString: !!deps.env.AZURE_STORAGE_CONNECTION_STRING, tenantFromEnvironment: !!deps.env.AZURE_TENANT_ID,
      });
      locations = needed.length === 0
        ? fromSynth
        : { ...fromSynth, ...(await readTerraformOutputs(stackDir, deps.exec, needed, Math.min(TERRAFORM_OUTPUT_TIMEOUT_MS, options.timeoutMs))) };
    }
    locations = applyOverrides(locations, options.overrides);
    const endpoints = resolveEndpoints(options.cloud, options.endpoints);
    // The transport's own timer is a backstop behind withRetry's deadlines (it cuts MSAL's token
    // requests, which carry their own abort signal); it never fires first.
    const bounds = { ca: deps.ca, maxResponseBytes: deps.maxResponseBytes, backstopMs: (typeof deps.requestTimeoutMs === 'number' ? deps.requestTimeoutMs : Math.max(REQUEST_TIMEOUT_MS, QUERY_TIMEOUT_MS)) + 5_000 };
    const tokenClient = coreHttpClient(transportFor(bounds, 'Microsoft Entra ID sign-in', '--authority-host, --credential'));
    const credential = recordingCredential(deps.credential ?? createCredential(options.credential, endpoints, deps.env, tokenClient), secrets);
    let reader: { kind: string; credential: TokenCredential } | undefined;
    if (options.readerCredential) {
      const clientId = locations.readerAppClientId;
      if (!clientId) {
        throw new ConfigError('MissingLocation', '--reader-credential signs in as the reader app, whose client id is unknown: the output reader_app_client_id is missing; pass --reader-app-client-id <guid>');
      }
      const readerCredential = deps.readerCredential ?? createReaderCredential(options.readerCredential, { clientId, tenantId: locations.tenantId ?? deps.env.AZURE_TENANT_ID }, endpoints, deps.env, tokenClient);
      reader = { kind: options.readerCredential, credential: recordingCredential(readerCredential, secrets) };
    }
    const clients = createClients({ credential, reader, endpoints, storageConnectionString: deps.env.AZURE_STORAGE_CONNECTION_STRING, ...bounds });
    report = await runVerification({
      settings: {
        stack: options.stack, since: options.since, sinceMs: options.sinceMs, wait: options.wait,
        // --timeout bounds the whole run: what reading the outputs took is already spent.
        timeoutMs: options.timeoutMs - (deps.now().getTime() - startedAt), timeout: options.timeout, pollIntervalMs: options.pollIntervalMs, canary: options.canary, skip: options.skip,
      },
      expectations,
      locations,
      clients,
      env: {
        now: deps.now, sleep: deps.sleep, random: deps.random, randomId: deps.randomId, secrets, requestTimeoutMs: deps.requestTimeoutMs,
        progress: deps.isTTY ? (line) => deps.stderr(`\r\x1b[2K${redact(line, secrets)}`) : undefined,
      },
    });
    if (deps.isTTY && (options.wait || options.canary)) deps.stderr('\r\x1b[2K');
  } catch (error) {
    report = errorReport(options.stack, options.since, [toProblem(null, error, secrets)], deps.now());
  }
  deps.stdout(render(report, options.format, secrets, deps.colour));
  return report.exitCode;
}

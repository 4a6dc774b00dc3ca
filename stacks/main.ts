/**
 * The cdktf app: one stack per tenant and environment of the configuration file
 * (`stacks/environments.yaml`, or the file named by ENTRA_AUDIT_CONFIG).
 *
 * The whole file is validated before anything is synthesized: on any problem this prints every
 * problem, exits 1, and leaves no `cdk.tf.json` behind; so do violations of the compliance profiles
 * the environments select. Synth writes only its own files in its own output folder (the stacks, the
 * manifest, and each stack's coverage report in `reports/`) and keeps Terraform's working files there
 * (see `synth-output.ts`); local state lives in the project folder (see `state-paths.ts`).
 */
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { App } from 'cdktf';
import { ComplianceError } from '../constructs/compliance/entra-compliance';
import { ConfigError, CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, loadConfig } from './config';
import { configWarnings } from './config-warnings';
import { EntraAuditStack } from './entra-audit-stack';
import { complianceReports, writeReports } from './report/files';
import { legacyStateProblems, withStatePath } from './state-paths';
import { acquireLock, checkOwnership, claim, publish, removeStaleStaging, resolveOutdir, stagingDir, SynthOutputError, withdrawStacks } from './synth-output';

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type SignalName = keyof typeof SIGNALS;

class Interrupted extends Error {
  constructor(readonly signal: SignalName) {
    super(`interrupted by ${signal}`);
  }
}

/** Lets pending signals be handled between the phases of a synth. */
async function checkpoint(state: { signal?: SignalName }): Promise<void> {
  await new Promise((done) => setImmediate(done));
  if (state.signal) throw new Interrupted(state.signal);
}

async function main(): Promise<number> {
  const file = process.env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
  const projectDir = process.cwd();
  let outdir: string;
  try {
    outdir = resolveOutdir(process.env.CDKTF_OUTDIR || 'cdktf.out', projectDir);
    checkOwnership(outdir);
    claim(outdir);
  } catch (e) {
    // Not our folder (or not a folder): touch nothing in it.
    process.stderr.write(`${e instanceof SynthOutputError ? e.message : String((e as Error).message ?? e)}\nNothing was synthesized.\n`);
    return 1;
  }
  const shown = relative(projectDir, outdir) || outdir;

  const state: { signal?: SignalName } = {};
  const onSignal = (signal: SignalName) => {
    state.signal = signal;
  };
  for (const signal of Object.keys(SIGNALS) as SignalName[]) process.on(signal, onSignal);
  let lock: ReturnType<typeof acquireLock> | undefined;
  const staging = stagingDir(outdir);
  try {
    lock = acquireLock(outdir);
    removeStaleStaging(outdir);
    const plans = loadConfig(file);
    const stale = legacyStateProblems(plans, outdir, projectDir);
    if (stale.length > 0) throw new ConfigError(file, stale);
    await checkpoint(state);
    const app = new App({ outdir: staging });
    for (const plan of plans) {
      new EntraAuditStack(app, withStatePath(plan, outdir, projectDir));
      await checkpoint(state);
    }
    // Every stack's compliance violations in one error, before anything is written; then the reports.
    const reports = complianceReports(app);
    app.synth();
    writeReports(staging, reports);
    await checkpoint(state);
    const result = publish(staging, outdir);
    process.stdout.write(`Synthesized ${result.stacks.length} stack(s) from ${file} into ${shown}/stacks: ${result.stacks.join(', ')}\n`);
    process.stdout.write(`Coverage reports: ${shown}/reports/index.md\n`);
    for (const warning of configWarnings(plans)) process.stderr.write(`Warning: ${warning}\n`);
    for (const name of result.orphaned) {
      process.stderr.write(
        `Warning: ${shown}/stacks/${name} belongs to no configured stack any more. Its cdk.tf.json was removed; its Terraform working files were kept. ` +
          `If its resources should go, destroy them first (restore the environment, then cdktf destroy ${name}), then delete the folder.\n`,
      );
    }
    return 0;
  } catch (e) {
    withdrawStacks(outdir);
    if (e instanceof Interrupted) {
      process.stderr.write(`Synth ${e.message}. Nothing was synthesized.\n`);
      return 128 + SIGNALS[e.signal];
    }
    if (e instanceof ConfigError || e instanceof SynthOutputError || e instanceof ComplianceError) {
      process.stderr.write(`${e.message}\nNothing was synthesized.\n`);
      return 1;
    }
    process.stderr.write(`${(e as Error).stack ?? e}\nNothing was synthesized.\n`);
    return 1;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    lock?.release();
    for (const signal of Object.keys(SIGNALS) as SignalName[]) process.off(signal, onSignal);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);

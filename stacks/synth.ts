/**
 * One synth run: loads and validates the configuration, builds the selected stacks and publishes
 * them into the output folder. `main.ts` runs it for the process; the tests run it in-process too.
 *
 * The whole file is validated before anything is synthesized: on any problem this prints every
 * problem, returns 1, and leaves no `cdk.tf.json` behind; so do violations of the compliance profiles
 * the environments select. ENTRA_AUDIT_STACKS=<ids or globs> synthesizes
 * only the matching stacks (see `stack-selection.ts`) and leaves the other stacks' output as it is.
 * Synth writes only its own files in its own output folder (the stacks, the manifest, and each
 * stack's coverage report in `reports/`) and keeps Terraform's working files there
 * (see `synth-output.ts`); local state lives in the project folder (see `state-paths.ts`).
 */
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { App } from 'cdktf';
import { ComplianceError } from '../constructs/compliance/entra-compliance';
import { ConfigError, CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, loadConfig } from './config';
import { configWarnings } from './config-warnings';
import { EntraAuditStack } from './entra-audit-stack';
import { complianceReports, previousReports, writeReports } from './report/files';
import { STACKS_ENV_VAR, selectStacks, StackSelectionError } from './stack-selection';
import { TOKEN_TRACES_ENV_VAR, withoutTokenStackTraces } from './token-stack-traces';
import { legacyStateProblems, withStatePath } from './state-paths';
import { acquireLock, checkOwnership, claim, publish, removeStaleStaging, resolveOutdir, stagingDir, SynthOutputError, withdrawStacks } from './synth-output';

export interface SynthOptions {
  /** The project folder: a relative configuration path, the output folder and local state are read from it. */
  readonly projectDir: string;
  /** ENTRA_AUDIT_CONFIG, CDKTF_OUTDIR and ENTRA_AUDIT_STACKS are read from it. */
  readonly env: NodeJS.ProcessEnv;
  /** Receive whole lines, each ending in a newline. */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

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

/** Runs one synth; resolves to the process exit code (0, 1, or 128 + signal number when interrupted). */
export async function synth(options: SynthOptions): Promise<number> {
  const { projectDir, env } = options;
  const file = env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
  let outdir: string;
  try {
    outdir = resolveOutdir(env.CDKTF_OUTDIR || 'cdktf.out', projectDir);
    checkOwnership(outdir);
    claim(outdir);
  } catch (e) {
    // Not our folder (or not a folder): touch nothing in it.
    options.stderr(`${e instanceof SynthOutputError ? e.message : String((e as Error).message ?? e)}\nNothing was synthesized.\n`);
    return 1;
  }
  const shown = relative(projectDir, outdir) || outdir;

  const state: { signal?: SignalName } = {};
  const onSignal = (signal: SignalName) => {
    state.signal = signal;
  };
  for (const signal of Object.keys(SIGNALS) as SignalName[]) process.on(signal, onSignal);
  let lock: ReturnType<typeof acquireLock> | undefined;
  let restoreTokenTraces: (() => void) | undefined;
  const staging = stagingDir(outdir);
  try {
    lock = acquireLock(outdir);
    removeStaleStaging(outdir);
    const plans = loadConfig(file, projectDir);
    const configured = plans.map((p) => p.id);
    const selection = env[STACKS_ENV_VAR];
    const selected = new Set(selectStacks(configured, selection));
    const sharded = selected.size < configured.length;
    const built = plans.filter((p) => selected.has(p.id));
    const stale = legacyStateProblems(built, outdir, projectDir);
    if (stale.length > 0) throw new ConfigError(file, stale);
    await checkpoint(state);
    // No stack trace per token (see token-stack-traces.ts), and none per annotation (stackTraces: false):
    // the latter would also put machine-specific paths into the manifest.
    if (env[TOKEN_TRACES_ENV_VAR] !== '1') restoreTokenTraces = withoutTokenStackTraces();
    const app = new App({ outdir: staging, stackTraces: false });
    for (const plan of built) {
      new EntraAuditStack(app, withStatePath(plan, outdir, projectDir));
      await checkpoint(state);
    }
    // Every stack's compliance violations in one error, before anything is written; then the reports
    // (a sharded synth's index also lists the reports of the configured stacks it did not build).
    const reports = complianceReports(app);
    app.synth();
    const previous = sharded ? previousReports(outdir, configured.filter((id) => !selected.has(id))) : [];
    const byStack = new Map([...reports, ...previous].map((r) => [r.stack, r]));
    writeReports(staging, reports, configured.flatMap((id) => byStack.get(id) ?? []));
    await checkpoint(state);
    const result = publish(staging, outdir, configured);
    const count = sharded ? `${result.stacks.length} of ${configured.length} stack(s) (${STACKS_ENV_VAR}=${selection?.trim()})` : `${result.stacks.length} stack(s)`;
    options.stdout(`Synthesized ${count} from ${file} into ${shown}/stacks: ${result.stacks.join(', ')}\n`);
    options.stdout(`Coverage reports: ${shown}/reports/index.md\n`);
    for (const warning of configWarnings(plans)) options.stderr(`Warning: ${warning}\n`);
    for (const name of result.orphaned) {
      options.stderr(
        `Warning: ${shown}/stacks/${name} belongs to no configured stack any more. Its cdk.tf.json was removed; its Terraform working files were kept. ` +
          `If its resources should go, destroy them first (restore the environment, then npm run cdktf -- destroy ${name}, or terraform destroy in its folder), then delete the folder.\n`,
      );
    }
    return 0;
  } catch (e) {
    withdrawStacks(outdir);
    if (e instanceof Interrupted) {
      options.stderr(`Synth ${e.message}. Nothing was synthesized.\n`);
      return 128 + SIGNALS[e.signal];
    }
    if (e instanceof ConfigError || e instanceof SynthOutputError || e instanceof StackSelectionError || e instanceof ComplianceError) {
      options.stderr(`${e.message}\nNothing was synthesized.\n`);
      return 1;
    }
    options.stderr(`${(e as Error).stack ?? e}\nNothing was synthesized.\n`);
    return 1;
  } finally {
    restoreTokenTraces?.();
    rmSync(staging, { recursive: true, force: true });
    lock?.release();
    for (const signal of Object.keys(SIGNALS) as SignalName[]) process.off(signal, onSignal);
  }
}

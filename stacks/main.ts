/**
 * The cdktf app: one stack per tenant and environment of the configuration file
 * (`stacks/environments.yaml`, or the file named by ENTRA_AUDIT_CONFIG).
 *
 * The whole file is validated before anything is synthesized: on any problem this prints every
 * problem, exits 1 and writes no stack.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { App } from 'cdktf';
import { ConfigError, CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, loadConfig } from './config';
import { EntraAuditStack } from './entra-audit-stack';

/** Removes what a synth writes, so that no stack of an earlier run is mistaken for this one's. */
function removeSynthOutput(outdir: string): void {
  rmSync(`${outdir}/stacks`, { recursive: true, force: true });
  rmSync(`${outdir}/manifest.json`, { force: true });
}

function main(): number {
  const file = process.env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  // Synthesize into a staging directory and swap it in only when every stack was built: bad input
  // never leaves half an output.
  const staging = `${outdir}.staging-${process.pid}`;
  try {
    const plans = loadConfig(file);
    const app = new App({ outdir: staging });
    for (const plan of plans) new EntraAuditStack(app, plan);
    app.synth();
    removeSynthOutput(outdir);
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    process.stdout.write(`Synthesized ${plans.length} stack(s) from ${file} into ${outdir}/stacks: ${plans.map((p) => p.id).join(', ')}\n`);
    return 0;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(outdir)) removeSynthOutput(outdir);
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nNothing was synthesized.\n`);
      return 1;
    }
    process.stderr.write(`${(e as Error).stack ?? e}\nNothing was synthesized.\n`);
    return 1;
  }
}

process.exitCode = main();

/**
 * The cdktf app: one stack per tenant and environment of the configuration file
 * (`stacks/environments.yaml`, or the file named by ENTRA_AUDIT_CONFIG), synthesized into
 * `cdktf.out/` (or CDKTF_OUTDIR) by `synth.ts`. `npm run synth` and the app command in `cdktf.json`
 * run it compiled (`dist/stacks/main.js`, see `scripts/build/build.js`).
 */
import { synth } from './synth';

synth({
  projectDir: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);

/**
 * Where local Terraform state lives.
 *
 * Terraform resolves a local backend's relative `path` in the stack's working folder
 * (`cdktf.out/stacks/<stack>/`). State belongs to the project, not to synth output, so the path
 * written into `cdk.tf.json` points back to the project folder: `terraform.<stack>.tfstate` there by
 * default (cdktf's own default location), or the configured `backend.path`, read relative to the
 * project folder. Earlier versions of this project kept it inside the stack folder; such state is
 * found and the move is spelt out, rather than letting a deploy start from no state.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { StackPlan } from './config';

/** The default state file name of a stack, as cdktf names it. */
export const defaultStateFile = (stackId: string) => `terraform.${stackId}.tfstate`;

/** The state file of a local-backend stack, absolute. */
export function stateFile(plan: StackPlan, projectDir: string): string | undefined {
  if (plan.backend.type !== 'local') return undefined;
  return resolve(projectDir, plan.backend.path ?? defaultStateFile(plan.id));
}

/** The plan with its local backend path made relative to the stack's working folder (portable across machines). */
export function withStatePath(plan: StackPlan, outdir: string, projectDir: string): StackPlan {
  const file = stateFile(plan, projectDir);
  if (file === undefined) return plan;
  const configured = plan.backend.type === 'local' ? plan.backend.path : undefined;
  const path = configured !== undefined && isAbsolute(configured) ? configured : relative(join(outdir, 'stacks', plan.id), file).split(sep).join('/');
  return { ...plan, backend: { type: 'local', path } };
}

/**
 * State left where earlier versions put it (`<outdir>/stacks/<stack>/<path>`): one message per stack,
 * with the command that moves it. Deploying without moving it would plan every resource anew.
 */
export function legacyStateProblems(plans: readonly StackPlan[], outdir: string, projectDir: string): string[] {
  const out: string[] = [];
  for (const plan of plans) {
    const file = stateFile(plan, projectDir);
    if (file === undefined || plan.backend.type !== 'local') continue;
    const configured = plan.backend.path ?? defaultStateFile(plan.id);
    if (isAbsolute(configured)) continue;
    const legacy = join(outdir, 'stacks', plan.id, configured);
    if (resolve(legacy) === file || !existsSync(legacy)) continue;
    const show = (p: string) => relative(projectDir, p) || p;
    if (existsSync(file)) {
      out.push(
        `${plan.id}: local state exists in two places, ${show(legacy)} (where earlier versions kept it) and ${show(file)}; ` +
          `keep the one with the higher "serial" (terraform show -json reads both), move the other away, and synthesize again`,
      );
    } else {
      out.push(`${plan.id}: its local state is in ${show(legacy)}, where earlier versions kept it; state now lives in the project folder. Move it, then synthesize again: mv ${show(legacy)} ${show(file)}`);
    }
  }
  return out;
}

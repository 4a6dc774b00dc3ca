/**
 * The two review pipelines, end to end but without process concerns (arguments, exit codes):
 * plan JSON texts → change model (real values) → Audit-risk findings (decided on real values)
 * → the masking step (masking.ts) → markdown rendered from the masked copy only.
 */
import { basename, dirname } from 'node:path';
import { findAuditRisks } from './audit-risk';
import type { StackChanges } from './change-model';
import { DEFAULT_BODY_LIMIT, renderPlanComment, renderSynthDiffComment } from './markdown';
import { maskForDisplay } from './masking';
import { parsePlanJson } from './plan-json';
import { planToStackChanges } from './plan-changes';
import type { Finding } from './rules';
import { diffSynthOutputs } from './synth-changes';
import type { TerraformJson } from './synth-output';

export interface PlanInput {
  /** The text of `terraform show -json <planfile>`. */
  readonly text: string;
  /** Names the input in error messages (usually its path). */
  readonly label: string;
  readonly stack: string;
}

export interface ReviewResult {
  readonly markdown: string;
  /** The Audit-risk findings, decided on real values; addresses and messages masked. */
  readonly findings: readonly Finding[];
  /** The changes as rendered: masked. */
  readonly stacks: readonly StackChanges[];
}

export interface SummaryOptions {
  readonly fullPlanUrl?: string;
  /** Total character budget of the output. @default 65000 */
  readonly limit?: number;
}

/**
 * The stack name for a plan file when `--stack` is not given: the file name without `.json`, or the
 * folder name for generic names (`cdktf.out/stacks/contoso-dev/plan.json` → `contoso-dev`).
 */
export function defaultStackName(path: string): string {
  const base = basename(path).replace(/\.json$/i, '').replace(/\.tfplan$/i, '');
  if (/^(tf)?plan$|^tfplan$/i.test(base) || base === '') return basename(dirname(path)) || 'default';
  return base;
}

/**
 * One comment body per stack, each with its own marker. With several stacks the budget is shared so the
 * whole output also stays under the limit.
 */
export function summarisePlans(inputs: readonly PlanInput[], options: SummaryOptions = {}): ReviewResult {
  const real = inputs.map((input) => planToStackChanges(parsePlanJson(input.text, input.label), input.stack));
  // One masking step for all plans: they end up in one output, so each plan's secrets are masked in every plan.
  const { stacks, findings } = maskForDisplay(real, findAuditRisks(real));
  const separator = '\n\n---\n\n';
  const total = options.limit ?? DEFAULT_BODY_LIMIT;
  const each = Math.floor((total - separator.length * (stacks.length - 1)) / Math.max(stacks.length, 1));
  const markdown = stacks.map((stack) => renderPlanComment(stack, findings, { limit: each, fullPlanUrl: options.fullPlanUrl })).join(separator);
  return { markdown, findings, stacks };
}

export function summariseSynthDiff(base: Map<string, TerraformJson>, head: Map<string, TerraformJson>, options: SummaryOptions = {}): ReviewResult {
  const real = diffSynthOutputs(base, head);
  const { stacks, findings } = maskForDisplay(real, findAuditRisks(real));
  const markdown = renderSynthDiffComment(stacks, findings, { limit: options.limit, fullPlanUrl: options.fullPlanUrl });
  return { markdown, findings, stacks };
}

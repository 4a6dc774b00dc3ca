/**
 * The two review pipelines, end to end but without process concerns (arguments, exit codes):
 * plan JSON texts → change model (real values) → Audit-risk findings (decided on real values)
 * → for synth diffs, optionally, the configuration settings that explain them (config-attribution.ts)
 * → the masking step (masking.ts) → markdown and text, both rendered from the masked copy only.
 */
import { basename, dirname } from 'node:path';
import { findAuditRisks } from './audit-risk';
import type { StackChanges } from './change-model';
import type { Palette } from '../io/colour';
import { DEFAULT_BODY_LIMIT, renderPlanComment, renderSynthDiffComment } from './markdown';
import { maskForDisplay } from './masking';
import { parsePlanJson } from './plan-json';
import { planToStackChanges } from './plan-changes';
import type { Finding } from './rules';
import { diffSynthOutputs } from './synth-changes';
import type { TerraformJson } from './synth-output';
import { renderPlanText, renderSynthDiffText } from './text';

export interface PlanInput {
  /** The text of `terraform show -json <planfile>`. */
  readonly text: string;
  /** Names the input in error messages (usually its path). */
  readonly label: string;
  readonly stack: string;
}

export interface ReviewResult {
  readonly markdown: string;
  /** The same report for a terminal: no markup, coloured with `palette` when given. */
  readonly text: string;
  /** The Audit-risk findings, decided on real values; addresses and messages masked. */
  readonly findings: readonly Finding[];
  /** The changes as rendered: masked. */
  readonly stacks: readonly StackChanges[];
}

export interface SummaryOptions {
  readonly fullPlanUrl?: string;
  /** Total character budget of the markdown. @default 65000 */
  readonly limit?: number;
  /** The commit the plans or synth outputs were made from: 7–40 hexadecimal digits. */
  readonly commit?: string;
  /** Colours of the text output. @default none */
  readonly palette?: Palette;
}

export interface SynthDiffOptions extends SummaryOptions {
  /**
   * Adds to each stack which configuration settings explain its changes and findings (real values
   * in, real values out; config-attribution.ts). Runs before the masking step.
   */
  readonly attribute?: (stacks: readonly StackChanges[], findings: readonly Finding[]) => StackChanges[];
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
  const markdown = stacks.map((stack) => renderPlanComment(stack, findings, { limit: each, fullPlanUrl: options.fullPlanUrl, commit: options.commit })).join(separator);
  const text = stacks.map((stack) => renderPlanText(stack, findings, { commit: options.commit, palette: options.palette })).join('\n');
  return { markdown, text, findings, stacks };
}

export function summariseSynthDiff(base: Map<string, TerraformJson>, head: Map<string, TerraformJson>, options: SynthDiffOptions = {}): ReviewResult {
  const diffed = diffSynthOutputs(base, head);
  const realFindings = findAuditRisks(diffed);
  const real = options.attribute ? options.attribute(diffed, realFindings) : diffed;
  const { stacks, findings } = maskForDisplay(real, realFindings);
  const markdown = renderSynthDiffComment(stacks, findings, { limit: options.limit, fullPlanUrl: options.fullPlanUrl, commit: options.commit });
  const text = renderSynthDiffText(stacks, findings, { commit: options.commit, palette: options.palette });
  return { markdown, text, findings, stacks };
}

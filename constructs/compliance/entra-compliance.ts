import { Aspects, IAspect, TerraformElement, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { InvalidPropsError, Problem, ProblemList, closest, show } from '../internal/validation';
import type { ControlId } from './controls';
import { AuditFacts, auditFacts } from './facts';
import { ComplianceProfile, profile, PROFILE_IDS, ProfileId } from './packs';
import type { ComplianceRule, Finding } from './rule';
import { findRule, COMPLIANCE_RULES, RULE_IDS } from './rules';

/** A rule the environment does not have to meet, and why. */
export interface ComplianceSuppression {
  /** The rule id, e.g. `EAL6`. */
  readonly rule: string;
  /** Why, in at least {@link MIN_SUPPRESSION_REASON_CHARS} characters: recorded in the synthesized metadata and in the report. */
  readonly reason: string;
}

export interface EntraComplianceProps {
  /**
   * The profiles whose rules the stack must meet.
   * @default - none: no rule is enforced (the coverage report is still written)
   */
  readonly profiles?: readonly ProfileId[];
  /**
   * Rules not enforced, each with a written reason; only rules of the selected profiles.
   * @default - none
   */
  readonly suppressions?: readonly ComplianceSuppression[];
  /** Figures NIST SP 800-53 leaves to the organization. @default - AU-11 retention 365 days */
  readonly nist80053?: { readonly retentionInDays?: number };
  /** A production environment: delete locks are required (EAL4). @default false */
  readonly production?: boolean;
  /**
   * Where the checked settings live, prefixed to each setting a violation names (the environment's path
   * in the configuration file, `tenants.contoso.environments.prod`).
   * @default - the settings are named alone (`storage.retentionInDays`), as the constructs' props
   */
  readonly settingPrefix?: string;
  /**
   * Fail synth (throw {@link ComplianceError}) when a rule of the selected profiles is violated; `false`
   * only collects the results (for a report of a configuration that does not comply).
   * @default true
   */
  readonly enforce?: boolean;
}

/** The shortest reason a suppression may give. */
export const MIN_SUPPRESSION_REASON_CHARS = 10;
/** The longest reason a suppression may give. */
export const MAX_SUPPRESSION_REASON_CHARS = 500;

/** Every problem with `props`, paths relative to the props. Pure: used by the aspect and by configuration validation. */
export function entraComplianceProblems(props: EntraComplianceProps): Problem[] {
  const p = new ProblemList();
  const profiles = props.profiles ?? [];
  profiles.forEach((id, i) => {
    p.oneOf(`profiles[${i}]`, id, PROFILE_IDS);
    if (profiles.indexOf(id) !== i) p.add(`profiles[${i}]`, id, `each profile once (${show(id)} is also profiles[${profiles.indexOf(id)}])`);
  });
  const selected = selectedRules(profiles.filter((id) => (PROFILE_IDS as readonly string[]).includes(id)), props);
  const seen = new Map<string, number>();
  (props.suppressions ?? []).forEach((s, i) => {
    const at = `suppressions[${i}]`;
    const rule = findRule(s.rule);
    if (!rule) {
      const hint = closest(s.rule, RULE_IDS);
      p.add(`${at}.rule`, s.rule, `a rule id, one of ${RULE_IDS.join(', ')}${hint ? ` (did you mean ${show(hint)}?)` : ''}`);
    } else if (!selected.has(s.rule)) {
      const where = PROFILE_IDS.filter((id) => profile(id, props).rules.some((r) => r.rule === s.rule));
      p.add(
        `${at}.rule`,
        s.rule,
        profiles.length === 0
          ? `a rule of a selected profile, and no profile is selected (compliance.profiles); ${s.rule} is in ${where.join(', ')}`
          : `a rule of the selected profiles (${profiles.join(', ')}): ${s.rule} is only in ${where.join(', ')}; remove the suppression`,
      );
    }
    const first = seen.get(s.rule);
    if (first !== undefined) p.add(`${at}.rule`, s.rule, `each rule suppressed once (also suppressions[${first}]): give one reason`);
    else seen.set(s.rule, i);
    const reason = typeof s.reason === 'string' ? s.reason.trim() : '';
    if (reason.length < MIN_SUPPRESSION_REASON_CHARS) {
      p.add(`${at}.reason`, s.reason, `a written reason of at least ${MIN_SUPPRESSION_REASON_CHARS} characters: why ${s.rule} does not apply here, recorded in the synthesized metadata and the report`);
    } else if (reason.length > MAX_SUPPRESSION_REASON_CHARS) {
      p.add(`${at}.reason`, `${reason.length} characters`, `a reason of at most ${MAX_SUPPRESSION_REASON_CHARS} characters; link to a longer document instead`);
    }
  });
  const nist = props.nist80053?.retentionInDays;
  if (nist !== undefined) {
    p.integerInRange('nist80053.retentionInDays', nist, 1, 36500);
    if (!profiles.includes('nist-800-53')) p.add('nist80053.retentionInDays', nist, 'nist-800-53 in profiles, or no nist80053 setting: the figure is used only by that profile');
  }
  return p.items;
}

/** The rules of the selected profiles, by id. */
function selectedRules(profiles: readonly ProfileId[], props: EntraComplianceProps): Set<string> {
  return new Set(profiles.flatMap((id) => profile(id, props).rules.map((r) => r.rule)));
}

/** The outcome of one rule for one stack. */
export interface RuleResult {
  readonly rule: ComplianceRule;
  /** The selected profiles that include it. */
  readonly profiles: readonly ProfileId[];
  /** The threshold checked: the strictest of the profiles' (rules with a threshold only). */
  readonly threshold?: number;
  /** Each profile's threshold, when the rule has one. */
  readonly thresholds: readonly { readonly profile: ProfileId; readonly threshold: number }[];
  /** The controls it stands for in the selected profiles. */
  readonly controls: readonly ControlId[];
  /** `pass`, `fail`, or `suppressed` (with a reason; its findings are kept). */
  readonly status: 'pass' | 'fail' | 'suppressed';
  readonly findings: readonly Finding[];
  readonly suppression?: ComplianceSuppression;
}

/** The compliance of one stack. */
export interface ComplianceResult {
  readonly profiles: readonly ProfileId[];
  /** One per rule of the selected profiles, in rule order. */
  readonly results: readonly RuleResult[];
  /** The findings that fail synth, rendered one line each. */
  readonly violations: readonly string[];
}

/** Checks `facts` against the rules of the selected profiles. Pure. */
export function evaluateCompliance(facts: AuditFacts, props: Omit<EntraComplianceProps, 'production' | 'enforce'>): ComplianceResult {
  const profiles = [...(props.profiles ?? [])];
  const selected: ComplianceProfile[] = profiles.map((id) => profile(id, props));
  const suppressions = new Map((props.suppressions ?? []).map((s) => [s.rule, s]));
  const results: RuleResult[] = [];
  const violations: string[] = [];
  for (const rule of COMPLIANCE_RULES) {
    const entries = selected.flatMap((p) => p.rules.filter((r) => r.rule === rule.id).map((r) => ({ profile: p.id, entry: r })));
    if (entries.length === 0) continue;
    const thresholds = rule.threshold ? entries.map((e) => ({ profile: e.profile, threshold: e.entry.threshold! })) : [];
    const threshold = rule.threshold ? (rule.threshold.stricter === 'higher' ? Math.max : Math.min)(...thresholds.map((t) => t.threshold)) : undefined;
    const findings = rule.check(facts, threshold);
    const suppression = suppressions.get(rule.id);
    const status = findings.length === 0 ? 'pass' : suppression ? 'suppressed' : 'fail';
    const result: RuleResult = {
      rule,
      profiles: entries.map((e) => e.profile),
      threshold,
      thresholds,
      controls: [...new Set(entries.flatMap((e) => e.entry.controls))],
      status,
      findings,
      suppression,
    };
    results.push(result);
    if (status === 'fail') violations.push(...findings.map((f) => renderViolation(result, f, props.settingPrefix)));
  }
  return { profiles, results, violations };
}

/** `[path] EAL6 AuditTrailRetained (pci-dss-4, at least 365 days): <setting>: <found>, got <value>; expected: <fix>` */
export function renderViolation(result: RuleResult, finding: Finding, settingPrefix?: string): string {
  const setting = settingPrefix ? `${settingPrefix}.${finding.setting}` : finding.setting;
  const t = result.rule.threshold;
  const figure = t && result.threshold !== undefined ? `, ${t.stricter === 'higher' ? 'at least' : 'at most'} ${result.threshold} ${t.unit}` : '';
  return `[${finding.constructPath}] ${result.rule.id} ${result.rule.name} (${result.profiles.join(', ')}${figure}): ${setting}: ${finding.found}, got ${show(finding.got)}; expected: ${finding.fix}`;
}

/** How to accept a violation, said once under the list. */
export const SUPPRESSION_HINT = `To accept a violation instead, add to the environment compliance.suppressions: [{ rule: <id>, reason: <why, at least ${MIN_SUPPRESSION_REASON_CHARS} characters> }]; the reason is recorded in the synthesized metadata and the coverage report.`;

/** Compliance violations: synth fails, and the message lists every violation, each with its rule, setting, construct and fix. */
export class ComplianceError extends Error {
  constructor(readonly violations: readonly string[]) {
    super(`${violations.length} compliance violation(s):\n${violations.map((v) => `  - ${v}`).join('\n')}\n${SUPPRESSION_HINT}`);
    this.name = 'ComplianceError';
  }
}

/** Records the profiles and suppressions in the stack's synthesized metadata (`//.metadata.compliance`). */
class ComplianceRecord extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: EntraComplianceProps,
  ) {
    super(scope, id);
  }

  override toMetadata(): Record<string, unknown> {
    return {
      compliance: {
        profiles: [...(this.props.profiles ?? [])],
        suppressions: (this.props.suppressions ?? []).map((s) => ({ rule: s.rule, reason: s.reason.trim() })),
      },
    };
  }
}

/**
 * Compliance checks as a cdktf Aspect (the cdk-nag model): on each stack it visits, reads the facts of
 * the audit logging (destinations and retention, routing, detections, reader app, locks) and checks them
 * against the rules of the selected profiles. A violation fails synth with a {@link ComplianceError}
 * naming the rule, the setting, the construct, what was found and what to change; a suppressed rule is
 * recorded instead.
 *
 * ```ts
 * new EntraCompliance({ profiles: ['baseline', 'pci-dss-4'] }).addTo(stack);
 * ```
 */
export class EntraCompliance implements IAspect {
  private readonly props: EntraComplianceProps;
  private readonly memo = new Map<string, { facts: AuditFacts; result: ComplianceResult }>();

  constructor(props: EntraComplianceProps = {}) {
    const problems = entraComplianceProblems(props);
    if (problems.length > 0) throw new InvalidPropsError('EntraCompliance', problems);
    this.props = props;
  }

  /** The compliance aspect added to `stack` with {@link addTo}, if any. */
  static of(stack: IConstruct): EntraCompliance | undefined {
    return Aspects.of(stack).all.find((a): a is EntraCompliance => a instanceof EntraCompliance);
  }

  /** Adds the checks to `stack`, and records the profiles and suppressions in its metadata when there are any. */
  addTo(stack: TerraformStack): this {
    Aspects.of(stack).add(this);
    if ((this.props.profiles ?? []).length > 0 || (this.props.suppressions ?? []).length > 0) new ComplianceRecord(stack, 'Compliance', this.props);
    return this;
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const { result } = this.evaluate(node);
    if ((this.props.enforce ?? true) && result.violations.length > 0) throw new ComplianceError(result.violations);
  }

  /** The facts of `stack` and its compliance (computed once). */
  evaluate(stack: IConstruct): { readonly facts: AuditFacts; readonly result: ComplianceResult } {
    let entry = this.memo.get(stack.node.path);
    if (!entry) {
      const facts = auditFacts(stack, { production: this.props.production });
      entry = { facts, result: evaluateCompliance(facts, this.props) };
      this.memo.set(stack.node.path, entry);
    }
    return entry;
  }

  /** The props, as given. */
  get options(): EntraComplianceProps {
    return this.props;
  }
}

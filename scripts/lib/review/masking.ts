/**
 * The one masking step: from the change model (real values, which the Audit-risk rules read) to the
 * copy every renderer sees. Nothing is masked after rendering: once markdown escaping has turned `~`
 * into `&#126;`, a secret can no longer be recognised in the text, so no secret may reach a renderer.
 *
 * In every string of the model (values, map keys, attribute paths, addresses, reasons):
 * 1. a position Terraform marks sensitive (`before_sensitive`/`after_sensitive`; `sensitive(...)` in
 *    synthesized JSON) becomes MASKED as a whole, so not even the keys of a sensitive map are shown;
 * 2. a value or map key equal to a known secret (sensitive variables and outputs, values at sensitive
 *    positions), whatever its length, is masked: Terraform does not mark every copy (1.11 leaves
 *    `terraform_data.output` unmarked in `before` although `input` was sensitive);
 * 3. every occurrence of a known secret of MIN_SECRET_TEXT_LENGTH characters or more inside a longer
 *    string becomes `(sensitive)`. Shorter secrets are masked only as whole values and keys: replacing
 *    every "30" inside other text would erase ordinary numbers and words;
 * 4. the user name and password of a URL (`https://user:pass@host/…`) become `(sensitive)`, marked or not.
 *
 * Findings: the rules decide on real values, so masking never hides a risk. Each finding's message is
 * then written again by the same rule from the masked change, so it quotes only masked values. Where
 * the masked change no longer gives the same findings (masking hid what the rule compares), the
 * message says that its details are withheld; the finding itself stays.
 */
import { mirrorAt } from './attribute-diff';
import type { AttributeChange, ResourceChange, SensitiveMirror, SettingAttribution, StackChanges } from './change-model';
import { AUDIT_RISK_RULES, type AuditRiskRule, type Finding, type RuleContext } from './rules';
import { MASKED, isObject, type Value, type ValueObject } from './values';

/** Secrets shorter than this are masked as whole values and keys only, not inside other text. */
export const MIN_SECRET_TEXT_LENGTH = 4;
/** What stands in a string where a secret was. */
export const SENSITIVE_TEXT = '(sensitive)';
/** The message of a finding whose own message would need a masked value to make sense. */
export const WITHHELD_MESSAGE = 'details not shown because they involve a sensitive value; see the full plan';

/** The user-information part of a URL: `scheme://` then anything up to an `@` before the host ends. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Masks known secrets (and positions marked sensitive) in values and text. */
export class SecretMask {
  private readonly whole: ReadonlySet<string>;
  private readonly inText: readonly string[];

  constructor(secrets: Iterable<string>) {
    const all = new Set([...secrets].filter((s) => s !== ''));
    this.whole = all;
    this.inText = [...all].filter((s) => s.length >= MIN_SECRET_TEXT_LENGTH);
  }

  /** `text` with every known secret and URL credential in it replaced by SENSITIVE_TEXT (overlapping secrets as one). */
  text(text: string): string {
    if (this.whole.has(text)) return SENSITIVE_TEXT;
    return this.secretsIn(text).replace(URL_CREDENTIALS, `$1${SENSITIVE_TEXT}@`);
  }

  private secretsIn(text: string): string {
    const hits: [number, number][] = [];
    for (const secret of this.inText) {
      for (let i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) hits.push([i, i + secret.length]);
    }
    if (hits.length === 0) return text;
    hits.sort((a, b) => a[0] - b[0]);
    let out = '';
    let position = 0;
    let end = -1;
    for (const [start, stop] of hits) {
      if (start > end) {
        if (end >= 0) out += SENSITIVE_TEXT;
        out += text.slice(position, start);
        end = stop;
      } else {
        end = Math.max(end, stop);
      }
      position = end;
    }
    return out + SENSITIVE_TEXT + text.slice(position);
  }

  /** A copy of `value`: positions marked in `mirror` and values equal to a secret become MASKED; secrets inside strings and keys are replaced. */
  value(value: Value | undefined, mirror: SensitiveMirror): Value | undefined {
    if (value === undefined) return undefined;
    if (mirror === true) return MASKED;
    if (typeof value === 'string') return this.whole.has(value) ? MASKED : this.text(value);
    if (typeof value === 'number') return this.whole.has(String(value)) ? MASKED : value;
    if (Array.isArray(value)) return value.map((item, i) => this.value(item, mirrorAt(mirror, i)) ?? null);
    if (isObject(value)) {
      const out: Record<string, Value> = {};
      for (const [key, item] of Object.entries(value)) {
        const shown = this.text(key);
        let unique = shown;
        for (let n = 2; Object.prototype.hasOwnProperty.call(out, unique); n += 1) unique = `${shown} ${n}`;
        out[unique] = this.value(item, mirrorAt(mirror, key)) ?? null;
      }
      return out;
    }
    return value;
  }
}

function maskAttribute(change: AttributeChange, mask: SecretMask): AttributeChange {
  return { path: mask.text(change.path), before: mask.value(change.before, change.beforeSensitive), after: mask.value(change.after, change.afterSensitive) };
}

function maskChange(change: ResourceChange, mask: SecretMask): ResourceChange {
  return {
    address: mask.text(change.address),
    ...(change.name !== undefined ? { name: mask.text(change.name) } : {}),
    ...(change.previousAddress !== undefined ? { previousAddress: mask.text(change.previousAddress) } : {}),
    type: mask.text(change.type),
    action: change.action,
    before: change.before === null ? null : (mask.value(change.before, change.beforeSensitive) as ValueObject),
    after: change.after === null ? null : (mask.value(change.after, change.afterSensitive) as ValueObject),
    attributes: change.attributes.map((a) => maskAttribute(a, mask)),
    ...(change.replacePaths !== undefined ? { replacePaths: change.replacePaths.map((p) => mask.text(p)) } : {}),
    ...(change.reason !== undefined ? { reason: mask.text(change.reason) } : {}),
    ...(change.preventDestroy !== undefined ? { preventDestroy: change.preventDestroy } : {}),
  };
}

/**
 * Settings are configuration values, not Terraform values: no sensitivity mirror marks them, so the
 * known secrets of every stack and URL credentials are masked in their paths and values alike.
 */
function maskAttribution(attribution: SettingAttribution, mask: SecretMask): SettingAttribution {
  return {
    effects: attribution.effects.map((effect) => ({
      settings: effect.settings.map((s) => ({ path: mask.text(s.path), before: mask.value(s.before, undefined), after: mask.value(s.after, undefined) })),
      addresses: effect.addresses.map((a) => mask.text(a)),
      findings: effect.findings.map((f) => ({ ruleId: f.ruleId, address: mask.text(f.address) })),
    })),
    unexplained: attribution.unexplained.map((a) => mask.text(a)),
    notes: attribution.notes.map((n) => mask.text(n)),
  };
}

/** The masked copy of one stack: no secret left in it, no sensitivity mirrors, no secrets list. */
export function maskStack(stack: StackChanges, mask: SecretMask): StackChanges {
  return {
    stack: stack.stack,
    source: stack.source,
    changes: stack.changes.map((c) => maskChange(c, mask)),
    notes: stack.notes.map((n) => mask.text(n)),
    ...(stack.presence !== undefined ? { presence: stack.presence } : {}),
    ...(stack.attribution !== undefined ? { attribution: maskAttribution(stack.attribution, mask) } : {}),
    secrets: [],
    locks: stack.locks?.map((l) => ({ ...l, parent: mask.text(l.parent), address: mask.text(l.address), covers: l.covers.map((c) => mask.text(c)) })),
  };
}

/**
 * The findings as they may be shown: same rules, stacks, order and number; addresses masked; each
 * message written again by its rule from the masked change, or WITHHELD_MESSAGE when that no longer
 * gives the same number of findings.
 */
export function maskFindings(
  findings: readonly Finding[],
  real: readonly StackChanges[],
  masked: readonly StackChanges[],
  mask: SecretMask,
  rules: readonly AuditRiskRule[] = AUDIT_RISK_RULES,
): Finding[] {
  const maskedChange = new Map<string, ResourceChange>();
  const maskedContext = new Map<string, RuleContext>();
  real.forEach((stack, i) => {
    maskedContext.set(stack.stack, { locks: masked[i].locks ?? [] });
    stack.changes.forEach((change, j) => maskedChange.set(`${stack.stack}\u0000${change.address}`, masked[i].changes[j]));
  });
  const groupOf = (f: Finding) => `${f.ruleId}\u0000${f.stack}\u0000${f.address}`;
  const sizes = new Map<string, number>();
  for (const f of findings) sizes.set(groupOf(f), (sizes.get(groupOf(f)) ?? 0) + 1);
  const rewritten = new Map<string, readonly string[] | undefined>();
  const used = new Map<string, number>();
  return findings.map((finding) => {
    const group = groupOf(finding);
    const change = maskedChange.get(`${finding.stack}\u0000${finding.address}`);
    if (!rewritten.has(group)) {
      const rule = rules.find((r) => r.id === finding.ruleId);
      const messages = rule && change ? rule.check(change, maskedContext.get(finding.stack) ?? { locks: [] }) : undefined;
      rewritten.set(group, messages && messages.length === sizes.get(group) ? messages : undefined);
    }
    const index = used.get(group) ?? 0;
    used.set(group, index + 1);
    return { ...finding, address: change ? change.address : mask.text(finding.address), message: rewritten.get(group)?.[index] ?? WITHHELD_MESSAGE };
  });
}

/** The masking step for a whole review: masked stacks and findings, with the secrets of every stack masked everywhere. */
export function maskForDisplay(
  stacks: readonly StackChanges[],
  findings: readonly Finding[],
  rules: readonly AuditRiskRule[] = AUDIT_RISK_RULES,
): { readonly stacks: StackChanges[]; readonly findings: Finding[] } {
  const mask = new SecretMask(stacks.flatMap((s) => s.secrets));
  const masked = stacks.map((s) => maskStack(s, mask));
  return { stacks: masked, findings: maskFindings(findings, stacks, masked, mask, rules) };
}

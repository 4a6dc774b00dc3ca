/**
 * Second and third lines of defence against printing a secret. The first is structural: values under
 * Terraform's `*_sensitive` mirrors are replaced by MASKED when the change model is built.
 *
 * - `maskKnownSecrets` masks any value equal to a known secret even where Terraform did not mark it
 *   (Terraform 1.11 leaves `terraform_data.output` unmarked in `before` although `input` was sensitive).
 * - `scrubText` removes every known secret of `MIN_SCRUB_LENGTH` characters or more from rendered text,
 *   in raw and HTML-escaped form. Shorter secrets are not scrubbed from free text (that would erase
 *   ordinary words and numbers) but are still masked structurally.
 */
import type { AttributeChange, ResourceChange, StackChanges } from './change-model';
import { MASKED, isObject, type Value, type ValueObject } from './values';

export const MIN_SCRUB_LENGTH = 4;
export const SCRUBBED = '(sensitive)';

function maskValue(value: Value | undefined, secrets: ReadonlySet<string>): Value | undefined {
  if (typeof value === 'string' || typeof value === 'number') return secrets.has(String(value)) ? MASKED : value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, secrets) ?? null);
  if (isObject(value)) {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, secrets) ?? null;
    return out;
  }
  return value;
}

export function maskKnownSecrets(stack: StackChanges): StackChanges {
  const secrets = new Set(stack.secrets.filter((s) => s !== ''));
  if (secrets.size === 0) return stack;
  const maskObject = (o: ValueObject | null): ValueObject | null => (o ? (maskValue(o, secrets) as ValueObject) : null);
  const changes = stack.changes.map(
    (c): ResourceChange => ({
      ...c,
      before: maskObject(c.before),
      after: maskObject(c.after),
      attributes: c.attributes.map(
        (a): AttributeChange => ({ path: a.path, before: maskValue(a.before, secrets), after: maskValue(a.after, secrets) }),
      ),
    }),
  );
  return { ...stack, changes };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A function that removes the given secrets from text (longest first, so no fragment survives). */
export function makeScrubber(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SCRUB_LENGTH) continue;
    forms.add(secret);
    forms.add(escapeHtml(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(escapeHtml(JSON.stringify(secret).slice(1, -1)));
  }
  const ordered = [...forms].filter((f) => f.length >= MIN_SCRUB_LENGTH).sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of ordered) out = out.split(form).join(SCRUBBED);
    return out;
  };
}

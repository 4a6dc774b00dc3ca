import { str, type Value } from '../values';
import { fmt, get, isModified } from './helpers';
import { CREDENTIAL_TYPES } from './credential-added';
import type { AuditRiskRule } from './rule';

/** Go duration text such as `8760h` or `90h30m` (azuread `end_date_relative`), in hours. */
export function durationHours(value: Value | undefined): number | undefined {
  const text = str(value);
  if (!text || !/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 1, m: 1 / 60, s: 1 / 3600, ms: 1 / 3.6e6, us: 1 / 3.6e9, µs: 1 / 3.6e9, ns: 1 / 3.6e12 };
  let hours = 0;
  for (const [, amount, , u] of text.matchAll(/(\d+(\.\d+)?)(h|ms|us|µs|ns|m|s)/g)) hours += Number(amount) * unit[u];
  return hours;
}

function dateMs(value: Value | undefined): number | undefined {
  const text = str(value);
  if (!text || text.includes('${')) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export const CredentialLifetimeExtended: AuditRiskRule = {
  id: 'AR14',
  name: 'CredentialLifetimeExtended',
  severity: 'high',
  description: 'Moves an application credential `end_date` later, lengthens `end_date_relative`, or removes the end date.',
  check(change) {
    if (!CREDENTIAL_TYPES[change.type] || !isModified(change)) return [];
    const beforeEnd = get(change.before, 'end_date');
    const afterEnd = get(change.after, 'end_date');
    const b = dateMs(beforeEnd);
    const a = dateMs(afterEnd);
    const out: string[] = [];
    if (b !== undefined && a !== undefined && a > b) out.push(`end_date extended from ${fmt(beforeEnd)} to ${fmt(afterEnd)}`);
    const bRel = durationHours(get(change.before, 'end_date_relative'));
    const aRel = durationHours(get(change.after, 'end_date_relative'));
    if (bRel !== undefined && aRel !== undefined && aRel > bRel) {
      out.push(`end_date_relative extended from ${fmt(get(change.before, 'end_date_relative'))} to ${fmt(get(change.after, 'end_date_relative'))}`);
    }
    const hadEnd = b !== undefined || bRel !== undefined;
    const hasEnd = str(afterEnd) !== undefined || str(get(change.after, 'end_date_relative')) !== undefined;
    if (hadEnd && !hasEnd && afterEnd === null) out.push('end date removed: the default lifetime applies');
    return out;
  },
};

import { blocks, firstBlock, num, str, type ValueObject } from '../values';
import { get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/**
 * `criteria { operator, threshold, failing_periods { minimum_failing_periods_to_trigger_alert } }`
 * (azurerm v4.55.0 monitor_scheduled_query_rules_alert_v2_resource.go). An alert fires when `<measure> <operator> <threshold>`:
 * with GreaterThan(OrEqual) a higher threshold fires less; with LessThan(OrEqual) a lower one does;
 * with Equal any other threshold stops the original condition from firing.
 */
type Direction = 'up' | 'down' | 'equal';
const OPERATORS: Readonly<Record<string, { direction: Direction; inclusive: boolean }>> = {
  GreaterThan: { direction: 'up', inclusive: false },
  GreaterThanOrEqual: { direction: 'up', inclusive: true },
  LessThan: { direction: 'down', inclusive: false },
  LessThanOrEqual: { direction: 'down', inclusive: true },
  Equal: { direction: 'equal', inclusive: true },
};

function describe(c: ValueObject): string {
  return `${str(c.operator) ?? '?'} ${num(c.threshold) ?? '?'}`;
}

/** Whether criterion `a` fires on fewer values than `b`. Undefined when not comparable. */
function looser(b: ValueObject, a: ValueObject): boolean | undefined {
  const ob = OPERATORS[str(b.operator) ?? ''];
  const oa = OPERATORS[str(a.operator) ?? ''];
  const tb = num(b.threshold);
  const ta = num(a.threshold);
  if (!ob || !oa || tb === undefined || ta === undefined) return undefined;
  if (ob.direction !== oa.direction) return true; // a different condition altogether
  if (oa.direction === 'equal') return ta !== tb;
  const sign = oa.direction === 'up' ? 1 : -1;
  if (sign * (ta - tb) > 0) return true;
  if (ta === tb) return ob.inclusive && !oa.inclusive;
  return false;
}

export const AlertThresholdLoosened: AuditRiskRule = {
  id: 'AR16',
  name: 'AlertThresholdLoosened',
  severity: 'medium',
  description: 'Loosens an alert rule condition: the threshold moved in the direction that fires less often for its operator, or more failing periods are needed.',
  check(change) {
    if (change.type !== 'azurerm_monitor_scheduled_query_rules_alert_v2' || !isModified(change)) return [];
    const before = blocks(get(change.before, 'criteria'));
    const after = blocks(get(change.after, 'criteria'));
    const out: string[] = [];
    after.forEach((a, i) => {
      const b = before[i];
      if (!b) return;
      if (looser(b, a)) out.push(`criteria[${i}] loosened from "${describe(b)}" to "${describe(a)}"`);
      const fb = num(firstBlock(b.failing_periods)?.minimum_failing_periods_to_trigger_alert);
      const fa = num(firstBlock(a.failing_periods)?.minimum_failing_periods_to_trigger_alert);
      if (fb !== undefined && fa !== undefined && fa > fb) out.push(`criteria[${i}] now needs ${fa} failing periods instead of ${fb}`);
    });
    return out;
  },
};

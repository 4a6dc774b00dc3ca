import { firstBlock, num, type ValueObject } from '../values';
import { get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/**
 * `azurerm_eventhub` sets exactly one of `message_retention` (days) and
 * `retention_description { retention_time_in_hours }` (azurerm v4.55.0 eventhub_resource.go): compare in hours.
 */
function retentionHours(hub: ValueObject): number | undefined {
  const hours = num(firstBlock(get(hub, 'retention_description'))?.retention_time_in_hours);
  if (hours !== undefined) return hours;
  const days = num(get(hub, 'message_retention'));
  return days === undefined ? undefined : days * 24;
}

function hoursText(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24} day(s)` : `${hours} hours`;
}

export const EventHubRetentionReduced: AuditRiskRule = {
  id: 'AR10',
  name: 'EventHubRetentionReduced',
  severity: 'high',
  description: 'Reduces an Event Hub retention (`message_retention` or `retention_description.retention_time_in_hours`).',
  check(change) {
    if (change.type !== 'azurerm_eventhub' || !isModified(change)) return [];
    const before = retentionHours(change.before);
    const after = retentionHours(change.after);
    if (before === undefined || after === undefined || after >= before) return [];
    return [`Event Hub retention reduced from ${hoursText(before)} to ${hoursText(after)}`];
  },
};

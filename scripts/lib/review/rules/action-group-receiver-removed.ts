import { blocks, bool, str, type ValueObject } from '../values';
import { get, isModified } from './helpers';
import type { AuditRiskRule } from './rule';

/**
 * Receiver blocks of `azurerm_monitor_action_group` (names unique across all receivers; `enabled`
 * defaults to true: azurerm v4.55.0 monitor_action_group_resource.go; block list from the
 * @cdktf/provider-azurerm 14.23.1 bindings).
 */
const RECEIVER_BLOCKS: readonly string[] = [
  'arm_role_receiver',
  'automation_runbook_receiver',
  'azure_app_push_receiver',
  'azure_function_receiver',
  'email_receiver',
  'event_hub_receiver',
  'itsm_receiver',
  'logic_app_receiver',
  'sms_receiver',
  'voice_receiver',
  'webhook_receiver',
];

function receivers(group: ValueObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of RECEIVER_BLOCKS) {
    blocks(get(group, block)).forEach((receiver, i) => {
      const name = str(receiver.name) ?? `#${i + 1}`;
      out.set(`${block}:${name}`.toLowerCase(), `${block} ${name}`);
    });
  }
  return out;
}

export const ActionGroupReceiverRemoved: AuditRiskRule = {
  id: 'AR12',
  name: 'ActionGroupReceiverRemoved',
  severity: 'high',
  description: 'Removes a receiver from an action group, or disables the group.',
  check(change) {
    if (change.type !== 'azurerm_monitor_action_group' || !isModified(change)) return [];
    const after = receivers(change.after);
    const out = [...receivers(change.before).entries()].filter(([key]) => !after.has(key)).map(([, label]) => `receiver removed: ${label}`);
    if (bool(get(change.before, 'enabled'), true) === true && bool(get(change.after, 'enabled'), true) === false) {
      out.push('action group disabled: no receiver is notified');
    }
    return out;
  },
};

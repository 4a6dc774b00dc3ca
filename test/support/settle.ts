/**
 * What Azure fills in when a configuration leaves an attribute out, for the attributes where that
 * matters: Optional, not Computed, no schema default, and Read stores Azure's value. Left out, every
 * plan after apply shows a change back to null. Each entry cites where that was read
 * (hashicorp/terraform-provider-azurerm, internal/services/..., at v4.55.0 or the nearest 4.x copy).
 *
 * Checked and safe to leave out (Optional+Computed, a schema Default, or Read stores a zero value):
 * - azurerm_log_analytics_workspace: retention_in_days and sku are Optional+Computed; the rest have Defaults.
 * - azurerm_eventhub_namespace: network_rulesets Optional+Computed; capacity, auto_inflate_enabled,
 *   minimum_tls_version have Defaults; maximum_throughput_units reads 0 while auto-inflate is off.
 * - azurerm_eventhub: the toolkit always writes message_retention (ExactlyOneOf with retention_description).
 * - azurerm_storage_account: blob_properties and network_rules are Optional+Computed; the retention
 *   policies' days default to 7.
 * - azurerm_storage_management_policy: every day count defaults to -1 and Read starts from -1.
 * - azurerm_monitor_scheduled_query_rules_alert_v2, azurerm_monitor_action_group, azurerm_storage_container,
 *   azurerm_storage_container_immutability_policy, azurerm_eventhub_consumer_group,
 *   azurerm_eventhub_namespace_authorization_rule, azurerm_management_lock: their acceptance tests leave
 *   the optional attributes out without expecting a non-empty plan.
 */
import type { SynthJson } from './synth';

type R = Record<string, any>;

export interface FilledAttribute {
  /** Attribute path; `[]` marks every element of a block list. */
  readonly path: string;
  /** Whether it applies to this resource (e.g. only Analytics tables). */
  readonly appliesTo?: (resource: R) => boolean;
  /** What Azure stores when the configuration leaves it out. */
  readonly filled: (resource: R, stack: SynthJson) => unknown;
  readonly source: string;
}

/** The workspace retention a table inherits: the referenced workspace's, or Azure's default of 30 days. */
function workspaceRetention(table: R, stack: SynthJson): unknown {
  const ref = /^\$\{azurerm_log_analytics_workspace\.([\w-]+)\.id\}$/.exec(String(table.workspace_id));
  const workspace = ref ? stack.resource?.azurerm_log_analytics_workspace?.[ref[1]] : undefined;
  return workspace?.retention_in_days ?? 30;
}

export const FILLED_BY_AZURE: Readonly<Record<string, readonly FilledAttribute[]>> = {
  azurerm_log_analytics_workspace_table: [
    {
      path: 'retention_in_days',
      appliesTo: (r) => (r.plan ?? 'Analytics') === 'Analytics',
      filled: workspaceRetention,
      source: 'loganalytics/log_analytics_workspace_table_resource.go: Optional, no Computed; Read sets it on Analytics tables; TestAccLogAnalyticsWorkspaceTable_updateTableRetention expects a non-empty plan',
    },
    {
      path: 'total_retention_in_days',
      filled: (r, stack) => r.retention_in_days ?? workspaceRetention(r, stack),
      source: 'loganalytics/log_analytics_workspace_table_resource.go: Optional, no Computed; Read always sets it',
    },
  ],
  azurerm_monitor_aad_diagnostic_setting: [
    {
      path: 'enabled_log[].retention_policy',
      filled: () => ({ enabled: false, days: 0 }),
      source: 'monitor/monitor_aad_diagnostic_setting_resource.go: flattenMonitorAADDiagnosticEnabledLogs stores the retention policy Azure returns (UNCONFIRMED that Azure always returns one); without one in the configuration the block is not even sent',
    },
  ],
};

/** The paths (with element indexes) where `resource` leaves a filled attribute out. */
export function missingFilled(type: string, resource: R): string[] {
  const out: string[] = [];
  for (const attribute of FILLED_BY_AZURE[type] ?? []) {
    if (attribute.appliesTo && !attribute.appliesTo(resource)) continue;
    const [list, rest] = attribute.path.split('[].');
    if (rest === undefined) {
      if (resource[list] === undefined) out.push(list);
    } else {
      (resource[list] as R[] | undefined)?.forEach((element, i) => {
        if (element[rest] === undefined) out.push(`${list}[${i}].${rest}`);
      });
    }
  }
  return out;
}

/** The state Read stores after an apply of `resource`: the configuration with Azure's fill-ins. */
export function stateAfterApply(type: string, resource: R, stack: SynthJson): R {
  const state: R = JSON.parse(JSON.stringify(resource));
  delete state.lifecycle;
  delete state.depends_on;
  for (const attribute of FILLED_BY_AZURE[type] ?? []) {
    if (attribute.appliesTo && !attribute.appliesTo(resource)) continue;
    const [list, rest] = attribute.path.split('[].');
    if (rest === undefined) state[list] ??= attribute.filled(resource, stack);
    else for (const element of (state[list] as R[] | undefined) ?? []) element[rest] ??= attribute.filled(resource, stack);
  }
  return state;
}

/**
 * The plan Terraform would show right after applying `stack`: for each resource, the prior state is
 * what Read stored, and the planned value is the configuration (an attribute left out plans as null).
 */
export function planAfterApply(stack: SynthJson): R {
  const resource_changes: R[] = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) {
      const before = stateAfterApply(type, resource, stack);
      const after: R = JSON.parse(JSON.stringify(before));
      for (const attribute of FILLED_BY_AZURE[type] ?? []) {
        const [list, rest] = attribute.path.split('[].');
        if (rest === undefined) after[list] = resource[list] ?? null;
        else (after[list] as R[] | undefined)?.forEach((element, i) => (element[rest] = (resource[list] as R[])[i][rest] ?? null));
      }
      const same = JSON.stringify(before) === JSON.stringify(after);
      resource_changes.push({
        address: `${type}.${name}`,
        mode: 'managed',
        type,
        name,
        change: { actions: [same ? 'no-op' : 'update'], before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
      });
    }
  }
  return { format_version: '1.2', terraform_version: '1.11.4', resource_changes };
}

/**
 * CanNotDelete management locks and what they protect, for the lock rule (LockedParentChange).
 *
 * A lock is inherited by every child of the resource it is on (learn.microsoft.com/azure/azure-resource-manager/management/lock-resources):
 * deleting a container, lifecycle or immutability policy, hub, consumer group or authorization rule
 * under a locked storage account or namespace fails with `ScopeLocked`, and so does deleting the locked
 * resource itself. Tables are not affected: removing a workspace table resource is a PUT back to the
 * workspace retention, not a DELETE (log_analytics_workspace_table_resource.go, azurerm v4.55.0).
 */
import type { DeleteLock } from './change-model';
import { isObject } from './values';

/** Resource types whose destroy is an ARM DELETE under the locked parent, and so is refused while the lock stands. */
export const DELETE_BLOCKED_TYPES: ReadonlySet<string> = new Set([
  'azurerm_log_analytics_workspace',
  'azurerm_eventhub_namespace',
  'azurerm_eventhub',
  'azurerm_eventhub_consumer_group',
  'azurerm_eventhub_namespace_authorization_rule',
  'azurerm_eventhub_authorization_rule',
  'azurerm_storage_account',
  'azurerm_storage_container',
  'azurerm_storage_management_policy',
  'azurerm_storage_container_immutability_policy',
]);

interface Resource {
  readonly address: string;
  readonly type: string;
  /** Attribute values: ARM ids in a plan, `${...}` references in synthesized configuration. */
  readonly values: Record<string, unknown>;
}

const isLock = (r: Resource) => r.type === 'azurerm_management_lock' && r.values.lock_level === 'CanNotDelete' && typeof r.values.scope === 'string';

/**
 * Locks of a plan's prior state. `resources` are every managed resource of the plan (no-op ones too)
 * with their values before the change; `removed` are the addresses this plan deletes or replaces.
 * A resource is under a lock when its ARM id is the lock's scope or lies below it.
 */
export function planLocks(resources: readonly Resource[], removed: ReadonlySet<string>): DeleteLock[] {
  return resources.filter(isLock).map((lock) => {
    const scope = String(lock.values.scope).toLowerCase().replace(/\/+$/, '');
    const under = resources.filter((r) => {
      const id = typeof r.values.id === 'string' ? r.values.id.toLowerCase() : undefined;
      return DELETE_BLOCKED_TYPES.has(r.type) && id !== undefined && (id === scope || id.startsWith(`${scope}/`));
    });
    const parent = under.find((r) => String(r.values.id).toLowerCase() === scope)?.address ?? String(lock.values.scope);
    return { address: lock.address, parent, covers: under.map((r) => r.address), removed: removed.has(lock.address) };
  });
}

/** Every `type.name` a configuration value refers to (`${azurerm_storage_account.x.id}` → `azurerm_storage_account.x`). */
function references(value: unknown, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 64) return out;
  if (typeof value === 'string') for (const m of value.matchAll(/\b(azurerm_[a-z0-9_]+\.[A-Za-z0-9_-]+)\./g)) out.add(m[1]);
  else if (Array.isArray(value)) for (const v of value) references(v, out, depth + 1);
  else if (isObject(value)) for (const v of Object.values(value)) references(v, out, depth + 1);
  return out;
}

/**
 * Locks of a synthesized base stack. The lock's scope refers to the locked resource; a resource is under
 * it when it is that resource, or refers to it directly or through resources that do (an immutability
 * policy names its container, which names the account).
 */
export function synthLocks(resources: readonly Resource[], removed: ReadonlySet<string>): DeleteLock[] {
  const refs = new Map(resources.map((r) => [r.address, references(r.values)]));
  return resources.filter(isLock).flatMap((lock) => {
    const [parent] = [...references(lock.values.scope)];
    if (!parent) return [];
    const under = new Set([parent]);
    for (let grew = true, rounds = 0; grew && rounds < 8; rounds++) {
      grew = false;
      for (const r of resources) {
        if (under.has(r.address) || r.type === 'azurerm_management_lock') continue;
        if ([...(refs.get(r.address) ?? [])].some((a) => under.has(a))) {
          under.add(r.address);
          grew = true;
        }
      }
    }
    const covers = resources.filter((r) => under.has(r.address) && DELETE_BLOCKED_TYPES.has(r.type)).map((r) => r.address);
    return [{ address: lock.address, parent, covers, removed: removed.has(lock.address) }];
  });
}

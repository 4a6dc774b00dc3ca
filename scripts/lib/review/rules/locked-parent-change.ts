import type { AuditRiskRule } from './rule';

/** Where the procedure is written down. */
export const LOCK_RUNBOOK = 'docs/operations.md#changes-under-a-delete-lock';

/**
 * A delete or replace of a resource under a CanNotDelete lock: Azure refuses the DELETE with
 * `ScopeLocked`, because a lock is inherited by every child of the locked resource
 * (learn.microsoft.com/azure/azure-resource-manager/management/lock-resources). The apply would fail
 * half-way. Not reported when the same change removes the lock: the lock depends on what it protects,
 * so Terraform removes it first.
 */
export const LockedParentChange: AuditRiskRule = {
  id: 'AR17',
  name: 'LockedParentChange',
  severity: 'high',
  description:
    'Deletes or replaces a resource under a CanNotDelete lock (a container, lifecycle or immutability policy, hub, consumer group, authorization rule, or the locked resource itself): the apply fails with ScopeLocked unless the lock is suspended in the same change.',
  check(change, context) {
    if (change.action !== 'delete' && change.action !== 'replace') return [];
    return (context?.locks ?? [])
      .filter((lock) => !lock.removed && (lock.covers.includes(change.address) || (change.previousAddress !== undefined && lock.covers.includes(change.previousAddress))))
      .map(
        (lock) =>
          `blocked by the CanNotDelete lock on ${lock.parent} (${lock.address}): Azure refuses this ${change.action === 'delete' ? 'delete' : 'replacement'} with ScopeLocked. ` +
          `Set protection.lockSuspension with a reason in this change (the lock is then removed before it), apply, then remove the setting and apply again (${LOCK_RUNBOOK}).`,
      );
  },
};

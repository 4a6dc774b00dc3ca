import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/** How a destination that holds audit data is protected against deletion. */
export interface AuditDataProtection {
  /**
   * Put a `CanNotDelete` management lock on the destination. `ReadOnly` is never used: it blocks
   * POST calls such as storage `listKeys`, which diagnostic configuration needs (learn.microsoft.com
   * `azure-resource-manager/management/lock-resources`).
   * @default false
   */
  readonly lock?: boolean;
  /**
   * Why the lock is off for now: while set, no lock is declared, so the next apply removes it (before any
   * child it protects is deleted or replaced in that apply). Synth warns while it is set. Remove it after the
   * change and apply again to restore the lock (docs/operations.md, "Changes under a delete lock").
   * @default - not suspended
   */
  readonly lockSuspension?: { readonly reason: string };
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the destination resources this toolkit creates,
   * so that a plan that would destroy them fails.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

export interface AuditDataLockProps {
  /** ARM id of the resource to lock (a workspace, an Event Hub namespace, a storage account). */
  readonly scope: string;
  /** Why the lock is there, shown in the portal (at most 512 characters). */
  readonly notes?: string;
  /** What the lock is created after (and removed before). @default - nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * A `CanNotDelete` management lock on a resource that holds audit data.
 * Locks act on the control plane only: they do not stop blob deletion through the data plane
 * (use immutability for that): learn.microsoft.com/azure/azure-resource-manager/management/lock-resources.
 */
export class AuditDataLock extends Construct {
  /** The lock resource. */
  readonly resource: ManagementLock;

  constructor(scope: Construct, id: string, props: AuditDataLockProps) {
    super(scope, id);
    this.resource = new ManagementLock(this, 'Resource', {
      name: 'entra-audit-do-not-delete',
      scope: props.scope,
      lockLevel: 'CanNotDelete',
      notes: (props.notes ?? 'Holds Microsoft Entra audit and sign-in logs; managed by entra-audit-logging.').slice(0, 512),
      dependsOn: props.dependsOn && props.dependsOn.length > 0 ? [...props.dependsOn] : undefined,
    });
  }
}

/** Applies {@link AuditDataProtection} to a destination: a lock on `lockScope`, prevent_destroy on `resources`. */
export function protectAuditData(
  scope: Construct,
  protection: AuditDataProtection | undefined,
  lockScope: string,
  resources: readonly TerraformResource[],
): AuditDataLock | undefined {
  if (protection?.preventDestroy) {
    for (const resource of resources) resource.addOverride('lifecycle.prevent_destroy', true);
  }
  if (!protection?.lock || protection.lockSuspension) return undefined;
  // The lock waits for everything else the destination declares. Terraform destroys in reverse
  // dependency order, so when the lock is removed (protection.lockSuspension) in the same apply as a
  // change that deletes or replaces one of its children (a container, a hub, a lifecycle policy), the
  // lock goes first and the child's delete is not refused with ScopeLocked
  // (learn.microsoft.com/azure/azure-resource-manager/management/lock-resources: locks are inherited by child resources).
  const children = scope.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource && !resources.includes(c));
  return new AuditDataLock(scope, 'Lock', { scope: lockScope, dependsOn: children });
}

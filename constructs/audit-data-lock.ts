import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { TerraformResource } from 'cdktf';
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
}

/**
 * A `CanNotDelete` management lock on a resource that holds audit data.
 * Locks act on the control plane only: they do not stop blob deletion through the data plane
 * (use immutability for that) — azure-facts.md §3 `azurerm_management_lock`.
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
  return protection?.lock ? new AuditDataLock(scope, 'Lock', { scope: lockScope }) : undefined;
}

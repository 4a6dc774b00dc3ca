import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageContainerImmutabilityPolicy } from '@cdktf/provider-azurerm/lib/storage-container-immutability-policy';
import { StorageManagementPolicy, StorageManagementPolicyRule } from '@cdktf/provider-azurerm/lib/storage-management-policy';
import { Construct } from 'constructs';
import { AuditDataLock, AuditDataProtection, protectAuditData } from './audit-data-lock';
import { insightsContainerName } from './internal/log-categories';
import { NetworkRules, networkRulesProblems } from './internal/network';
import { MAX_STORAGE_ACCOUNT_TAG_NAME_CHARS, tagProblems } from './internal/tags';
import { armIdPattern, Problem, ProblemList, throwIfProblems } from './internal/validation';

/** Replication types of a Standard general-purpose v2 account (azurerm v4.55.0 storage_account_resource.go, `account_replication_type`). */
export const STORAGE_REPLICATION_TYPES = ['LRS', 'GRS', 'RAGRS', 'ZRS', 'GZRS', 'RAGZRS'] as const;
export type StorageReplicationType = (typeof STORAGE_REPLICATION_TYPES)[number];

/** Time-based retention (WORM) on the `insights-logs-*` containers. */
export interface StorageImmutability {
  /** Days each blob is immutable after its last modification: 1–146000 (TFAZ `storage_container_immutability_policy_resource.go`: `IntBetween(1, 146000)`). */
  readonly periodInDays: number;
  /**
   * Lock the policy. Irreversible: a locked policy can only be extended (at most 5 times), and the
   * containers and the account can no longer be deleted while they hold protected blobs.
   * @default false
   */
  readonly locked?: boolean;
}

export interface StorageArchiveDestinationProps {
  /**
   * ARM id of an existing StorageV2 account to archive to.
   * @default - a new, hardened account is created
   */
  readonly existingAccountId?: string;
  /** Name of the new account: 3–24 lowercase letters and digits, globally unique. Required unless `existingAccountId` is set. */
  readonly accountName?: string;
  /** Resource group of the new account. Required unless `existingAccountId` is set. */
  readonly resourceGroupName?: string;
  /** Azure region of the new account. Required unless `existingAccountId` is set. */
  readonly location?: string;
  /** @default 'GZRS' */
  readonly replicationType?: StorageReplicationType;
  /**
   * The log categories archived here: one `insights-logs-<category>` container is created for each,
   * and the lifecycle policy covers exactly those containers.
   */
  readonly categories: readonly string[];
  /**
   * Days after their last modification that archived log blobs (and their old versions and
   * snapshots) are deleted by the lifecycle policy: 1–99999, and at least the immutability period.
   * @default 365
   */
  readonly retentionInDays?: number;
  /**
   * Manage the account's lifecycle policy. An account has only one policy, so on an existing account
   * this replaces whatever policy it has: turn it off there if the account's policy is managed elsewhere.
   * @default true
   */
  readonly manageLifecyclePolicy?: boolean;
  /** Time-based immutability with protected append writes. @default - none */
  readonly immutability?: StorageImmutability;
  /** Days deleted blobs and containers stay recoverable: 1–365. @default 30 */
  readonly softDeleteRetentionInDays?: number;
  /**
   * Allow shared-key access to the account. Off by default (no long-lived keys); Terraform then uses
   * Entra ID for the storage data plane. Whether Azure Monitor's export needs shared keys is not
   * documented; Microsoft's own quickstarts disable them on diagnostics accounts (see docs/decisions.md).
   * @default false
   */
  readonly sharedAccessKeyEnabled?: boolean;
  /** Network access: default-deny with trusted Microsoft services (which the Entra export needs) allowed. @default - no IP or subnet allowed */
  readonly networkRules?: NetworkRules;
  /** Protection against deletion (account). @default - none */
  readonly protection?: AuditDataProtection;
  /** Tags for the new account. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

const ACCOUNT_ID = armIdPattern('Microsoft.Storage/storageAccounts');
const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
/** Lifecycle rules take at most 10 prefixes each (lifecycle-management-policy-structure.md). */
const PREFIXES_PER_RULE = 10;

export function storageArchiveDestinationProblems(props: StorageArchiveDestinationProps): Problem[] {
  const p = new ProblemList();
  if (props.existingAccountId !== undefined) {
    p.matches('existingAccountId', props.existingAccountId, ACCOUNT_ID, 'an ARM id like /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>');
  } else {
    if (props.accountName === undefined) p.add('accountName', undefined, 'a storage account name (or set existingAccountId)');
    p.matches('accountName', props.accountName, ACCOUNT_NAME, '3–24 lowercase letters and digits');
    if (props.resourceGroupName === undefined) p.add('resourceGroupName', undefined, 'a resource group name');
    if (props.location === undefined) p.add('location', undefined, 'an Azure region');
  }
  p.oneOf('replicationType', props.replicationType, STORAGE_REPLICATION_TYPES);
  p.integerInRange('retentionInDays', props.retentionInDays, 1, 99999);
  p.integerInRange('softDeleteRetentionInDays', props.softDeleteRetentionInDays, 1, 365);
  if (props.immutability) {
    p.integerInRange('immutability.periodInDays', props.immutability.periodInDays, 1, 146000);
    const retention = props.retentionInDays ?? 365;
    if (props.manageLifecyclePolicy !== false && Number.isInteger(props.immutability.periodInDays) && retention < props.immutability.periodInDays) {
      p.add('retentionInDays', retention, `at least immutability.periodInDays (${props.immutability.periodInDays}): Azure cannot delete immutable blobs`);
    }
  }
  networkRulesProblems(p, props.networkRules);
  if (new Set(props.categories).size !== props.categories.length) p.add('categories', props.categories, 'each category once');
  p.items.push(...tagProblems(props.tags, { maxNameChars: MAX_STORAGE_ACCOUNT_TAG_NAME_CHARS }));
  return p.items;
}

/**
 * The archive destination: a hardened StorageV2 account (or an existing one), an `insights-logs-<category>`
 * container per archived category, a lifecycle policy that deletes the hourly append blobs after the
 * retention period, and optional time-based immutability.
 *
 * Append blobs cannot be tiered to Cool, Cold or Archive, so the policy only deletes
 * (learn.microsoft.com/azure/storage/blobs/lifecycle-management-policy-structure).
 */
export class StorageArchiveDestination extends Construct {
  /** ARM id of the account. */
  readonly accountId: string;
  /** The account created here, if any. */
  readonly account?: StorageAccount;
  /** Containers, by category. */
  readonly containers: Readonly<Record<string, StorageContainer>>;
  /** The archived categories. */
  readonly categories: readonly string[];
  /** Days the lifecycle policy keeps archived logs; undefined when this construct does not manage the policy. */
  readonly retentionInDays?: number;
  /** The immutability (WORM) policy on each container, if any. */
  readonly immutability?: StorageImmutability;
  /** The protection asked for. */
  readonly protection: AuditDataProtection;
  /** The delete lock, when `protection.lock` is on and not suspended. */
  readonly lock?: AuditDataLock;

  constructor(scope: Construct, id: string, props: StorageArchiveDestinationProps) {
    super(scope, id);
    throwIfProblems(this, storageArchiveDestinationProblems(props));
    const softDelete = props.softDeleteRetentionInDays ?? 30;

    if (props.existingAccountId !== undefined) {
      this.accountId = props.existingAccountId;
    } else {
      const ipRules = [...(props.networkRules?.ipRules ?? [])];
      this.account = new StorageAccount(this, 'Resource', {
        name: props.accountName!,
        resourceGroupName: props.resourceGroupName!,
        location: props.location!,
        // Diagnostic export supports Standard general-purpose accounts only, without hierarchical
        // namespace or Azure-DNS-zone endpoints (learn.microsoft.com/azure/azure-monitor/platform/diagnostic-settings,
        // destination limitations).
        accountKind: 'StorageV2',
        accountTier: 'Standard',
        accountReplicationType: props.replicationType ?? 'GZRS',
        isHnsEnabled: false,
        dnsEndpointType: 'Standard',
        accessTier: 'Hot',
        minTlsVersion: 'TLS1_2',
        httpsTrafficOnlyEnabled: true,
        allowNestedItemsToBePublic: false,
        sharedAccessKeyEnabled: props.sharedAccessKeyEnabled ?? false,
        defaultToOauthAuthentication: true,
        infrastructureEncryptionEnabled: true,
        crossTenantReplicationEnabled: false,
        localUserEnabled: false,
        sftpEnabled: false,
        publicNetworkAccessEnabled: true,
        networkRules: {
          defaultAction: 'Deny',
          // The Entra export reaches the account as a trusted Microsoft service.
          bypass: ['AzureServices'],
          ipRules,
          virtualNetworkSubnetIds: [...(props.networkRules?.subnetIds ?? [])],
        },
        blobProperties: {
          versioningEnabled: true,
          deleteRetentionPolicy: { days: softDelete },
          containerDeleteRetentionPolicy: { days: softDelete },
        },
        tags: props.tags ? { ...props.tags } : undefined,
      });
      this.accountId = this.account.id;
    }

    const containerScope = new Construct(this, 'Containers');
    const containers: Record<string, StorageContainer> = {};
    for (const category of props.categories) {
      const container = new StorageContainer(containerScope, category, {
        name: insightsContainerName(category),
        storageAccountId: this.accountId,
        containerAccessType: 'private',
      });
      containers[category] = container;
      if (props.immutability) {
        new StorageContainerImmutabilityPolicy(container, 'Immutability', {
          storageContainerResourceManagerId: container.id,
          immutabilityPeriodInDays: props.immutability.periodInDays,
          locked: props.immutability.locked ?? false,
          // Azure Monitor appends to hourly PT1H.json append blobs: appends must stay allowed.
          protectedAppendWritesEnabled: true,
        });
      }
    }
    this.containers = containers;
    this.categories = [...props.categories];
    this.immutability = props.immutability;
    if (props.manageLifecyclePolicy !== false) this.retentionInDays = props.retentionInDays ?? 365;

    if (props.manageLifecyclePolicy !== false && props.categories.length > 0) {
      const retention = props.retentionInDays ?? 365;
      const prefixes = props.categories.map(insightsContainerName);
      const rules: StorageManagementPolicyRule[] = [];
      for (let i = 0; i < prefixes.length; i += PREFIXES_PER_RULE) {
        rules.push({
          name: `delete-entra-logs-${rules.length + 1}`,
          enabled: true,
          filters: { blobTypes: ['appendBlob'], prefixMatch: prefixes.slice(i, i + PREFIXES_PER_RULE) },
          actions: {
            baseBlob: { deleteAfterDaysSinceModificationGreaterThan: retention },
            // With versioning on, the current version is deleted only once older versions are.
            version: { deleteAfterDaysSinceCreation: retention },
            snapshot: { deleteAfterDaysSinceCreationGreaterThan: retention },
          },
        });
      }
      new StorageManagementPolicy(this, 'Lifecycle', { storageAccountId: this.accountId, rule: rules });
    }

    this.protection = props.protection ?? {};
    this.lock = protectAuditData(this, props.protection, this.accountId, this.account ? [this.account] : []);
  }
}

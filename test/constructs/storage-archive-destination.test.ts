import { StorageArchiveDestination, StorageArchiveDestinationProps } from '../../constructs/storage-archive-destination';
import { addresses, countOf, errorOf, onlyResource, resources, synthConstructs } from '../support/synth';

const base: StorageArchiveDestinationProps = { accountName: 'stentraaudit01', resourceGroupName: 'rg-audit', location: 'westeurope', categories: ['AuditLogs', 'SignInLogs'] };
const synth = (props: Partial<StorageArchiveDestinationProps> = {}) => synthConstructs((scope) => new StorageArchiveDestination(scope, 'Storage', { ...base, ...props }));
const EXISTING = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-archive/providers/Microsoft.Storage/storageAccounts/starchive';

describe('StorageArchiveDestination', () => {
  test('defaults: a hardened StorageV2 account', () => {
    expect(onlyResource(synth(), 'azurerm_storage_account')).toMatchObject({
      account_kind: 'StorageV2',
      account_tier: 'Standard',
      account_replication_type: 'GZRS',
      is_hns_enabled: false,
      dns_endpoint_type: 'Standard',
      min_tls_version: 'TLS1_2',
      https_traffic_only_enabled: true,
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      infrastructure_encryption_enabled: true,
      cross_tenant_replication_enabled: false,
      local_user_enabled: false,
      network_rules: { default_action: 'Deny', bypass: ['AzureServices'], ip_rules: [], virtual_network_subnet_ids: [] },
      blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 30 } },
    });
  });

  test('one private insights-logs-<category> container per category, on the account ARM id', () => {
    const containers = resources(synth(), 'azurerm_storage_container');
    expect(containers.map((c) => c.name).sort()).toEqual(['insights-logs-auditlogs', 'insights-logs-signinlogs']);
    for (const c of containers) expect(c).toMatchObject({ container_access_type: 'private', storage_account_id: expect.stringContaining('azurerm_storage_account.') });
  });

  test('the lifecycle policy only deletes append blobs, versions and snapshots after the retention', () => {
    const policy = onlyResource(synth({ retentionInDays: 400 }), 'azurerm_storage_management_policy');
    expect(policy).toEqual({
      storage_account_id: expect.stringContaining('azurerm_storage_account.'),
      rule: [
        {
          name: 'delete-entra-logs-1',
          enabled: true,
          filters: { blob_types: ['appendBlob'], prefix_match: ['insights-logs-auditlogs', 'insights-logs-signinlogs'] },
          actions: {
            base_blob: { delete_after_days_since_modification_greater_than: 400 },
            version: { delete_after_days_since_creation: 400 },
            snapshot: { delete_after_days_since_creation_greater_than: 400 },
          },
        },
      ],
    });
    expect(JSON.stringify(policy)).not.toMatch(/tier_to/);
  });

  test('more than 10 categories are split into rules of at most 10 prefixes', () => {
    const categories = ['AuditLogs', 'SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs', 'ProvisioningLogs', 'ADFSSignInLogs', 'RiskyUsers', 'UserRiskEvents', 'RiskyServicePrincipals', 'ServicePrincipalRiskEvents'];
    const policy = onlyResource(synth({ categories }), 'azurerm_storage_management_policy') as { rule: { filters: { prefix_match: string[] } }[] };
    expect(policy.rule.map((r) => r.filters.prefix_match.length)).toEqual([10, 1]);
  });

  test('immutability puts an unlocked time-based policy with protected append writes on each container', () => {
    const policies = resources(synth({ immutability: { periodInDays: 180 }, retentionInDays: 365 }), 'azurerm_storage_container_immutability_policy');
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p).toEqual({ immutability_period_in_days: 180, locked: false, protected_append_writes_enabled: true, storage_container_resource_manager_id: expect.stringContaining('azurerm_storage_container.') });
    }
  });

  test('replication, soft delete, shared keys and network rules are configurable', () => {
    const account = onlyResource(synth({ replicationType: 'LRS', softDeleteRetentionInDays: 7, sharedAccessKeyEnabled: true, networkRules: { ipRules: ['198.51.100.7'] } }), 'azurerm_storage_account');
    expect(account).toMatchObject({ account_replication_type: 'LRS', shared_access_key_enabled: true, network_rules: { ip_rules: ['198.51.100.7'] }, blob_properties: { delete_retention_policy: { days: 7 } } });
  });

  test('an existing account gets containers and the lifecycle policy, and can opt out of the policy', () => {
    const json = synth({ existingAccountId: EXISTING, accountName: undefined });
    expect(countOf(json, 'azurerm_storage_account')).toBe(0);
    expect(onlyResource(json, 'azurerm_storage_management_policy')).toMatchObject({ storage_account_id: EXISTING });
    expect(countOf(synth({ existingAccountId: EXISTING, accountName: undefined, manageLifecyclePolicy: false }), 'azurerm_storage_management_policy')).toBe(0);
  });

  test('the lock waits for every child it protects, so removing it comes first in the apply that changes them', () => {
    const json = synth({ protection: { lock: true }, immutability: { periodInDays: 180 } });
    const lock = onlyResource(json, 'azurerm_management_lock') as { depends_on: string[] };
    const children = ['azurerm_storage_container', 'azurerm_storage_container_immutability_policy', 'azurerm_storage_management_policy'].flatMap((type) => addresses(json, type).map((a) => `${type}.${a}`));
    expect(children.length).toBeGreaterThanOrEqual(5);
    expect([...lock.depends_on].sort()).toEqual(children.sort());
    expect(lock.depends_on.some((d) => d.startsWith('azurerm_storage_account.'))).toBe(false);
  });

  test('a lock suspension declares no lock, keeping prevent_destroy', () => {
    const json = synth({ protection: { lock: true, preventDestroy: true, lockSuspension: { reason: 'delete a container' } } });
    expect(countOf(json, 'azurerm_management_lock')).toBe(0);
    expect(onlyResource(json, 'azurerm_storage_account')).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  test('protection locks the account and prevents its destruction', () => {
    const json = synth({ protection: { lock: true, preventDestroy: true } });
    expect(onlyResource(json, 'azurerm_management_lock')).toMatchObject({ lock_level: 'CanNotDelete', scope: expect.stringContaining('azurerm_storage_account.') });
    expect(onlyResource(json, 'azurerm_storage_account')).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  test('construct ids are stable', () => {
    const json = synth({ immutability: { periodInDays: 30 } });
    expect(addresses(json, 'azurerm_storage_container').sort()).toEqual([expect.stringMatching(/^Storage_Containers_AuditLogs_[0-9A-F]{8}$/), expect.stringMatching(/^Storage_Containers_SignInLogs_[0-9A-F]{8}$/)]);
    expect(addresses(json, 'azurerm_storage_management_policy')).toEqual([expect.stringMatching(/^Storage_Lifecycle_[0-9A-F]{8}$/)]);
  });

  describe('fails', () => {
    test.each([
      ['an account name with upper case', { accountName: 'StEntra' }, 'accountName: got "StEntra"; expected 3–24 lowercase letters and digits'],
      ['an account name longer than 24', { accountName: 'a'.repeat(25) }, 'accountName: got "aaaaaaaaaaaaaaaaaaaaaaaaa"'],
      ['lifecycle deletion before the immutability period ends', { immutability: { periodInDays: 400 }, retentionInDays: 365 }, 'retentionInDays: got 365; expected at least immutability.periodInDays (400)'],
      ['an immutability period above the provider limit', { immutability: { periodInDays: 146001 }, retentionInDays: 146001 }, 'immutability.periodInDays: got 146001; expected an integer from 1 to 146000'],
      ['soft delete above 365 days', { softDeleteRetentionInDays: 366 }, 'softDeleteRetentionInDays: got 366; expected an integer from 1 to 365'],
      ['an unknown replication type', { replicationType: 'GZRSS' as never }, 'replicationType: got "GZRSS"; expected one of "LRS", "GRS", "RAGRS", "ZRS", "GZRS", "RAGZRS" (did you mean "GZRS"?)'],
      ['a retention of 0', { retentionInDays: 0 }, 'retentionInDays: got 0; expected an integer from 1 to 99999'],
      ['a tag name longer than storage accounts accept', { tags: { ['t'.repeat(129)]: 'x' } }, 'expected a tag name of at most 128 characters (has 129): storage accounts accept 128'],
      ['more than 50 tags', { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'x'])) }, 'tags: got "51 tags"; expected at most 50 tags'],
    ])('on %s', (_name, props, message) => {
      const error = errorOf(() => synth(props));
      expect(error).toContain('[stack/Storage] InvalidProps');
      expect(error).toContain(message);
    });
  });
});

/**
 * AR17 LockedParentChange in both review commands: a delete or replace under a CanNotDelete lock is
 * named with the lock and the procedure; the same change after the lock is suspended is not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackChanges } from '../../scripts/lib/review/change-model';
import { planLocks, synthLocks } from '../../scripts/lib/review/delete-locks';
import { diffSynthStacks } from '../../scripts/lib/review/synth-changes';
import { findAuditRisks } from '../../scripts/lib/review/audit-risk';
import { runScript } from '../support/run-script';

const FIXTURE = join(__dirname, '..', 'fixtures', 'plans', 'locked-parent-change.json');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'locks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNT = '${azurerm_storage_account.archive.id}';
const NAMESPACE = '${azurerm_eventhub_namespace.stream.id}';

/**
 * A synthesized stack with locked storage and namespace; `head` drops a container and moves to a new
 * hub (the way to more partitions on Standard, where azurerm refuses to change partition_count).
 */
function stack(variant: 'base' | 'head' | 'suspended'): Record<string, unknown> {
  const head = variant !== 'base';
  const locks = variant === 'suspended' ? {} : {
    azurerm_management_lock: {
      archive_lock: { name: 'entra-audit-do-not-delete', scope: ACCOUNT, lock_level: 'CanNotDelete', depends_on: ['azurerm_storage_container.signin', 'azurerm_storage_container.audit'] },
      stream_lock: { name: 'entra-audit-do-not-delete', scope: NAMESPACE, lock_level: 'CanNotDelete', depends_on: ['azurerm_eventhub.hub'] },
    },
  };
  return {
    resource: {
      azurerm_storage_account: { archive: { name: 'starchive' } },
      azurerm_storage_container: {
        audit: { name: 'insights-logs-auditlogs', storage_account_id: ACCOUNT },
        ...(head ? {} : { signin: { name: 'insights-logs-signinlogs', storage_account_id: ACCOUNT } }),
      },
      azurerm_storage_container_immutability_policy: {
        audit: { storage_container_resource_manager_id: '${azurerm_storage_container.audit.resource_manager_id}', immutability_period_in_days: 365 },
      },
      azurerm_eventhub_namespace: { stream: { name: 'evhns-x', sku: 'Standard' } },
      azurerm_eventhub: { hub: { name: head ? 'entra-audit-logs-8p' : 'entra-audit-logs', namespace_id: NAMESPACE, partition_count: head ? 8 : 2, message_retention: 7 } },
      ...locks,
    },
  };
}

describe('delete locks and what they cover', () => {
  test('in a plan: by ARM id prefix, the locked resource and its children, never tables', () => {
    const values = (id: string) => ({ id });
    const locks = planLocks(
      [
        { address: 'azurerm_storage_account.a', type: 'azurerm_storage_account', values: values('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sta') },
        { address: 'azurerm_storage_container.c', type: 'azurerm_storage_container', values: values('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sta/blobServices/default/containers/c') },
        { address: 'azurerm_storage_container.other', type: 'azurerm_storage_container', values: values('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sta2/blobServices/default/containers/c') },
        { address: 'azurerm_management_lock.l', type: 'azurerm_management_lock', values: { id: 'x', scope: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/STA', lock_level: 'CanNotDelete' } },
      ],
      new Set(),
    );
    expect(locks).toEqual([{ address: 'azurerm_management_lock.l', parent: 'azurerm_storage_account.a', covers: ['azurerm_storage_account.a', 'azurerm_storage_container.c'], removed: false }]);
  });

  test('in synthesized configuration: by references, through intermediate resources', () => {
    const tf = stack('base') as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const resources = Object.entries(tf.resource).flatMap(([type, byName]) => Object.entries(byName).map(([name, values]) => ({ address: `${type}.${name}`, type, values })));
    const locks = synthLocks(resources, new Set(['azurerm_management_lock.stream_lock']));
    expect(locks.map((l) => [l.address, l.parent, [...l.covers].sort(), l.removed])).toEqual([
      ['azurerm_management_lock.archive_lock', 'azurerm_storage_account.archive', ['azurerm_storage_account.archive', 'azurerm_storage_container.audit', 'azurerm_storage_container.signin', 'azurerm_storage_container_immutability_policy.audit'], false],
      ['azurerm_management_lock.stream_lock', 'azurerm_eventhub_namespace.stream', ['azurerm_eventhub.hub', 'azurerm_eventhub_namespace.stream'], true],
    ]);
  });
});

describe('AR17 LockedParentChange', () => {
  test('synth diff: the removed container and the replaced hub are each blocked, naming the lock and the runbook', () => {
    const changes: StackChanges = diffSynthStacks('contoso-prod', stack('base') as never, stack('head') as never);
    const findings = findAuditRisks([changes]).filter((f) => f.ruleId === 'AR17');
    expect(findings.map((f) => [f.address, f.message])).toEqual([
      ['azurerm_eventhub.hub', expect.stringMatching(/^blocked by the CanNotDelete lock on azurerm_eventhub_namespace\.stream \(azurerm_management_lock\.stream_lock\): Azure refuses this replacement with ScopeLocked\. Set protection\.lockSuspension/)],
      ['azurerm_storage_container.signin', expect.stringMatching(/^blocked by the CanNotDelete lock on azurerm_storage_account\.archive \(azurerm_management_lock\.archive_lock\): Azure refuses this delete with ScopeLocked\..*docs\/operations\.md#changes-under-a-delete-lock\)\.$/)],
    ]);
  });

  test('synth diff: with the locks suspended in the same change, nothing is blocked (the locks go first)', () => {
    const changes = diffSynthStacks('contoso-prod', stack('base') as never, stack('suspended') as never);
    expect(changes.changes.map((c) => [c.address, c.action])).toEqual(expect.arrayContaining([['azurerm_management_lock.archive_lock', 'delete'], ['azurerm_storage_container.signin', 'delete']]));
    expect(findAuditRisks([changes]).filter((f) => f.ruleId === 'AR17')).toEqual([]);
  });

  test('plan:summary end to end: says the lock blocks the container delete and the hub replacement, and what to do; --fail-on-risk fails', () => {
    const run = runScript('scripts/plan-summary.ts', [FIXTURE, '--stack', 'contoso-prod', '--fail-on-risk']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('LockedParentChange');
    expect(run.stdout).toMatch(/blocked by the CanNotDelete lock on azurerm_storage_account\.archive/);
    expect(run.stdout).toMatch(/blocked by the CanNotDelete lock on azurerm_eventhub_namespace\.stream/);
    expect(run.stdout).toContain('protection.lockSuspension');
    expect(run.stdout).not.toMatch(/harmless_(table|unlocked|suspended)[^\n]*blocked by/);
  });

  test('synth:diff end to end names the blocked changes', () => {
    for (const [name, variant] of [['base', 'base'], ['head', 'head']] as const) {
      mkdirSync(join(dir, name, 'stacks', 'contoso-prod'), { recursive: true });
      writeFileSync(join(dir, name, 'stacks', 'contoso-prod', 'cdk.tf.json'), JSON.stringify(stack(variant)));
    }
    const run = runScript('scripts/synth-diff.ts', [join(dir, 'base'), join(dir, 'head')]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/blocked by the CanNotDelete lock on azurerm_storage_account\.archive/);
    expect(run.stdout).toMatch(/blocked by the CanNotDelete lock on azurerm_eventhub_namespace\.stream/);
  });
});

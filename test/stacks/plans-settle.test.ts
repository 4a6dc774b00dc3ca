/**
 * Plans settle: a plan right after an apply shows no change and no audit risk. Every attribute that
 * Azure fills in when left out (see test/support/settle.ts, with its provider sources) is written by
 * every resource of every example stack; a simulated post-apply plan of each stack is all no-op and
 * plan-summary finds nothing in it, while the same simulation of a table that leaves its retention to
 * Azure shows the false "retention reduced" finding this guards against.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parseConfig } from '../../stacks/config';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { FILLED_BY_AZURE, missingFilled, planAfterApply } from '../support/settle';
import { runScript } from '../support/run-script';
import type { SynthJson } from '../support/synth';

const stacks: [string, SynthJson][] = parseConfig(readFileSync('stacks/environments.yaml', 'utf8')).map((plan) => [plan.id, JSON.parse(Testing.synth(new EntraAuditStack(Testing.app(), plan)))]);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'settle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plans settle after apply', () => {
  test('the example stacks declare every resource type with attributes Azure fills in', () => {
    const types = new Set(stacks.flatMap(([, json]) => Object.keys(json.resource ?? {})));
    for (const type of Object.keys(FILLED_BY_AZURE)) expect(types).toContain(type);
  });

  test.each(stacks)('%s writes every attribute Azure would otherwise fill in', (_id, json) => {
    const missing = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).flatMap(([name, resource]) => missingFilled(type, resource).map((path) => `${type}.${name}.${path}`)),
    );
    expect(missing).toEqual([]);
  });

  test.each(stacks)('%s: the plan after apply is all no-op and plan-summary reports no change and no audit risk', (id, json) => {
    const plan = planAfterApply(json);
    expect(plan.resource_changes.filter((c: { change: { actions: string[] } }) => c.change.actions[0] !== 'no-op').map((c: { address: string }) => c.address)).toEqual([]);
    const file = join(dir, `${id}.json`);
    writeFileSync(file, JSON.stringify(plan));
    const run = runScript('scripts/plan-summary.ts', [file, '--stack', id, '--fail-on-risk']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('**Audit risk:** none.');
    expect(run.stdout).toContain('**0 to create, 0 to update, 0 to replace, 0 to delete.**');
  });

  test('control: a table that leaves its retention to Azure plans "90 → null" and gets a false retention finding', () => {
    const [id, json] = stacks.find(([i]) => i === 'contoso-prod')!;
    const copy: SynthJson = JSON.parse(JSON.stringify(json));
    const tables = copy.resource!.azurerm_log_analytics_workspace_table;
    const [name, table] = Object.entries(tables).find(([, t]) => t.name === 'AADProvisioningLogs')!;
    delete table.retention_in_days;
    delete table.total_retention_in_days;
    expect(missingFilled('azurerm_log_analytics_workspace_table', table)).toEqual(['retention_in_days', 'total_retention_in_days']);
    const plan = planAfterApply(copy);
    const changed = plan.resource_changes.filter((c: { change: { actions: string[] } }) => c.change.actions[0] !== 'no-op');
    expect(changed.map((c: { address: string }) => c.address)).toEqual([`azurerm_log_analytics_workspace_table.${name}`]);
    expect(changed[0].change.before).toMatchObject({ retention_in_days: 90, total_retention_in_days: 90 });
    expect(changed[0].change.after).toMatchObject({ retention_in_days: null, total_retention_in_days: null });
    const file = join(dir, 'control.json');
    writeFileSync(file, JSON.stringify(plan));
    const run = runScript('scripts/plan-summary.ts', [file, '--stack', id, '--fail-on-risk']);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('WorkspaceRetentionReduced');
  });
});

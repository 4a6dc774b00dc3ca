/** The synth benchmark's parts: estates, the floor app and its shapes, the figures and budgets. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { estateStackIds, estateYaml, templateIndex } from '../../scripts/lib/bench/estate';
import { runFloor } from '../../scripts/lib/bench/floor-app';
import { camel, elementCounts, stackShape } from '../../scripts/lib/bench/floor-shape';
import { budgets, markdown, marginal, median, SizeResult, summarise } from '../../scripts/lib/bench/report';
import { parseConfig } from '../../stacks/config';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { nodeArgs, REPO_ROOT, runScript } from '../support/run-script';

const EXAMPLE = readFileSync(join(REPO_ROOT, 'stacks', 'environments.yaml'), 'utf8');
const work = mkdtempSync(join(tmpdir(), 'entra-bench-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('estates', () => {
  test('the estate of 3 stacks is the example itself', () => {
    expect(estateYaml(EXAMPLE, 3)).toBe(EXAMPLE);
    expect(estateStackIds(EXAMPLE, 3)).toEqual(['contoso-dev', 'contoso-prod', 'fabrikam-prod']);
    expect([0, 1, 2].map((i) => templateIndex(EXAMPLE, 3, i))).toEqual([0, 1, 2]);
  });

  test('a larger estate copies the example environments in turn, one tenant each, and is a valid configuration', () => {
    const plans = parseConfig(estateYaml(EXAMPLE, 7));
    expect(plans.map((p) => p.id)).toEqual(['contoso0001-dev', 'contoso0002-prod', 'fabrikam0003-prod', 'contoso0004-dev', 'contoso0005-prod', 'fabrikam0006-prod', 'contoso0007-dev']);
    expect(estateStackIds(EXAMPLE, 7)).toEqual(plans.map((p) => p.id));
    expect(new Set(plans.map((p) => p.tenantId)).size).toBe(7);
    expect(plans[6].tenantId).toBe('00000000-0000-4000-8000-000000000007');
    expect([0, 1, 2, 3, 6].map((i) => templateIndex(EXAMPLE, 7, i))).toEqual([0, 1, 2, 0, 0]);
    const example = parse(EXAMPLE) as { tenants: { contoso: { environments: { prod: unknown } } } };
    const estate = parse(estateYaml(EXAMPLE, 7)) as { tenants: Record<string, { displayName?: string; environments: Record<string, unknown> }> };
    expect(estate.tenants.contoso0005.environments.prod).toEqual(example.tenants.contoso.environments.prod);
    expect(estate.tenants.contoso0005.displayName).toBe('Contoso Ltd');
  });

  test('a large estate has no YAML aliases, which the configuration loader limits', () => {
    const text = estateYaml(EXAMPLE, 500);
    expect(text).not.toMatch(/[&*]a\d+/);
    expect(parseConfig(text)).toHaveLength(500);
  });

  test.each([0, 1.5, 10_000])('refuses an estate of %s stacks', (n) => {
    expect(() => estateYaml(EXAMPLE, n)).toThrow(`an estate has 1 to 9999 stacks; got ${n}`);
  });
});

describe('floor shapes', () => {
  const tf = {
    provider: { azurerm: [{ features: [{}], subscription_id: 'sub' }] },
    terraform: { backend: { local: { path: 'x.tfstate' } } },
    data: { azuread_client_config: { Current: { '//': { metadata: {} } } } },
    resource: {
      azurerm_management_lock: { Lock: { name: 'lock', scope: '${azurerm_resource_group.Rg.id}', lock_level: 'CanNotDelete', depends_on: ['azurerm_resource_group.Rg'] } },
      azurerm_resource_group: { Rg: { '//': { metadata: { path: 'x' } }, name: 'rg', location: 'westeurope', tags: { 'managed-by': 'me' } } },
      time_sleep: { Wait: { triggers: { owner: '${data.azuread_client_config.Current.object_id}', other: '${azurerm_x.Unknown.id}', mixed: 'a-${azurerm_resource_group.Rg.id}' } } },
    },
    output: { rg: { value: '${azurerm_resource_group.Rg.name}', description: 'the group' } },
  };

  test('camelCase as the provider classes take it', () => {
    expect(camel('retention_in_days')).toBe('retentionInDays');
    expect(camel('sku')).toBe('sku');
  });

  test('elements come after what they refer to, references to elements become references, the rest stays text', () => {
    const shape = stackShape(tf);
    expect(shape.elements.map((e) => `${e.kind}:${e.type}.${e.name}`)).toEqual([
      'data:azuread_client_config.Current',
      'resource:azurerm_resource_group.Rg',
      'resource:azurerm_management_lock.Lock',
      'resource:time_sleep.Wait',
    ]);
    const lock = shape.elements[2];
    expect(lock.props).toEqual({ name: 'lock', scope: { $ref: 'azurerm_resource_group.Rg', attr: 'id' }, lockLevel: 'CanNotDelete' });
    expect(lock.dependsOn).toEqual(['azurerm_resource_group.Rg']);
    expect(shape.elements[3].props).toEqual({ triggers: { owner: { $ref: 'data.azuread_client_config.Current', attr: 'object_id' }, other: '${azurerm_x.Unknown.id}', mixed: 'a-${azurerm_resource_group.Rg.id}' } });
    expect(shape.elements[1].props).toEqual({ name: 'rg', location: 'westeurope', tags: { 'managed-by': 'me' } });
    expect(shape.providers).toEqual({ azurerm: [{ features: [{}], subscriptionId: 'sub' }] });
    expect(shape.backend).toEqual({ type: 'local', config: { path: 'x.tfstate' } });
    expect(shape.outputs).toEqual({ rg: { value: { $ref: 'azurerm_resource_group.Rg', attr: 'name' }, description: 'the group', sensitive: undefined } });
    expect(elementCounts(tf)).toEqual({ 'data.azuread_client_config': 1, azurerm_management_lock: 1, azurerm_resource_group: 1, time_sleep: 1 });
  });

  test('a reference cycle is an error', () => {
    const cyclic = { resource: { time_sleep: { A: { triggers: { b: '${time_sleep.B.id}' } }, B: { triggers: { a: '${time_sleep.A.id}' } } } } };
    expect(() => stackShape(cyclic)).toThrow('a reference cycle among time_sleep.A, time_sleep.B');
  });

  test("the floor app declares the example's largest stack resource for resource, by deep import", () => {
    const plan = parseConfig(EXAMPLE).find((p) => p.id === 'contoso-prod')!;
    const app = Testing.app();
    const tf = JSON.parse(Testing.synth(new EntraAuditStack(app, plan))) as Record<string, Record<string, Record<string, unknown>>>;
    const outdir = join(work, 'floor');
    runFloor({ outdir, barrel: false, shapes: [stackShape(tf)], stacks: [{ id: 'floor', shape: 0 }] });
    const floor = JSON.parse(readFileSync(join(outdir, 'stacks', 'floor', 'cdk.tf.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    expect(elementCounts(floor)).toEqual(elementCounts(tf));
    // Same bodies, but for construct metadata and the hash suffix of names.
    const body = (o: unknown) => JSON.stringify(o, (k, v: unknown) => (k === '//' ? undefined : v)).replace(/_[0-9A-F]{8}\b/g, '');
    const same = Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).filter((name) => body(byName[name]) === body(floor.resource[type]?.[name])));
    expect(same.length).toBeGreaterThanOrEqual(Object.values(tf.resource).reduce((n, byName) => n + Object.keys(byName).length, 0) - 2);
  });
});

describe('figures and budgets', () => {
  const series = (ms: number, cpu = ms / 2, rssMiB = 150) => summarise([{ wallMs: ms, cpuMs: cpu, peakRssKiB: rssMiB * 1024 }]);
  const size = (stacks: number, app: number, floor: number, barrel?: number, rss = 150): SizeResult => ({
    stacks,
    resources: stacks * 60,
    app: series(app, app / 2, rss),
    floor: series(floor),
    barrel: barrel === undefined ? undefined : series(barrel),
  });

  test('median, min, max, CPU and peak memory of a series', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarise([{ wallMs: 30, cpuMs: 20, peakRssKiB: 2048 }, { wallMs: 10, cpuMs: 8, peakRssKiB: 4096 }, { wallMs: 20, cpuMs: 9 }])).toEqual(
      expect.objectContaining({ medianMs: 20, minMs: 10, maxMs: 30, medianCpuMs: 9, maxPeakRssMiB: 4 }),
    );
    expect(summarise([{ wallMs: 5 }])).toEqual(expect.objectContaining({ medianCpuMs: undefined, maxPeakRssMiB: undefined }));
  });

  test('marginal cost per extra stack between consecutive sizes', () => {
    expect(marginal([size(50, 1500, 1200), size(3, 560, 500), size(200, 4500, 3900)])).toEqual([
      { from: 3, to: 50, appMsPerStack: 20, floorMsPerStack: 700 / 47 },
      { from: 50, to: 200, appMsPerStack: 20, floorMsPerStack: 18 },
    ]);
  });

  test('every budget met', () => {
    const sizes = [size(3, 600, 500, 4000), size(50, 1500, 1300), size(200, 4500, 3900, 30_000, 400), size(500, 10_500, 9_000)];
    const b = budgets(sizes, marginal(sizes));
    expect(b.map((x) => [x.name, x.value, x.met])).toEqual([
      ['3 stacks: app / floor', '1.20×', true],
      ['3 stacks: barrel baseline / app', '6.67×', true],
      ['200 stacks: app / floor', '1.15×', true],
      ['200 stacks: barrel baseline / app', '6.67×', true],
      ['200 stacks: peak memory', '400 MiB', true],
      ['marginal cost constant from 50 to 500 stacks', '20.0, 20.0 ms/stack (1.00)', true],
    ]);
  });

  test('budgets missed are marked, each for its own reason', () => {
    const sizes = [size(3, 700, 500, 2000), size(50, 1500, 1300), size(200, 4500, 3000, 9000, 900), size(500, 15_000, 9_000)];
    const b = budgets(sizes, marginal(sizes));
    expect(b.filter((x) => !x.met).map((x) => [x.name, x.value])).toEqual([
      ['3 stacks: app / floor', '1.40×'],
      ['3 stacks: barrel baseline / app', '2.86×'],
      ['200 stacks: app / floor', '1.50×'],
      ['200 stacks: barrel baseline / app', '2.00×'],
      ['200 stacks: peak memory', '900 MiB'],
      ['marginal cost constant from 50 to 500 stacks', '20.0, 35.0 ms/stack (1.75)'],
    ]);
  });

  test('the Markdown report has a row per size, the marginal cost and the budgets', () => {
    const sizes = [size(3, 600, 500, 4000), size(200, 4500, 3900)];
    const margins = marginal(sizes);
    const text = markdown({ date: '2026-11-29', command: 'npm run bench', appCommand: 'node app.js', node: 'v22.0.0', machine: '2 × CPU', runs: 3, sizes, marginal: margins, budgets: budgets(sizes, margins), extra: [{ name: 'npm test', wallMs: 55_000, ok: true }] });
    expect(text).toContain('Synth benchmark, 2026-11-29: `npm run bench`');
    expect(text).toContain('| 3 | 180 | 600 ms (600 ms–600 ms) | 500 ms (500 ms–500 ms) | 1.20× | 4000 ms (4000 ms–4000 ms) | 6.67× | 300 ms, 250 ms, 2000 ms | 1.20× | 150 MiB, 150 MiB, 150 MiB |');
    expect(text).toContain('| 3 → 200 | 19.8 | 17.3 |');
    expect(text).toContain('| `npm test` | 55.0 s |');
    expect(text).toContain('| 200 stacks: app / floor | ≤ 1.3× | 1.15× | yes |');
  });
});

test('npm run bench, interrupted, removes its estates and exits 128 + the signal', async () => {
  const tmp = join(work, 'interrupted-tmp');
  mkdirSync(tmp);
  const child = spawn(process.execPath, nodeArgs('scripts/bench-synth.ts', ['--sizes', '3', '--runs', '1']), {
    cwd: REPO_ROOT,
    env: { ...process.env, TMPDIR: tmp, CHECKPOINT_DISABLE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  // Wait (bounded) for its estate folder, then interrupt it. (Node's compile cache also lives in TMPDIR.)
  const estates = () => readdirSync(tmp).filter((name) => name.startsWith('entra-bench-'));
  for (let i = 0; i < 200 && estates().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(estates()).toHaveLength(1);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(timer);
  expect(code).toBe(143);
  expect(stderr).toContain('bench: interrupted by SIGTERM; its estates are removed');
  expect(estates()).toEqual([]);
}, 90_000);

test('npm run bench -- --help prints the usage and exits 0 without measuring', () => {
  const help = runScript('scripts/bench-synth.ts', ['--help']);
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: npm run bench -- \[--sizes 3,50,200,500\]/);
  expect(help.stderr).toBe('');
});

test('npm run bench refuses an unknown argument or a bad size (exit 2) before measuring anything', () => {
  const bad = runScript('scripts/bench-synth.ts', ['--size', '3']);
  expect([bad.status, bad.stdout]).toEqual([2, '']);
  expect(bad.stderr).toMatch(/^bench: unknown argument --size\nusage: npm run bench -- /);
  const size = runScript('scripts/bench-synth.ts', ['--sizes', '3,x']);
  expect([size.status, size.stderr.split('\n')[0]]).toEqual([2, 'bench: --sizes: x is not a number of stacks from 1 to 2000']);
});

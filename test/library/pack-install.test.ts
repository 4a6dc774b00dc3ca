/**
 * The library as a user gets it. `npm run pack:lib`'s build and `npm pack` write the tarball into a
 * temp folder; two fresh cdktf apps install it with `npm install --offline` (the peers come from the
 * npm cache that `npm ci` filled: nothing leaves the machine):
 *   - examples/own-cdktf-app, an ES module app (`"type": "module"`) run with tsx, as its cdktf.json says;
 *   - a CommonJS app as cdktf's TypeScript template makes it (its tsconfig.json, `npx ts-node main.ts`),
 *     which type-checks while it runs, with TypeScript's default `node10` resolution.
 * Both synthesize, and every export of constructs/index.ts and of each subpath resolves in both, at run
 * time (require and import) and in the type checker (node10 with typesVersions, nodenext with exports).
 *
 * ts-node runs from this repository's node_modules (a devDependency, ts-node@10.9.2), with the
 * repository's TypeScript. The installed sizes are printed.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import * as ts from 'typescript';
import { DETECTIONS } from '../../constructs/entra-alert-rules/catalog';
import { BASELINE_CATEGORIES, LOG_CATEGORIES, tableOfCategory } from '../../constructs/internal/log-categories';
import { KUSTO_INSTALL_COMMAND } from '../../constructs/internal/kql-validator';
import { REPO_ROOT } from '../support/run-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const library = require(join(REPO_ROOT, 'scripts', 'build', 'library.js')) as {
  packLibrary: (options: { destination: string }) => { tarball: string; size: number; unpackedSize: number; files: string[] };
  entryPointProblems: (libraryDir: string) => string[];
};

const LIBRARY = 'entra-audit-logging';
const MANIFEST = JSON.parse(readFileSync(join(REPO_ROOT, 'library', 'package.json'), 'utf8'));
const ROOT_MANIFEST = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const PEERS = ['@cdktf/provider-azuread', '@cdktf/provider-azurerm', '@cdktf/provider-time', 'cdktf', 'constructs'];
/** The peers at the versions the repository pins (the npm cache holds those). */
const PINNED_PEERS = Object.fromEntries(PEERS.map((p) => [p, ROOT_MANIFEST.dependencies[p] as string]));
const TS_NODE_BIN = join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js');
const TSX_CLI = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Upper bounds, about three times what was measured (0.15 MB packed, 0.6 MB installed, 2026-11). */
const MAX_TARBALL_BYTES = 512 * 1024;
const MAX_INSTALLED_BYTES = 2 * 1024 * 1024;

const ENV = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  NO_COLOR: '1',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  TS_NODE_COMPILER: require.resolve('typescript', { paths: [REPO_ROOT] }),
};

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs a command (bounded by `timeoutMs`, killed after it) and returns its output and exit code. */
function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: ENV, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && (error.killed || code === -1)) reject(new Error(`${command} ${args.join(' ')} in ${cwd}: ${error.message}\n${stdout}${stderr}`));
      else resolve({ stdout, stderr, code });
    });
  });
}

/** Like run, but fails with the output unless the command exits 0. */
async function ok(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Run> {
  const r = await run(command, args, cwd, timeoutMs);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${r.code}:\n${r.stdout}${r.stderr}`);
  return r;
}

const install = (app: string) => ok('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app, 240_000);

/** Bytes in the files under `dir` (what a package occupies, independent of the file system's blocks). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** `du -sh` of a folder, as printed for the report. */
async function du(dir: string): Promise<string> {
  return (await ok('du', ['-sh', dir], dir, 60_000)).stdout.split('\t')[0];
}

type SynthJson = { resource: Record<string, Record<string, Record<string, unknown>>>; provider: Record<string, unknown[]> };
const synthOf = (app: string, stack: string): SynthJson => JSON.parse(readFileSync(join(app, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
const only = (json: SynthJson, type: string): [string, Record<string, unknown>] => {
  const all = Object.entries(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};
const counts = (json: SynthJson) => Object.fromEntries(Object.entries(json.resource).map(([type, byId]) => [type, Object.keys(byId).length]));

/** The source file behind a subpath of the exports map: `./dist/internal/log-categories.js` → constructs/internal/log-categories.ts. */
function sourceOf(subpath: string): string {
  const target = MANIFEST.exports[subpath].default as string;
  return join(REPO_ROOT, 'constructs', target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

/** What each subpath exports according to the TypeScript sources: the names, and which of them are values (exist at run time). */
function sourceExports(): Record<string, { all: string[]; values: string[] }> {
  const subpaths = Object.keys(MANIFEST.exports).filter((s) => s !== './package.json');
  const program = ts.createProgram(subpaths.map(sourceOf), { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, types: [], noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const typeOnly = (s: ts.Symbol) => (s.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
  const out: Record<string, { all: string[]; values: string[] }> = {};
  for (const subpath of subpaths) {
    const file = program.getSourceFile(sourceOf(subpath));
    const symbol = file && checker.getSymbolAtLocation(file);
    if (!symbol) throw new Error(`no module symbol for ${sourceOf(subpath)}`);
    const exported = checker.getExportsOfModule(symbol);
    const values = exported.filter((s) => {
      if (typeOnly(s)) return false;
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    });
    out[subpath] = { all: exported.map((s) => s.name).sort(), values: values.map((s) => s.name).sort() };
  }
  return out;
}

/** Prints, as JSON, the run-time exports of every subpath (require or import) and what requiring the root loaded. */
const RUNTIME_PROBE = (mode: 'require' | 'import') => `
const subpaths = ${JSON.stringify(Object.keys(MANIFEST.exports).filter((s) => s !== './package.json'))};
const out = { exports: {}, loaded: [] };
const name = (s) => s === '.' ? '${LIBRARY}' : '${LIBRARY}/' + s.slice(2);
${mode === 'require'
    ? `require(name('.'));
out.loaded = Object.keys(require.cache);
for (const s of subpaths) out.exports[s] = Object.keys(require(name(s))).sort();`
    : `for (const s of subpaths) out.exports[s] = Object.keys(await import(name(s))).filter((k) => !['default', 'module.exports', '__esModule'].includes(k)).sort();`}
console.log(JSON.stringify(out));
`;

let work: string;
let packed: { tarball: string; size: number; unpackedSize: number; files: string[] };
let esmApp: string;
let cjsApp: string;
let expected: Record<string, { all: string[]; values: string[] }>;

/** The CommonJS app, as cdktf's TypeScript template makes it (hashicorp/terraform-cdk packages/@cdktf/cli-core/templates/typescript). */
function writeCjsApp(dir: string, tarball: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-app', version: '1.0.0', main: 'main.js', types: 'main.ts', license: 'MPL-2.0', private: true, dependencies: { ...PINNED_PEERS, [LIBRARY]: `file:${tarball}` } }, null, 2));
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts', terraformProviders: [], terraformModules: [], context: {} }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ['es2018'], module: 'CommonJS',
      noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true,
      noUnusedParameters: true, resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true,
      target: 'ES2018', incremental: true, skipLibCheck: true,
    },
    include: ['**/*.ts'],
    exclude: ['node_modules', 'cdktf.out'],
  }, null, 2));
  writeFileSync(join(dir, 'main.ts'), `import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { AuditWorkbook, EntraDiagnosticSettings, LogAnalyticsDestination } from '${LIBRARY}';
import { LOG_CATEGORIES, LogCategoryInfo } from '${LIBRARY}/log-categories';

class AuditStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    new TimeProvider(this, 'time');
    const signIns: LogCategoryInfo[] = LOG_CATEGORIES.filter((c) => c.category === 'AuditLogs' || c.category === 'SignInLogs');
    const logs = new LogAnalyticsDestination(this, 'LogAnalytics', { name: 'log-cjs', resourceGroupName: 'rg-cjs', location: 'northeurope', retentionInDays: 30 });
    const routing: Record<string, 'logAnalytics'[]> = {};
    for (const c of signIns) routing[c.category] = ['logAnalytics'];
    new EntraDiagnosticSettings(this, 'DiagnosticSettings', {
      name: 'entra-cjs',
      destinations: { logAnalyticsWorkspaceId: logs.workspaceResourceId },
      routing,
    });
    // Its queries are the library's own: no Kusto service needed.
    new AuditWorkbook(this, 'Workbook', { workspaceResourceId: logs.workspaceResourceId, resourceGroupName: 'rg-cjs', location: 'northeurope', routedTables: signIns.map((c) => c.table) });
  }
}

const app = new App();
new AuditStack(app, 'cjs');
app.synth();
`);
  // The examples of the documentation, as a user would paste them into this app.
  writeFileSync(join(dir, 'docs-snippet.ts'), snippetModule('docs/configuration.md', '## Using the constructs in your own stacks', 'DocsStack'));
  writeFileSync(join(dir, 'readme-snippet.ts'), snippetModule('library/README.md', '## Example', 'ReadmeStack'));
  writeFileSync(join(dir, 'snippets.ts'), `import { App } from 'cdktf';
import { DocsStack } from './docs-snippet';
import { ReadmeStack } from './readme-snippet';

// The snippets declare no providers: only what they declare is checked here.
const app = new App({ skipValidation: true });
new DocsStack(app, 'docs');
new ReadmeStack(app, 'readme');
app.synth();
`);
  // A custom detection is KQL of the user's: without the Kusto service it must be refused with the install command.
  writeFileSync(join(dir, 'custom.ts'), `import { App, TerraformStack } from 'cdktf';
import { EntraAlertRules } from '${LIBRARY}/entra-alert-rules';

const app = new App();
const stack = new TerraformStack(app, 'custom');
new EntraAlertRules(stack, 'Alerts', {
  workspaceResourceId: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log',
  resourceGroupName: 'rg', location: 'westeurope', namePrefix: 'entra', routedTables: ['AuditLogs'],
  disabled: ${JSON.stringify(DETECTIONS.filter((d) => !d.tables.every((t) => t === 'AuditLogs')).map((d) => d.key))},
  customDetections: [{ key: 'users-added', displayName: 'Users added', severity: 3, query: 'AuditLogs | where OperationName == "Add user"' }],
});
app.synth();
`);
}

/**
 * The first ```ts block after `heading` in a markdown file of the repository, as a module exporting a
 * stack class: its imports at the top, the rest in the constructor (the snippets use `this`).
 */
function snippetModule(markdown: string, heading: string, className: string): string {
  const text = readFileSync(join(REPO_ROOT, markdown), 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  const start = text.indexOf('```ts\n', at);
  const end = text.indexOf('\n```', start + 6);
  if (at < 0 || start < 0 || end < 0) throw new Error(`${markdown}: no \`\`\`ts block after ${JSON.stringify(heading)}`);
  const lines = text.slice(start + 6, end).split('\n');
  return [
    "import { Construct } from 'constructs';",
    "import { TerraformStack } from 'cdktf';",
    ...lines.filter((l) => l.startsWith('import ')),
    `export class ${className} extends TerraformStack {`,
    '  constructor(scope: Construct, id: string) {',
    '    super(scope, id);',
    ...lines.filter((l) => !l.startsWith('import ')).map((l) => `    ${l}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** A file that re-exports, type-only, every name of every subpath: the type checker fails on any that does not resolve. */
function writeTypeProbe(file: string): void {
  // Renamed per subpath (`A as s0_A`): a construct's names are exported by the root and by its own subpath.
  const lines = Object.entries(expected).map(([subpath, { all }], i) => `export type { ${all.map((n) => `${n} as s${i}_${n}`).join(', ')} } from '${subpath === '.' ? LIBRARY : `${LIBRARY}/${subpath.slice(2)}`}';`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  for (const [what, path] of [['ts-node (devDependency ts-node@10.9.2; run npm ci)', TS_NODE_BIN], ['tsx', TSX_CLI], ['typescript', TSC]]) {
    if (!existsSync(path)) throw new Error(`${what} is not installed in the repository: ${relative(REPO_ROOT, path)} is missing`);
  }
  work = mkdtempSync(join(tmpdir(), 'entra-library-'));
  packed = library.packLibrary({ destination: join(work, 'pack') });

  esmApp = join(work, 'esm-app');
  cpSync(join(REPO_ROOT, 'examples', 'own-cdktf-app'), esmApp, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(esmApp, 'package.json'), 'utf8'));
  expect(manifest.dependencies[LIBRARY]).toBe(`file:../../library/${LIBRARY}-${MANIFEST.version}.tgz`);
  expect(basename(packed.tarball)).toBe(`${LIBRARY}-${MANIFEST.version}.tgz`);
  manifest.dependencies[LIBRARY] = `file:${packed.tarball}`;
  // The app command is run here directly with the repository's tsx (cdktf-cli, tsx and typescript are
  // the example's devDependencies; the npm cache does not hold cdktf-cli's tree).
  delete manifest.devDependencies;
  writeFileSync(join(esmApp, 'package.json'), JSON.stringify(manifest, null, 2));

  cjsApp = join(work, 'cjs-app');
  writeCjsApp(cjsApp, packed.tarball);
  const installs = Promise.all([install(esmApp), install(cjsApp)]);
  try {
    expected = sourceExports(); // while npm installs
  } finally {
    await installs;
  }
}, 400_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  test('holds the compiled constructs with declarations and every data file they read, and nothing else', () => {
    const sources = readdirSync(join(REPO_ROOT, 'constructs'), { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/'));
    const modules = sources.filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    const data = sources.filter((f) => f.endsWith('.kql') || f.endsWith('.json'));
    expect(data.filter((f) => f.endsWith('.kql')).length).toBe(DETECTIONS.length);
    expect(data).toEqual(expect.arrayContaining(['internal/log-table-schemas/SigninLogs.json', 'internal/resource-graph-schemas/alertsmanagementresources.json']));
    expect(packed.files).toEqual(
      ['README.md', 'package.json', ...modules.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]), ...data.map((f) => `dist/${f}`)].sort(),
    );
    expect(packed.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packed.files.filter((f) => /test|spec|fixture|tsconfig|\.map$/i.test(f))).toEqual([]);
  });

  test(`is small: under ${MAX_TARBALL_BYTES / 1024} KiB packed and ${MAX_INSTALLED_BYTES / 1024 / 1024} MiB unpacked`, () => {
    expect(packed.size).toBeLessThan(MAX_TARBALL_BYTES);
    expect(packed.unpackedSize).toBeLessThan(MAX_INSTALLED_BYTES);
  });

  test('every file the manifest points at exists after the build', () => {
    expect(library.entryPointProblems(join(REPO_ROOT, 'library'))).toEqual([]);
    expect(library.entryPointProblems(join(esmApp, 'node_modules', LIBRARY))).toEqual([]);
  });
});

describe('installed into a fresh app', () => {
  test('pulls in nothing but the library and its peers (no Azure SDK, Kusto service, Azurite, yaml or zod)', () => {
    for (const app of [esmApp, cjsApp]) {
      expect(readdirSync(join(app, 'node_modules')).filter((f) => f !== '.package-lock.json').sort()).toEqual(['@cdktf', 'cdktf', 'constructs', LIBRARY]);
      expect(readdirSync(join(app, 'node_modules', '@cdktf')).sort()).toEqual(['provider-azuread', 'provider-azurerm', 'provider-time']);
      const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')).packages as Record<string, { version?: string; inBundle?: boolean }>;
      const installed = Object.entries(lock).filter(([path, p]) => path !== '' && !p.inBundle).map(([path, p]) => `${path.replace(/^node_modules\//, '')}@${p.version}`).sort();
      expect(installed).toEqual([...PEERS.map((p) => `${p}@${PINNED_PEERS[p]}`), `${LIBRARY}@${MANIFEST.version}`].sort());
      const manifest = JSON.parse(readFileSync(join(app, 'node_modules', LIBRARY, 'package.json'), 'utf8'));
      expect(manifest.dependencies).toBeUndefined();
    }
  });

  test(`the library itself stays under ${MAX_INSTALLED_BYTES / 1024 / 1024} MiB; sizes are printed`, async () => {
    const own = bytesUnder(join(esmApp, 'node_modules', LIBRARY));
    expect(own).toBeLessThan(MAX_INSTALLED_BYTES);
    expect(own).toBe(packed.unpackedSize);
    const figures = [
      `tarball ${(packed.size / 1024).toFixed(0)} KiB`,
      `installed library ${(own / 1024).toFixed(0)} KiB (du -sh: ${await du(join(esmApp, 'node_modules', LIBRARY))})`,
      `app node_modules with the peers: du -sh ${await du(join(esmApp, 'node_modules'))}`,
    ];
    process.stdout.write(`\nLibrary install sizes: ${figures.join('; ')}\n`);
  });
});

describe('the ES module app (examples/own-cdktf-app) under tsx', () => {
  let json: SynthJson;
  beforeAll(async () => {
    await ok(process.execPath, [TSX_CLI, 'main.ts'], esmApp, 120_000);
    json = synthOf(esmApp, 'entra-audit');
  }, 150_000);

  const baselineTables = BASELINE_CATEGORIES.map((c) => tableOfCategory(c) as string);
  const deployed = DETECTIONS.filter((d) => d.disabledByDefault === undefined && d.tables.every((t) => baselineTables.includes(t)));

  test('synthesizes the workspace, its table retention, the wait, the diagnostic setting and the catalog rules', () => {
    expect(counts(json)).toEqual({
      azurerm_log_analytics_workspace: 1,
      azurerm_log_analytics_workspace_table: 1,
      azurerm_monitor_aad_diagnostic_setting: 1,
      azurerm_monitor_scheduled_query_rules_alert_v2: deployed.length,
      time_sleep: 1,
    });
    expect(deployed.length).toBeGreaterThan(20);
    expect(json.provider).toEqual({ azurerm: [{ features: [{}], subscription_id: '00000000-0000-4000-8000-000000000001' }], time: [{}] });
  });

  test('the workspace and SigninLogs carry the retention the app sets', () => {
    const [workspaceId, workspace] = only(json, 'azurerm_log_analytics_workspace');
    expect(workspace).toEqual(expect.objectContaining({ name: 'log-entra-audit', resource_group_name: 'rg-entra-audit', location: 'westeurope', retention_in_days: 90, sku: 'PerGB2018' }));
    const [, table] = only(json, 'azurerm_log_analytics_workspace_table');
    expect(table).toEqual(expect.objectContaining({ name: 'SigninLogs', plan: 'Analytics', retention_in_days: 180, total_retention_in_days: 730, workspace_id: `\${azurerm_log_analytics_workspace.${workspaceId}.id}` }));
  });

  test('the diagnostic setting routes the baseline categories to the workspace, after the wait', () => {
    const [workspaceId] = only(json, 'azurerm_log_analytics_workspace');
    const [sleepId] = only(json, 'time_sleep');
    const [, setting] = only(json, 'azurerm_monitor_aad_diagnostic_setting');
    expect(setting).toEqual(expect.objectContaining({
      name: 'entra-audit-law',
      log_analytics_workspace_id: `\${azurerm_log_analytics_workspace.${workspaceId}.id}`,
      depends_on: [`time_sleep.${sleepId}`],
    }));
    expect((setting.enabled_log as { category: string }[]).map((l) => l.category)).toEqual([...BASELINE_CATEGORIES]);
  });

  test('one alert rule per catalog detection the routed tables allow, scoped to the workspace', () => {
    const [workspaceId] = only(json, 'azurerm_log_analytics_workspace');
    const rules = Object.values(json.resource.azurerm_monitor_scheduled_query_rules_alert_v2) as Record<string, any>[];
    expect(rules.map((r) => r.name).sort()).toEqual(deployed.map((d) => `entra-audit-${d.key}`).sort());
    for (const d of deployed) {
      const rule = rules.find((r) => r.name === `entra-audit-${d.key}`) as Record<string, any>;
      expect({ key: d.key, severity: rule.severity, frequency: rule.evaluation_frequency, scopes: rule.scopes, location: rule.location }).toEqual({
        key: d.key, severity: d.severity, frequency: d.evaluationFrequency, scopes: [`\${azurerm_log_analytics_workspace.${workspaceId}.id}`], location: 'westeurope',
      });
      expect(rule.criteria[0].query).toMatch(new RegExp(`^// ${d.key}: `));
    }
  });

  test('type-checks with nodenext resolution (the exports map), main.ts and every export of every subpath', async () => {
    writeTypeProbe(join(esmApp, 'exports-probe.ts'));
    writeFileSync(join(esmApp, 'tsconfig.probe.json'), JSON.stringify({ extends: './tsconfig.json', include: ['main.ts', 'exports-probe.ts'] }));
    await ok(process.execPath, [TSC, '-p', 'tsconfig.probe.json'], esmApp, 120_000);
  }, 150_000);

  test('import() of every subpath gives the value exports of its source', async () => {
    const probe = JSON.parse((await ok(process.execPath, ['--input-type=module', '-e', RUNTIME_PROBE('import')], esmApp, 60_000)).stdout);
    expect(probe.exports).toEqual(Object.fromEntries(Object.entries(expected).map(([s, e]) => [s, e.values])));
  });
});

describe('the CommonJS app of the cdktf template under ts-node', () => {
  let json: SynthJson;
  beforeAll(async () => {
    await ok(process.execPath, [TS_NODE_BIN, 'main.ts'], cjsApp, 120_000);
    json = synthOf(cjsApp, 'cjs');
  }, 150_000);

  test('type-checks and synthesizes the workspace, the diagnostic setting and the workbook', () => {
    expect(counts(json)).toEqual({ azurerm_application_insights_workbook: 1, azurerm_log_analytics_workspace: 1, azurerm_monitor_aad_diagnostic_setting: 1, time_sleep: 1 });
    const [workspaceId, workspace] = only(json, 'azurerm_log_analytics_workspace');
    expect(workspace).toEqual(expect.objectContaining({ name: 'log-cjs', resource_group_name: 'rg-cjs', location: 'northeurope', retention_in_days: 30 }));
    const [, setting] = only(json, 'azurerm_monitor_aad_diagnostic_setting');
    expect(setting).toEqual(expect.objectContaining({ name: 'entra-cjs-law', log_analytics_workspace_id: `\${azurerm_log_analytics_workspace.${workspaceId}.id}` }));
    expect((setting.enabled_log as { category: string }[]).map((l) => l.category)).toEqual(['AuditLogs', 'SignInLogs']);
    expect(LOG_CATEGORIES.filter((c) => ['AuditLogs', 'SignInLogs'].includes(c.category)).map((c) => c.table)).toEqual(['AuditLogs', 'SigninLogs']);
  });

  test('the workbook, whose queries are the library\'s own, needs no Kusto service', () => {
    expect(existsSync(join(cjsApp, 'node_modules', '@kusto'))).toBe(false);
    const [, workbook] = only(json, 'azurerm_application_insights_workbook');
    expect(workbook).toEqual(expect.objectContaining({ resource_group_name: 'rg-cjs', location: 'northeurope', display_name: 'Entra ID audit', category: 'workbook' }));
    const data = JSON.parse(workbook.data_json as string);
    expect(data.items.filter((i: { type: number }) => i.type === 3).length).toBeGreaterThan(3);
  });

  test('a custom detection without the Kusto service fails with one error naming the package and the install command', async () => {
    const r = await run(process.execPath, [TS_NODE_BIN, 'custom.ts'], cjsApp, 120_000);
    expect(r.code).not.toBe(0);
    // Node prints the uncaught error as `AlertRulesConfigError: <message>`, one problem per line.
    const problems = r.stderr.split('\n').filter((l) => l.includes('[custom/Alerts]')).map((l) => l.slice(l.indexOf('[custom/Alerts]')));
    expect(problems).toEqual([
      '[custom/Alerts] KustoServiceMissing: customDetections hold KQL of yours, which is checked with the Kusto language service before anything is deployed, and @kusto/language-service-next is not installed, ' +
        `got ["users-added"]; expected the service installed in the app: ${KUSTO_INSTALL_COMMAND}`,
    ]);
    expect(existsSync(join(cjsApp, 'cdktf.out', 'stacks', 'custom'))).toBe(false);
  }, 150_000);

  test('the examples of docs/configuration.md and library/README.md type-check and synthesize', async () => {
    await ok(process.execPath, [TS_NODE_BIN, 'snippets.ts'], cjsApp, 120_000);
    for (const [stack, settingName] of [['docs', 'entra-to-sentinel-law'], ['readme', 'entra-audit-law']]) {
      const snippet = synthOf(cjsApp, stack);
      expect({ stack, counts: counts(snippet) }).toEqual({ stack, counts: { azurerm_log_analytics_workspace: 1, azurerm_log_analytics_workspace_table: 1, azurerm_monitor_aad_diagnostic_setting: 1, time_sleep: 1 } });
      const [, setting] = only(snippet, 'azurerm_monitor_aad_diagnostic_setting');
      expect({ stack, name: setting.name, categories: (setting.enabled_log as { category: string }[]).map((l) => l.category) }).toEqual({ stack, name: settingName, categories: ['AuditLogs', 'SignInLogs'] });
      const [, table] = only(snippet, 'azurerm_log_analytics_workspace_table');
      expect({ stack, table: table.name, retention: table.retention_in_days, total: table.total_retention_in_days }).toEqual({ stack, table: 'SigninLogs', retention: 180, total: 730 });
    }
  }, 150_000);

  test('type-checks with node10 resolution (typesVersions) every export of every subpath', async () => {
    writeTypeProbe(join(cjsApp, 'exports-probe.ts'));
    await ok(process.execPath, [TSC, '--noEmit', '-p', '.'], cjsApp, 120_000);
  }, 150_000);

  test('require() of every subpath gives the value exports of its source; the root loads no provider barrel and no Kusto', async () => {
    const probe = JSON.parse((await ok(process.execPath, ['-e', RUNTIME_PROBE('require')], cjsApp, 60_000)).stdout);
    expect(probe.exports).toEqual(Object.fromEntries(Object.entries(expected).map(([s, e]) => [s, e.values])));
    const loaded = (probe.loaded as string[]).map((p) => relative(cjsApp, p).split('\\').join('/'));
    expect(loaded.filter((p) => /@cdktf\/provider-[a-z]+\/lib\/index\.js$/.test(p) || p.includes('@kusto'))).toEqual([]);
    expect(loaded.filter((p) => p.startsWith(`node_modules/${LIBRARY}/`)).length).toBeGreaterThan(20);
  });
});

describe('the exports of constructs/index.ts', () => {
  test('are the ones the probes above compare against (the list is not empty or partial)', () => {
    expect(expected['.'].values).toEqual(expect.arrayContaining(['EntraDiagnosticSettings', 'LogAnalyticsDestination', 'EntraAlertRules', 'AuditWorkbook', 'EntraCompliance', 'WORKBOOK_SECTION_KEYS']));
    expect(expected['.'].all).toEqual(expect.arrayContaining(['EntraDiagnosticSettingsProps', 'NetworkRules', 'ComplianceRule', 'WorkbookSectionKey']));
    expect(expected['.'].values).not.toContain('NetworkRules');
    expect(expected['./catalog'].values).toEqual(['DETECTIONS', 'DETECTION_KEYS', 'DISABLED_BY_DEFAULT_KEYS', 'findDetection']);
  });
});

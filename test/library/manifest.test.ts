/**
 * library/package.json and the build script's own checks, without compiling: the exports map has
 * one subpath per construct file and points at files the build writes, the peer ranges fit the
 * versions the repository pins, and the build refuses what it cannot ship or must not delete.
 * (test/library/pack-install.test.ts builds, packs and installs.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/run-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const library = require(join(REPO_ROOT, 'scripts', 'build', 'library.js')) as {
  dataFiles: (sourceDir: string) => string[];
  entryPointProblems: (libraryDir: string) => string[];
  removePreviousOutput: (libraryDir: string, outDir: string) => void;
  parseArgs: (argv: string[]) => { command: string; destination?: string };
  LibraryBuildError: new (message: string) => Error;
};

const readJson = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8'));
const MANIFEST = readJson('library/package.json');
const ROOT_MANIFEST = readJson('package.json');

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'entra-library-manifest-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** Writes files (path → content) under `dir`. */
function files(dir: string, content: Record<string, string>): void {
  for (const [path, text] of Object.entries(content)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** Whether `version` (x.y.z) is in `range`: space-separated `^x.y.z`, `~x.y.z`, `>=x.y.z`, `<x.y.z` (the forms library/package.json uses). */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.split('.').map(Number) as [number, number, number];
  const cmp = (a: string, b: string) => {
    const [x, y] = [parse(a), parse(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  return range.split(' ').every((c) => {
    const m = /^(\^|~|>=|<)(\d+\.\d+\.\d+)$/.exec(c);
    if (!m) throw new Error(`range form not handled here: ${c}`);
    const [, op, base] = m;
    const [major, minor] = parse(base);
    if (op === '>=') return cmp(version, base) >= 0;
    if (op === '<') return cmp(version, base) < 0;
    const upper = op === '~' || major === 0 ? `${major}.${minor + 1}.0` : `${major + 1}.0.0`;
    return cmp(version, base) >= 0 && cmp(version, upper) < 0;
  });
}

describe('the repository and the library are two packages', () => {
  test('the root is the private tools project; build:lib and pack:lib run the library build', () => {
    expect({ name: ROOT_MANIFEST.name, private: ROOT_MANIFEST.private }).toEqual({ name: 'entra-audit-logging-toolkit', private: true });
    expect(ROOT_MANIFEST.scripts['build:lib']).toBe('node scripts/build/library.js build');
    expect(ROOT_MANIFEST.scripts['pack:lib']).toBe('node scripts/build/library.js pack');
  });

  test('library/package.json describes a public CommonJS package with declarations and no dependencies of its own', () => {
    expect(MANIFEST).toEqual(expect.objectContaining({ name: 'entra-audit-logging', version: '0.1.0', license: 'MIT', main: './dist/index.js', types: './dist/index.d.ts', sideEffects: false, engines: ROOT_MANIFEST.engines }));
    expect(MANIFEST.description.length).toBeGreaterThan(40);
    expect(MANIFEST.private).toBeUndefined();
    expect(MANIFEST.type).toBeUndefined();
    for (const key of ['dependencies', 'devDependencies', 'scripts', 'bundleDependencies']) expect({ key, value: MANIFEST[key] }).toEqual({ key, value: undefined });
    expect(MANIFEST.files).toEqual(['dist/**/*.js', 'dist/**/*.d.ts', 'dist/**/*.kql', 'dist/**/*.json']);
    expect(readFileSync(join(REPO_ROOT, 'library', 'README.md'), 'utf8')).toMatch(/^# entra-audit-logging\n/);
  });

  test('library/tsconfig.json compiles constructs/ only, with declarations, into library/dist', () => {
    const config = readJson('library/tsconfig.json');
    expect(config.include).toEqual(['../constructs/**/*.ts']);
    expect(config.compilerOptions).toEqual(expect.objectContaining({ rootDir: '../constructs', outDir: 'dist', declaration: true, noEmit: false }));
    expect(readJson('tsconfig.json').compilerOptions.target).toBe('ES2022');
  });

  test('the build output, its record and the tarball are ignored by git', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['library/dist/', 'library/.dist-files.json', 'library/*.tgz', 'examples/own-cdktf-app/package-lock.json', 'node_modules/', 'cdktf.out/']));
  });
});

describe('the exports map', () => {
  const subpaths = Object.keys(MANIFEST.exports);

  test('has the root, one subpath per construct file, the catalog, the log categories, compliance and package.json', () => {
    const top = readdirSync(join(REPO_ROOT, 'constructs'), { withFileTypes: true });
    const constructFiles = [
      ...top.filter((e) => e.isFile() && e.name.endsWith('.ts') && e.name !== 'index.ts').map((e) => e.name.slice(0, -3)),
      // A construct with data files has a folder named after its file (style guide, Layout).
      ...top.filter((e) => e.isDirectory() && existsSync(join(REPO_ROOT, 'constructs', e.name, `${e.name}.ts`))).map((e) => e.name),
    ];
    expect(constructFiles.sort()).toEqual(['audit-data-lock', 'audit-workbook', 'entra-alert-rules', 'entra-canary-app', 'entra-diagnostic-settings', 'entra-reader-app', 'event-hub-destination', 'log-analytics-destination', 'storage-archive-destination']);
    expect([...subpaths].sort()).toEqual(['.', ...constructFiles.map((f) => `./${f}`), './catalog', './compliance', './log-categories', './package.json'].sort());
  });

  test('each subpath has types then default (require), pointing at the compiled form of an existing source', () => {
    for (const subpath of subpaths.filter((s) => s !== './package.json')) {
      const entry = MANIFEST.exports[subpath];
      expect({ subpath, conditions: Object.keys(entry) }).toEqual({ subpath, conditions: ['types', 'default'] });
      const source = entry.default.replace(/^\.\/dist\//, 'constructs/').replace(/\.js$/, '.ts');
      expect({ subpath, types: entry.types, source: existsSync(join(REPO_ROOT, source)) }).toEqual({ subpath, types: entry.default.replace(/\.js$/, '.d.ts'), source: true });
    }
    expect(MANIFEST.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(MANIFEST.exports['./catalog'].default).toBe('./dist/entra-alert-rules/catalog.js');
    expect(MANIFEST.exports['./log-categories'].default).toBe('./dist/internal/log-categories.js');
    expect(MANIFEST.exports['./compliance'].default).toBe('./dist/compliance/index.js');
    expect(MANIFEST.exports['./package.json']).toBe('./package.json');
  });

  test('nothing else from constructs/internal is exported', () => {
    const internal = Object.values(MANIFEST.exports).filter((e) => typeof e !== 'string' && (e as { default: string }).default.startsWith('./dist/internal/'));
    expect(internal).toEqual([{ types: './dist/internal/log-categories.d.ts', default: './dist/internal/log-categories.js' }]);
  });

  test('typesVersions repeats each subpath\'s types, for TypeScript\'s node10 resolution (cdktf\'s CommonJS template)', () => {
    const expected = Object.fromEntries(subpaths.filter((s) => s !== '.' && s !== './package.json').map((s) => [s.slice(2), [MANIFEST.exports[s].types.slice(2)]]));
    expect(MANIFEST.typesVersions).toEqual({ '*': expected });
  });

  test('constructs/index.ts only re-exports our own modules, so the root stays cheap to load', () => {
    const lines = readFileSync(join(REPO_ROOT, 'constructs', 'index.ts'), 'utf8').trim().split('\n');
    expect(lines.filter((l) => !/^export (\*|type \{[^}]+\}|\{[^}]+\}) from '\.\/[a-z/-]+';$/.test(l))).toEqual([]);
  });
});

describe('peer dependencies', () => {
  const peers = MANIFEST.peerDependencies as Record<string, string>;

  test('are cdktf, constructs, the three providers and, optional, the Kusto service', () => {
    expect(Object.keys(peers).sort()).toEqual(['@cdktf/provider-azuread', '@cdktf/provider-azurerm', '@cdktf/provider-time', '@kusto/language-service-next', 'cdktf', 'constructs']);
    expect(MANIFEST.peerDependenciesMeta).toEqual({ '@kusto/language-service-next': { optional: true } });
  });

  test.each(Object.keys(MANIFEST.peerDependencies))('%s: the range holds the version the repository pins, and stops at the next line', (name) => {
    const pinned = ROOT_MANIFEST.dependencies[name] as string;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(satisfies(pinned, peers[name])).toBe(true);
    const [major, minor, patch] = pinned.split('.').map(Number);
    expect(satisfies(`${major}.${minor}.${patch + 1}`, peers[name])).toBe(true);
    // cdktf 0.x and the Kusto service change within a major: their range ends at the next minor.
    const next = name === 'cdktf' || name === '@kusto/language-service-next' ? `${major}.${minor + 1}.0` : `${major + 1}.0.0`;
    expect(satisfies(next, peers[name])).toBe(false);
    expect(satisfies(`${major}.${minor}.${Math.max(0, patch - 1)}`, peers[name])).toBe(patch === 0);
  });

  test('the range check used here reads the forms correctly', () => {
    expect([satisfies('0.21.9', '>=0.21.0 <0.22.0'), satisfies('0.22.0', '>=0.21.0 <0.22.0'), satisfies('10.9.0', '^10.4.2'), satisfies('12.5.0', '~12.4.1'), satisfies('0.3.0', '^0.2.1')]).toEqual([true, false, true, false, false]);
  });
});

describe('scripts/build/library.js', () => {
  test('dataFiles lists the .kql and .json files, and refuses any other file that is not TypeScript', () => {
    files(work, { 'a.ts': '', 'q/x.kql': '', 'schemas/T.json': '{}', 'b.d.ts': '' });
    expect(library.dataFiles(work)).toEqual(['q/x.kql', 'schemas/T.json']);
    files(work, { 'q/notes.txt': '', 'logo.svg': '' });
    const error = errorOf(() => library.dataFiles(work));
    expect(error).toBeInstanceOf(library.LibraryBuildError);
    expect(error.message).toBe(
      `${work.split('/').pop()}/logo.svg, ${work.split('/').pop()}/q/notes.txt: neither TypeScript nor a data file (.kql, .json); if the constructs read it at run time, add its extension to DATA_EXTENSIONS in scripts/build/library.js, else move it out of the constructs`,
    );
  });

  test('the constructs hold only TypeScript and data files: the queries and the table schemas', () => {
    const data = library.dataFiles(join(REPO_ROOT, 'constructs'));
    expect(data.filter((f) => f.startsWith('entra-alert-rules/queries/') && f.endsWith('.kql')).length).toBeGreaterThan(30);
    expect(data).toEqual(expect.arrayContaining(['internal/log-table-schemas/AuditLogs.json', 'internal/resource-graph-schemas/alertsmanagementresources.json']));
  });

  test('removes exactly the files the previous build recorded, and the folders left empty', () => {
    files(work, { 'dist/a.js': '', 'dist/sub/b.js': '', 'dist/sub/deeper/c.kql': '', '.dist-files.json': JSON.stringify({ files: ['a.js', 'sub/b.js', 'sub/deeper/c.kql', 'gone.js'] }), 'package.json': '{}' });
    library.removePreviousOutput(work, join(work, 'dist'));
    expect(readdirSync(work).sort()).toEqual(['package.json']);
  });

  test('fails, deleting nothing, when dist/ holds a file no build recorded', () => {
    files(work, { 'dist/a.js': '', 'dist/yours.txt': 'keep', '.dist-files.json': JSON.stringify({ files: ['a.js'] }) });
    const error = errorOf(() => library.removePreviousOutput(work, join(work, 'dist')));
    expect(error.message).toBe('library/dist/yours.txt: not written by this build (no record in library/.dist-files.json); remove them, then build again');
    expect(readdirSync(join(work, 'dist')).sort()).toEqual(['a.js', 'yours.txt']);
    expect(readFileSync(join(work, 'dist', 'yours.txt'), 'utf8')).toBe('keep');
    const fresh = mkdtempSync(join(tmpdir(), 'entra-library-manifest-'));
    try {
      files(fresh, { 'dist/x.js': '' });
      expect(errorOf(() => library.removePreviousOutput(fresh, join(fresh, 'dist'))).message).toBe('library/dist/x.js: not written by this build (no record in library/.dist-files.json); remove them, then build again');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  test('fails on a record that is not a list of paths inside dist/, deleting nothing', () => {
    files(work, { 'dist/a.js': 'x', '.dist-files.json': JSON.stringify({ files: ['../package.json'] }), 'package.json': '{}' });
    expect(errorOf(() => library.removePreviousOutput(work, join(work, 'dist'))).message).toBe('library/.dist-files.json: "files" is not a list of paths inside dist/; delete it and library/dist/, then build again');
    writeFileSync(join(work, '.dist-files.json'), '{');
    expect(errorOf(() => library.removePreviousOutput(work, join(work, 'dist'))).message).toMatch(/^library\/\.dist-files\.json: .*JSON.*; delete it and library\/dist\/, then build again$/);
    expect(readdirSync(work).sort()).toEqual(['.dist-files.json', 'dist', 'package.json']);
  });

  test('entryPointProblems names every path of main, types, exports and typesVersions that does not exist', () => {
    files(work, {
      'package.json': JSON.stringify({
        main: './dist/index.js',
        types: './dist/index.d.ts',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './x': { types: './dist/x.d.ts', default: './dist/x.js' }, './package.json': './package.json' },
        typesVersions: { '*': { x: ['dist/x.d.ts'] } },
      }),
      'dist/index.js': '',
      'dist/index.d.ts': '',
      'dist/x.js': '',
    });
    expect(library.entryPointProblems(work)).toEqual(['exports["./x"].types: ./dist/x.d.ts does not exist', 'typesVersions["*"]["x"]: dist/x.d.ts does not exist']);
  });

  test('the command line takes build, or pack with --pack-destination; anything else is refused with the usage (exit 1)', () => {
    expect(library.parseArgs(['build'])).toEqual({ command: 'build', destination: undefined });
    expect(library.parseArgs(['pack', '--pack-destination', '/tmp/out'])).toEqual({ command: 'pack', destination: '/tmp/out' });
    expect(library.parseArgs(['pack', '--pack-destination=out'])).toEqual({ command: 'pack', destination: 'out' });
    expect(errorOf(() => library.parseArgs(['pack', '--pack-destination'])).message).toBe('unknown argument "--pack-destination"; pack takes only --pack-destination DIR');
    expect(errorOf(() => library.parseArgs(['build', '--pack-destination', 'x'])).message).toBe('unknown argument "--pack-destination"; build takes no argument');
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build', 'library.js'), 'publish'], { encoding: 'utf8', timeout: 30_000 });
    expect({ status: r.status, stderr: r.stderr, stdout: r.stdout }).toEqual({ status: 1, stderr: 'usage: node scripts/build/library.js build | pack [--pack-destination DIR]; got "publish"\n', stdout: '' });
  });
});

/**
 * The build (scripts/build/build.js) on a throw-away project: what it compiles and copies, that a run
 * with nothing to do stays cheap, that it removes only what it wrote, and how it fails. The builder and
 * its preload are copied into the project, so they work on it exactly as they work on this repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../support/run-script';

interface BuildResult {
  compiled: number;
  copied: number;
  removed: number;
  full: boolean;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const builder = require(join(REPO_ROOT, 'scripts', 'build', 'build.js')) as {
  build: (options?: { root?: string; force?: boolean }) => BuildResult;
  plan: (layout: unknown) => { inputs: string[]; upToDate: boolean };
  readLayout: (root: string) => unknown;
  BuildError: new (message: string) => Error;
};

const work = mkdtempSync(join(tmpdir(), 'entra-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, esModuleInterop: true, isolatedModules: true, noEmit: true, types: [] },
};
const BUILD_CONFIG = { extends: './tsconfig.json', compilerOptions: { noEmit: false, outDir: 'dist', rootDir: '.', sourceMap: false }, include: ['src/**/*.ts', 'lib/**/*.ts'] };

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A project with two source folders, a data folder, a declaration file, and the builder in scripts/build. */
function project(name: string): string {
  const root = join(work, name);
  write(join(root, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  write(join(root, 'tsconfig.build.json'), JSON.stringify(BUILD_CONFIG));
  write(join(root, 'src', 'main.ts'), "import { answer } from '../lib/answer';\nimport { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\n\nconst query: string = readFileSync(join(__dirname, '..', 'lib', 'data', 'q.kql'), 'utf8');\nprocess.stdout.write(`${answer()} ${query}`);\n");
  write(join(root, 'lib', 'answer.ts'), 'export const answer = (): number => 42;\n');
  write(join(root, 'lib', 'shape.d.ts'), 'export interface Shape { readonly side: number }\n');
  write(join(root, 'lib', 'data', 'q.kql'), 'AuditLogs | take 1');
  write(join(root, 'lib', 'data', 'schema.json'), '{"name":"AuditLogs"}');
  for (const file of ['build.js', 'ensure-built.js', 'compile-cache.js']) {
    mkdirSync(join(root, 'scripts', 'build'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'scripts', 'build', file), join(root, 'scripts', 'build', file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

/** Runs the project's compiled entry with the build check preloaded, as the npm scripts do. */
function runEntry(root: string) {
  return spawnSync(process.execPath, ['-r', './scripts/build/ensure-built.js', 'dist/src/main.js'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

const mtime = (file: string) => statSync(file).mtimeMs;

describe('build', () => {
  test('a first build compiles every source into dist/ and copies the data files next to the code', () => {
    const root = project('first');
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 2, copied: 2, removed: 0, full: true }));
    expect(readFileSync(join(root, 'dist', 'lib', 'answer.js'), 'utf8')).toContain('exports.answer = answer;');
    expect(readFileSync(join(root, 'dist', 'lib', 'data', 'q.kql'), 'utf8')).toBe('AuditLogs | take 1');
    expect(readFileSync(join(root, 'dist', 'lib', 'data', 'schema.json'), 'utf8')).toBe('{"name":"AuditLogs"}');
    expect(existsSync(join(root, 'dist', 'lib', 'shape.d.js'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'lib', 'shape.js'))).toBe(false);
    // No source maps: nothing for Node or cdktf's stack traces to map through.
    expect(readFileSync(join(root, 'dist', 'src', 'main.js'), 'utf8')).not.toContain('sourceMappingURL');
    const run = runEntry(root);
    expect([run.status, run.stdout, run.stderr]).toEqual([0, '42 AuditLogs | take 1', '']);
  });

  test('with nothing changed a build writes nothing and never loads TypeScript', () => {
    const root = project('noop');
    builder.build({ root });
    const before = mtime(join(root, 'dist', 'src', 'main.js'));
    const probe = spawnSync(
      process.execPath,
      ['-e', "const r = require('./scripts/build/build.js').build(); process.stdout.write(JSON.stringify({ r, ts: Object.keys(require.cache).some((k) => /[\\\\/]typescript[\\\\/]/.test(k)) }))"],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ r: expect.objectContaining({ compiled: 0, copied: 0, removed: 0 }), ts: false });
    expect(mtime(join(root, 'dist', 'src', 'main.js'))).toBe(before);
  });

  test('an edited source is compiled again, alone, and the next run of the entry says so on stderr', () => {
    const root = project('edit');
    builder.build({ root });
    const other = mtime(join(root, 'dist', 'src', 'main.js'));
    write(join(root, 'lib', 'answer.ts'), 'export const answer = (): number => 43;\n');
    const run = runEntry(root);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('43 AuditLogs | take 1');
    expect(run.stderr).toMatch(/^Build: compiled 1 file\(s\) into dist\/ in \d+ ms\n$/);
    expect(mtime(join(root, 'dist', 'src', 'main.js'))).toBe(other);
  });

  test('a file restored with an older modification time is still noticed', () => {
    const root = project('older');
    builder.build({ root });
    write(join(root, 'lib', 'answer.ts'), 'export const answer = (): number => 44;\n');
    utimesSync(join(root, 'lib', 'answer.ts'), new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 1, full: false }));
    expect(readFileSync(join(root, 'dist', 'lib', 'answer.js'), 'utf8')).toContain('44');
  });

  test('an edited data file is copied again', () => {
    const root = project('data');
    builder.build({ root });
    write(join(root, 'lib', 'data', 'q.kql'), 'SigninLogs | take 2');
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 0, copied: 1 }));
    expect(runEntry(root).stdout).toBe('42 SigninLogs | take 2');
  });

  test('a source or data file that is gone loses its output; files the build did not write stay', () => {
    const root = project('removed');
    write(join(root, 'src', 'extra.ts'), 'export const extra = 1;\n');
    builder.build({ root });
    expect(existsSync(join(root, 'dist', 'src', 'extra.js'))).toBe(true);
    write(join(root, 'dist', 'src', 'notes.txt'), 'mine');
    write(join(root, 'dist', 'lib', 'data', 'mine.kql'), 'mine');
    unlinkSync(join(root, 'src', 'extra.ts'));
    unlinkSync(join(root, 'lib', 'data', 'schema.json'));
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 0, copied: 0, removed: 2 }));
    expect(existsSync(join(root, 'dist', 'src', 'extra.js'))).toBe(false);
    expect(existsSync(join(root, 'dist', 'lib', 'data', 'schema.json'))).toBe(false);
    expect(readFileSync(join(root, 'dist', 'src', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(root, 'dist', 'lib', 'data', 'mine.kql'), 'utf8')).toBe('mine');
  });

  test('a deleted output is written again', () => {
    const root = project('deleted-output');
    builder.build({ root });
    unlinkSync(join(root, 'dist', 'lib', 'answer.js'));
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 1, full: false }));
    expect(runEntry(root).stdout).toBe('42 AuditLogs | take 1');
  });

  test('another compiler configuration, or --force, rebuilds everything', () => {
    const root = project('reconfigured');
    builder.build({ root });
    write(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...TSCONFIG.compilerOptions, removeComments: true } }));
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 2, copied: 2, full: true }));
    expect(builder.build({ root, force: true })).toEqual(expect.objectContaining({ compiled: 2, copied: 2, full: true }));
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 0, copied: 0, full: false }));
  });

  test('fails on a syntax error with file:line:column, builds the rest, and retries the broken file next time', () => {
    const root = project('syntax');
    builder.build({ root });
    write(join(root, 'src', 'broken.ts'), 'export const ok = 1;\nexport const x = ;\n');
    write(join(root, 'lib', 'answer.ts'), 'export const answer = (): number => 45;\n');
    expect(() => builder.build({ root })).toThrow(/^1 syntax error\(s\); fix them and run again:\n {2}- src\/broken\.ts:2:18: Expression expected\. \(TS1109\)$/);
    expect(readFileSync(join(root, 'dist', 'lib', 'answer.js'), 'utf8')).toContain('45');
    expect(existsSync(join(root, 'dist', 'src', 'broken.js'))).toBe(false);
    // The entry does not run on a broken build.
    const run = runEntry(root);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('Build failed: 1 syntax error(s); fix them and run again:\n  - src/broken.ts:2:18: Expression expected. (TS1109)\nNothing was run.\n');
    write(join(root, 'src', 'broken.ts'), 'export const ok = 1;\nexport const x = 2;\n');
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 1 }));
  });

  test.each([
    ['an include that is not a whole folder', { ...BUILD_CONFIG, include: ['src/main.ts'] }, 'tsconfig.build.json: include entry "src/main.ts" is not of the form "<folder>/**/*.ts"'],
    ['no include', { ...BUILD_CONFIG, include: [] }, 'tsconfig.build.json: "include" lists no source folder'],
    ['no outDir', { ...BUILD_CONFIG, compilerOptions: { noEmit: false, rootDir: '.' } }, 'compilerOptions must set "outDir" (e.g. "dist") and "rootDir": "."'],
    ['an exclude that leaves out a source', { ...BUILD_CONFIG, exclude: ['lib/answer.ts'] }, 'selects other files than its source folders hold (only in TypeScript\'s list: none; only in the folders: lib/answer.ts)'],
  ])('refuses a tsconfig.build.json with %s', (name, config, message) => {
    const root = project(`config-${name.replace(/\W+/g, '-')}`);
    write(join(root, 'tsconfig.build.json'), JSON.stringify(config));
    expect(() => builder.build({ root })).toThrow(builder.BuildError);
    expect(() => builder.build({ root })).toThrow(message);
  });

  test('refuses a tsconfig.build.json that is not plain JSON', () => {
    const root = project('config-comments');
    write(join(root, 'tsconfig.build.json'), '// a comment\n{}');
    expect(() => builder.build({ root })).toThrow(/^tsconfig\.build\.json: [\s\S]*; it must be plain JSON \(no comments\)/);
  });

  test('two builds at once both succeed and leave complete files', async () => {
    const root = project('race');
    const start = () =>
      new Promise<number | null>((done) => {
        const child = spawn(process.execPath, ['scripts/build/build.js'], { cwd: root, stdio: 'ignore' });
        child.on('exit', (code) => done(code));
      });
    expect(await Promise.all([start(), start()])).toEqual([0, 0]);
    expect(runEntry(root)).toEqual(expect.objectContaining({ status: 0, stdout: '42 AuditLogs | take 1', stderr: '' }));
    expect(builder.build({ root })).toEqual(expect.objectContaining({ compiled: 0, copied: 0, removed: 0 }));
  });
});

describe("this repository's build configuration", () => {
  test('compiles exactly the files TypeScript selects, with isolatedModules (what per-file transpiling needs) and no source maps', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof import('typescript');
    const parsed = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, 'tsconfig.build.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    expect(parsed?.errors).toEqual([]);
    const selected = parsed!.fileNames.filter((f) => !f.endsWith('.d.ts')).map((f) => f.slice(REPO_ROOT.length + 1)).sort();
    const inputs = builder.plan(builder.readLayout(REPO_ROOT)).inputs;
    expect(inputs.filter((f) => f.endsWith('.ts'))).toEqual(selected);
    expect(selected).toEqual(expect.arrayContaining(['stacks/main.ts', 'constructs/index.ts', 'scripts/plan-summary.ts']));
    expect(inputs).toEqual(expect.arrayContaining(['constructs/entra-alert-rules/queries/mfa-fatigue.kql', 'constructs/internal/log-table-schemas/AuditLogs.json']));
    expect(parsed!.options).toEqual(expect.objectContaining({ isolatedModules: true, sourceMap: false, outDir: join(REPO_ROOT, 'dist') }));
  });
});

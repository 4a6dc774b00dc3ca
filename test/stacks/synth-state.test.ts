/**
 * Day-2 synth: the second and later synths keep Terraform's state and working files, a failed synth
 * removes only what synth wrote, and synth refuses folders that are not its own. Synth runs in a
 * throw-away project folder: in this process (`stacks/synth.ts`, what `main.ts` runs, with that folder
 * as the project folder), and as a child process, the way `npm run synth` and `cdktf deploy` run it,
 * where the process is what is tested (the working folder, two synths at once, a signal).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { synth as runSynth } from '../../stacks/synth';
import { nodeArgs } from '../support/run-script';

const work = mkdtempSync(join(tmpdir(), 'entra-synth-state-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DEV = `tenants:
  contoso:
    tenantId: 00000000-0000-4000-8000-00000000c001
    environments:
      dev:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
        readerApp: { enabled: false }
        alerts: { enabled: false }
`;
const TWO = `${DEV}      test:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
        diagnosticSettingName: entra-audit-contoso-test
        readerApp: { enabled: false }
        alerts: { enabled: false }
`;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A project folder with a configuration file. `synth` runs synth in this process with the folder as
 * the project folder; `synthProcess` runs the compiled app in a child process working in the folder.
 */
function project(name: string, config = DEV): { dir: string; synth: (env?: NodeJS.ProcessEnv) => Promise<Run>; synthProcess: (env?: NodeJS.ProcessEnv) => Run } {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'environments.yaml'), config);
  const synth = async (env: NodeJS.ProcessEnv = {}): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const status = await runSynth({
      projectDir: dir,
      env: { ENTRA_AUDIT_CONFIG: join(dir, 'environments.yaml'), ...env },
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { status, stdout, stderr };
  };
  const synthProcess = (env: NodeJS.ProcessEnv = {}): Run =>
    spawnSync(process.execPath, nodeArgs('stacks/main.ts'), {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_CONFIG: join(dir, 'environments.yaml'), CDKTF_OUTDIR: '', ENTRA_AUDIT_STACKS: '', ...env },
    });
  return { dir, synth, synthProcess };
}

/** What Terraform and the user leave in a project after `cdktf deploy`. */
function workingFiles(dir: string, stack: string): Record<string, string> {
  const stackDir = join(dir, 'cdktf.out', 'stacks', stack);
  const files = {
    [join(dir, `terraform.${stack}.tfstate`)]: '{"version":4,"serial":7}',
    [join(dir, `terraform.${stack}.tfstate.backup`)]: '{"version":4,"serial":6}',
    [join(stackDir, '.terraform.lock.hcl')]: '# lock file',
    [join(stackDir, '.terraform', 'terraform.tfstate')]: '{"backend":{}}',
    [join(stackDir, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'azurerm', 'marker')]: 'provider',
    [join(stackDir, 'tfplan')]: 'plan file',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  return files;
}

function expectIntact(files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) expect([file, readFileSync(file, 'utf8')]).toEqual([file, text]);
}

describe('state and working files survive synth', () => {
  test('local state lives in the project folder, and cdk.tf.json points there from the stack folder', () => {
    // A child process: the project folder is the working folder of `npm run synth`.
    const { dir, synthProcess } = project('path');
    const run = synthProcess();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'contoso-dev', 'cdk.tf.json'), 'utf8'));
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.contoso-dev.tfstate' } });
    // Terraform resolves the path in the stack's working folder.
    expect(resolve(dir, 'cdktf.out', 'stacks', 'contoso-dev', json.terraform.backend.local.path)).toBe(join(dir, 'terraform.contoso-dev.tfstate'));
  });

  test('a second synth keeps state, .terraform/, the lock file and plan files', async () => {
    const { dir, synth } = project('second');
    expect((await synth()).status).toBe(0);
    const files = workingFiles(dir, 'contoso-dev');
    const again = await synth();
    expect(again.status).toBe(0);
    expectIntact(files);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'contoso-dev', 'cdk.tf.json'))).toBe(true);
    expect(readdirSync(join(dir, 'cdktf.out')).filter((n) => n.includes('staging'))).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.includes('staging'))).toEqual([]);
  });

  test('a failed synth removes every cdk.tf.json and the manifest, and nothing else', async () => {
    const { dir, synth } = project('failed');
    expect((await synth()).status).toBe(0);
    const files = workingFiles(dir, 'contoso-dev');
    writeFileSync(join(dir, 'environments.yaml'), DEV.replace('westeurope', 'West Europe'));
    const run = await synth();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Nothing was synthesized.');
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'contoso-dev', 'cdk.tf.json'))).toBe(false);
    expect(existsSync(join(dir, 'cdktf.out', 'manifest.json'))).toBe(false);
    expectIntact(files);
    // And the next good synth carries on from there.
    writeFileSync(join(dir, 'environments.yaml'), DEV);
    expect((await synth()).status).toBe(0);
    expectIntact(files);
  });

  test('a stack removed from the configuration keeps its working files and is reported', async () => {
    const { dir, synth } = project('removed', TWO);
    expect((await synth()).status).toBe(0);
    const files = workingFiles(dir, 'contoso-test');
    writeFileSync(join(dir, 'environments.yaml'), DEV);
    const run = await synth();
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('cdktf.out/stacks/contoso-test belongs to no configured stack any more');
    expect(run.stderr).toContain('then npm run cdktf -- destroy contoso-test, or terraform destroy in its folder), then delete the folder');
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'contoso-test', 'cdk.tf.json'))).toBe(false);
    expectIntact(files);
    const manifest = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(['contoso-dev']);
  });

  test('state left inside the stack folder by earlier versions stops synth with the move to make', async () => {
    const { dir, synth } = project('legacy');
    expect((await synth()).status).toBe(0);
    const legacy = join(dir, 'cdktf.out', 'stacks', 'contoso-dev', 'terraform.contoso-dev.tfstate');
    writeFileSync(legacy, '{"version":4,"serial":3}');
    const run = await synth();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('contoso-dev: its local state is in cdktf.out/stacks/contoso-dev/terraform.contoso-dev.tfstate, where earlier versions kept it');
    expect(run.stderr).toContain('mv cdktf.out/stacks/contoso-dev/terraform.contoso-dev.tfstate terraform.contoso-dev.tfstate');
    expect(readFileSync(legacy, 'utf8')).toBe('{"version":4,"serial":3}');
    // In both places: the user picks one.
    writeFileSync(join(dir, 'terraform.contoso-dev.tfstate'), '{"version":4,"serial":9}');
    expect((await synth()).stderr).toContain('contoso-dev: local state exists in two places');
  });

  test('a staging folder left by a killed synth is removed by the next one', async () => {
    const { dir, synth } = project('stale');
    expect((await synth()).status).toBe(0);
    const stale = join(dir, 'cdktf.out', '.staging-999999999');
    mkdirSync(join(stale, 'stacks'), { recursive: true });
    const oldLayout = join(dir, 'cdktf.out.staging-999999999');
    mkdirSync(oldLayout);
    writeFileSync(join(oldLayout, 'manifest.json'), '{"version":"0.21.0","stacks":{}}');
    expect((await synth()).status).toBe(0);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(oldLayout)).toBe(false);
  });
});

describe('sharded synth (ENTRA_AUDIT_STACKS)', () => {
  test('writes the selected stacks and leaves the other configured stacks\' output as it was', async () => {
    const { dir, synth } = project('sharded', TWO);
    expect((await synth()).status).toBe(0);
    const files = workingFiles(dir, 'contoso-test');
    const other = join(dir, 'cdktf.out', 'stacks', 'contoso-test', 'cdk.tf.json');
    const before = readFileSync(other, 'utf8');
    const run = await synth({ ENTRA_AUDIT_STACKS: 'contoso-d*' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Synthesized 1 of 2 stack(s) (ENTRA_AUDIT_STACKS=contoso-d*) from ${join(dir, 'environments.yaml')} into cdktf.out/stacks: contoso-dev\nCoverage reports: cdktf.out/reports/index.md\n`);
    // Not selected is not orphaned: its cdk.tf.json stays. The one warning is the configuration's own.
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^Warning: tenant 00000000-0000-4000-8000-00000000c001: Entra diagnostic settings are tenant-wide/)]);
    expect(readFileSync(other, 'utf8')).toBe(before);
    expectIntact(files);
    const manifest = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(['contoso-dev']);
  });

  test('a stack no longer configured is still reported when another one is selected', async () => {
    const { dir, synth } = project('sharded-orphan', TWO);
    expect((await synth()).status).toBe(0);
    writeFileSync(join(dir, 'environments.yaml'), DEV);
    const run = await synth({ ENTRA_AUDIT_STACKS: 'contoso-dev' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('cdktf.out/stacks/contoso-test belongs to no configured stack any more');
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'contoso-test', 'cdk.tf.json'))).toBe(false);
  });

  test('an unknown stack fails, listing the configured ones, and nothing is synthesized', async () => {
    const { dir, synth } = project('sharded-unknown', TWO);
    expect((await synth()).status).toBe(0);
    const run = await synth({ ENTRA_AUDIT_STACKS: 'contoso-tst' });
    expect(run).toEqual({
      status: 1,
      stdout: '',
      stderr: 'ENTRA_AUDIT_STACKS: "contoso-tst" matches no configured stack (did you mean "contoso-test"?); the configured stacks are contoso-dev, contoso-test\nNothing was synthesized.\n',
    });
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'contoso-dev', 'cdk.tf.json'))).toBe(false);
  });

  test('the whole configuration is still validated', async () => {
    const { synth } = project('sharded-invalid', TWO.replace(/(test:\n {8}subscriptionId: \S+\n {8}location: )westeurope/, '$1West Europe'));
    const run = await synth({ ENTRA_AUDIT_STACKS: 'contoso-dev' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('tenants.contoso.environments.test.location: got "West Europe"');
    expect(run.stderr).toContain('Nothing was synthesized.');
  });
});

describe('synth owns only its folder', () => {
  function userFiles(dir: string): Record<string, string> {
    const files = {
      [join(dir, '.git', 'HEAD')]: 'ref: refs/heads/main\n',
      [join(dir, 'stacks', 'environments.yaml')]: 'mine',
      [join(dir, 'notes.txt')]: 'my notes',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(resolve(file, '..'), { recursive: true });
      writeFileSync(file, text);
    }
    return files;
  }

  test.each([
    ['the project folder (CDKTF_OUTDIR=$PWD)', '.', 'is the project folder'],
    ['the project folder with a bad configuration', '.', 'is the project folder'],
    ['a parent of the project', '..', 'contains the project folder'],
  ])('refuses %s and touches nothing', async (name, outdir, message) => {
    const { dir, synth } = project(name.replace(/\W+/g, '-'), name.includes('bad') ? 'tenants: [' : DEV);
    const files = userFiles(dir);
    const run = await synth({ CDKTF_OUTDIR: outdir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Nothing was synthesized.');
    expectIntact(files);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
  });

  test('refuses a non-empty folder it did not write', async () => {
    const { dir, synth } = project('foreign');
    const foreign = join(dir, 'elsewhere');
    const files = { [join(foreign, 'keep.txt')]: 'keep', [join(foreign, 'stacks', 'x', 'cdk.tf.json')]: '{}' };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(resolve(file, '..'), { recursive: true });
      writeFileSync(file, text);
    }
    const run = await synth({ CDKTF_OUTDIR: foreign });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is not empty and was not written by synth');
    expectIntact(files);
  });

  test('a stacks entry that is a file is a clean error', async () => {
    const { dir, synth } = project('stacks-file');
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'manifest.json'), '{"version":"0.21.0","stacks":{}}');
    writeFileSync(join(dir, 'out', 'stacks'), 'not a folder');
    const run = await synth({ CDKTF_OUTDIR: 'out' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('out/stacks is not a folder');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'out', 'stacks'), 'utf8')).toBe('not a folder');
  });

  test('two synths into one folder at once both succeed and leave one complete output', async () => {
    const { dir } = project('race', TWO);
    const start = () =>
      new Promise<number | null>((done) => {
        const child = spawn(process.execPath, nodeArgs('stacks/main.ts'), {
          cwd: dir,
          stdio: 'ignore',
          env: { ...process.env, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_CONFIG: join(dir, 'environments.yaml'), CDKTF_OUTDIR: '', ENTRA_AUDIT_STACKS: '' },
        });
        child.on('exit', (code) => done(code));
      });
    expect(await Promise.all([start(), start()])).toEqual([0, 0]);
    const stacks = join(dir, 'cdktf.out', 'stacks');
    expect(readdirSync(stacks).filter((s) => existsSync(join(stacks, s, 'cdk.tf.json'))).sort()).toEqual(['contoso-dev', 'contoso-test']);
    expect(readdirSync(join(dir, 'cdktf.out')).sort()).toEqual(['.entra-audit-synth.json', 'manifest.json', 'reports', 'stacks']);
    expect(readdirSync(join(dir, 'cdktf.out', 'reports')).sort()).toEqual(['contoso-dev.json', 'contoso-dev.md', 'contoso-test.json', 'contoso-test.md', 'index.md']);
  }, 60_000);

  test('an interrupted synth cleans up its staging folder and lock', async () => {
    const { dir } = project('interrupt');
    const child = spawn(process.execPath, nodeArgs('stacks/main.ts'), {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CHECKPOINT_DISABLE: '1', ENTRA_AUDIT_CONFIG: join(dir, 'environments.yaml'), CDKTF_OUTDIR: '', ENTRA_AUDIT_STACKS: '' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Interrupt as soon as the lock exists, i.e. while synth is at work.
    const lock = join(dir, 'cdktf.out', '.synth.lock');
    const deadline = Date.now() + 30_000;
    while (!existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    // Either the signal arrived before a checkpoint (130, nothing published) or after the last one (0).
    expect([0, 130]).toContain(code);
    if (code === 130) expect(stderr).toContain('interrupted by SIGINT');
    expect(readdirSync(join(dir, 'cdktf.out')).filter((n) => n.startsWith('.staging-') || n === '.synth.lock')).toEqual([]);
  }, 60_000);
});

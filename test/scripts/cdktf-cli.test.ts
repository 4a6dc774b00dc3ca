/**
 * `npm run cdktf`: the cdktf CLI with CHECKPOINT_DISABLE set, and a message instead of a crash where
 * its terminal library has no binary (Node 24).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/run-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require('../../scripts/cdktf-cli.js') as {
  ptyBinary(o: { pkgDir: string; abi: string; platform: string; arch: string; musl: boolean }): string | undefined;
  ptyAvailable(root?: string): { ok: boolean; why?: string };
  unsupportedMessage(why: string, args: readonly string[]): string;
  needsPty(args: readonly string[]): boolean;
  PTY_PACKAGE: string;
};

const PKG = join(REPO_ROOT, 'node_modules', '@cdktf', 'node-pty-prebuilt-multiarch');
const SCRIPT = join(REPO_ROOT, 'scripts', 'cdktf-cli.js');

describe('the terminal library binary', () => {
  test('exists for Node 22 (ABI 127) on linux-x64, and for no Node 24 (ABI 137) build on any platform', () => {
    expect(cli.ptyBinary({ pkgDir: PKG, abi: '127', platform: 'linux', arch: 'x64', musl: false })).toBe(join(PKG, 'prebuilds', 'linux-x64', 'node.abi127.node'));
    expect(cli.ptyBinary({ pkgDir: PKG, abi: '127', platform: 'linux', arch: 'x64', musl: true })).toBe(join(PKG, 'prebuilds', 'linux-x64', 'node.abi127.musl.node'));
    for (const [platform, arch] of [['linux', 'x64'], ['linux', 'arm64'], ['darwin', 'arm64'], ['win32', 'x64']]) {
      expect({ platform, arch, found: cli.ptyBinary({ pkgDir: PKG, abi: '137', platform, arch, musl: false }) }).toEqual({ platform, arch, found: undefined });
    }
  });

  test('is found for the Node running the tests exactly when its ABI has a prebuilt binary', () => {
    const expected = Number(process.versions.modules) <= 127;
    expect(cli.ptyAvailable()).toEqual(expected ? { ok: true } : { ok: false, why: expect.stringContaining(`ABI ${process.versions.modules}`) });
  });

  test('an uninstalled library says to run npm ci', () => {
    expect(cli.ptyAvailable('/nonexistent-project')).toEqual({ ok: false, why: `${cli.PTY_PACKAGE} is not installed (run npm ci)` });
  });
});

test('the message names the cause and both ways out, with the command the user ran', () => {
  const message = cli.unsupportedMessage('no binary for Node v24.21.0 (ABI 137)', ['deploy', 'contoso-prod']);
  expect(message.split('\n')).toEqual([
    'cdktf: the cdktf CLI cannot run here: no binary for Node v24.21.0 (ABI 137).',
    'Either:',
    '  - run the CLI with Node 22: npx -y node@22 node_modules/cdktf-cli/bundle/bin/cdktf deploy contoso-prod',
    '    (or switch this shell to Node 22, e.g. nvm use 22, and run npm run cdktf again); or',
    '  - drive Terraform directly, which needs no cdktf CLI: npm run synth, then',
    '    terraform -chdir=cdktf.out/stacks/<stack> init && terraform -chdir=cdktf.out/stacks/<stack> apply',
    '    (docs/deployment.md, "Without the cdktf CLI").',
  ]);
});

test('only commands that run Terraform need the library', () => {
  expect(cli.needsPty(['deploy', 'contoso-prod'])).toBe(true);
  expect(cli.needsPty(['synth'])).toBe(true);
  expect(cli.needsPty(['--version'])).toBe(false);
  expect(cli.needsPty(['deploy', '--help'])).toBe(false);
  expect(cli.needsPty(['help'])).toBe(false);
  expect(cli.needsPty([])).toBe(false);
});

describe('end to end', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  const supported = Number(process.versions.modules) <= 127;

  test('--check and --notice agree with the binary lookup; --notice never fails an install', () => {
    const check = run(['--check']);
    const notice = run(['--notice']);
    expect(notice.status).toBe(0);
    if (supported) {
      expect([check.status, check.stderr, notice.stderr]).toEqual([0, '', '']);
    } else {
      expect(check.status).toBe(1);
      expect(check.stderr).toMatch(/^cdktf: the cdktf CLI cannot run here: .*ABI \d+/);
      expect(notice.stderr).toMatch(/^Note: cdktf: the cdktf CLI cannot run here/);
    }
  });

  test('passes other commands to the cdktf CLI and returns its exit code', () => {
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.split('\n')[0]).toBe('0.21.0');
  });
});

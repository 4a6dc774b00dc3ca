#!/usr/bin/env node
/**
 * `npm run cdktf -- <command> [args]`: the cdktf CLI of this project (cdktf-cli 0.21.0), with
 * HashiCorp's checkpoint service switched off, and a clear message instead of a crash on a Node.js
 * line the CLI cannot run on.
 *
 *   npm run cdktf -- deploy contoso-dev
 *   node scripts/cdktf-cli.js --check     # exit 0 when the CLI can run on this Node, 1 (with the message) when not
 *   node scripts/cdktf-cli.js --notice    # the same message as a note, exit 0 (npm ci runs this: an install never fails for it)
 *
 * Why the check: every cdktf command that runs Terraform loads `@cdktf/node-pty-prebuilt-multiarch`
 * 0.10.2, a native module that ships prebuilt binaries only (prebuilds/<platform>-<arch>/node.abi<N>.node,
 * up to ABI 127, Node 22). On Node 24 (ABI 137) it finds none and the CLI dies with
 * "Cannot find module '../build/Debug/pty.node'"; building it from source needs node-gyp, a compiler and
 * Node's headers, which this project does not run (package.json `allowScripts` denies its install
 * script). `--version` and `--help` do not load it and still work.
 *
 * Why CHECKPOINT_DISABLE: cdktf and Terraform call HashiCorp's checkpoint service
 * (checkpoint-api.hashicorp.com) to look for new versions unless CHECKPOINT_DISABLE is set
 * (https://developer.hashicorp.com/terraform/cli/commands#upgrade-and-security-bulletin-checks).
 * A value the caller set is kept.
 *
 * Plain JavaScript, not compiled: it must work before and without the build.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { constants } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const PTY_PACKAGE = '@cdktf/node-pty-prebuilt-multiarch';

/**
 * Where `@cdktf/node-pty-prebuilt-multiarch` 0.10.2 looks for its binary (its `lib/prebuild-file-path.js`
 * and `lib/prebuild-loader.js`): `prebuilds/<platform>-<arch>/node.abi<ABI>[.musl].node`, else a local
 * build in `build/Release` or `build/Debug`. Returns the file found, or undefined.
 */
function ptyBinary({ pkgDir, abi, platform, arch, musl }) {
  const name = `node.abi${abi}${musl ? '.musl' : ''}.node`;
  const candidates = [join(pkgDir, 'prebuilds', `${platform}-${arch}`, name), join(pkgDir, 'build', 'Release', 'pty.node'), join(pkgDir, 'build', 'Debug', 'pty.node')];
  return candidates.find((file) => fs.existsSync(file));
}

/** Whether the cdktf CLI's terminal library has a binary for the Node.js running this script. */
function ptyAvailable(root = ROOT) {
  let pkgDir;
  try {
    pkgDir = join(require.resolve(`${PTY_PACKAGE}/package.json`, { paths: [root] }), '..');
  } catch {
    return { ok: false, why: `${PTY_PACKAGE} is not installed (run npm ci)` };
  }
  const musl = process.platform === 'linux' && fs.existsSync('/etc/alpine-release');
  const found = ptyBinary({ pkgDir, abi: process.versions.modules, platform: process.platform, arch: process.arch, musl });
  if (found) return { ok: true };
  return { ok: false, why: `${PTY_PACKAGE} has no binary for Node ${process.version} (ABI ${process.versions.modules}) on ${process.platform}-${process.arch}: its prebuilt binaries stop at Node 22 (ABI 127)` };
}

/** The message for a Node the CLI cannot run on: what happened and the two ways out. */
function unsupportedMessage(why, args) {
  const command = args.length > 0 ? args.join(' ') : '<command>';
  return [
    `cdktf: the cdktf CLI cannot run here: ${why}.`,
    'Either:',
    `  - run the CLI with Node 22: npx -y node@22 node_modules/cdktf-cli/bundle/bin/cdktf ${command}`,
    '    (or switch this shell to Node 22, e.g. nvm use 22, and run npm run cdktf again); or',
    '  - drive Terraform directly, which needs no cdktf CLI: npm run synth, then',
    '    terraform -chdir=cdktf.out/stacks/<stack> init && terraform -chdir=cdktf.out/stacks/<stack> apply',
    '    (docs/deployment.md, "Without the cdktf CLI").',
  ].join('\n');
}

/** Commands that do not load the terminal library. */
function needsPty(args) {
  return !(args.length === 0 || args.some((a) => a === '--version' || a === '--help' || a === '-h') || args[0] === 'help');
}

function main(args) {
  if (args[0] === '--check' || args[0] === '--notice') {
    const pty = ptyAvailable();
    if (!pty.ok) process.stderr.write(`${args[0] === '--notice' ? 'Note: ' : ''}${unsupportedMessage(pty.why, ['deploy', '<stack>'])}\n`);
    return Promise.resolve(pty.ok || args[0] === '--notice' ? 0 : 1);
  }
  if (needsPty(args)) {
    const pty = ptyAvailable();
    if (!pty.ok) {
      process.stderr.write(`${unsupportedMessage(pty.why, args)}\n`);
      return Promise.resolve(2);
    }
  }
  const cli = require.resolve('cdktf-cli/bundle/bin/cdktf', { paths: [ROOT] });
  const env = { ...process.env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? '1' };
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit', env });
    const forward = (signal) => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
    child.on('error', (e) => {
      process.stderr.write(`cdktf: could not start the cdktf CLI: ${e.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)));
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

module.exports = { ptyBinary, ptyAvailable, unsupportedMessage, needsPty, PTY_PACKAGE };

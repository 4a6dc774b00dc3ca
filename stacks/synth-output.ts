/**
 * The synth output folder (`cdktf.out` by default) and what synth may do in it.
 *
 * Terraform keeps working files next to each stack's `cdk.tf.json`: `.terraform/` (providers,
 * modules, the backend's cached settings), `.terraform.lock.hcl`, plan files, and, with an older
 * configuration of this project, local state. Synth therefore never replaces the folder or a stack's
 * folder: it writes its files into a private staging folder, then moves exactly those files into
 * place. A failed synth removes every `cdk.tf.json`, the manifest and the coverage reports (so no stale
 * stack can be deployed or reported on) and nothing else.
 *
 * Ownership: synth writes only into a folder that is new, empty, or recognisably its own (a cdktf
 * `manifest.json` or this tool's marker file). It refuses the project folder, any folder that
 * contains the project, and any other non-empty folder.
 *
 * Concurrency: one synth at a time per folder, through a lock folder created atomically (`mkdir`);
 * a lock left by a process that no longer runs on this machine is taken over.
 */
import { hostname } from 'node:os';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isReportFile, REPORTS_DIR } from './report/marker';

/** Written into every output folder this tool synthesizes into; its presence marks the folder as ours. */
export const MARKER_FILE = '.entra-audit-synth.json';
/** cdktf's manifest, listing the synthesized stacks. */
export const MANIFEST_FILE = 'manifest.json';
/** The file Terraform reads in each stack's working folder. */
export const STACK_FILE = 'cdk.tf.json';
const LOCK_DIR = '.synth.lock';
const STAGING_PREFIX = '.staging-';

/** A problem with the output folder or its lock: the message says what to do; exit code 1. */
export class SynthOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthOutputError';
  }
}

export interface LockOptions {
  /** How long to wait for another synth to finish. @default 120000 */
  readonly timeoutMs?: number;
  /** @default 100 */
  readonly pollMs?: number;
  /** Whether a process runs (injectable for tests). @default process.kill(pid, 0) */
  readonly isRunning?: (pid: number) => boolean;
  /** Clock and sleep, injectable for tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => void;
}

/** The output folder as synth will use it: absolute, and never the project or a folder containing it. */
export function resolveOutdir(outdir: string, projectDir: string): string {
  const out = resolve(projectDir, outdir);
  const project = resolve(projectDir);
  const fromOut = relative(out, project);
  if (fromOut === '' || (!fromOut.startsWith('..') && !isAbsolute(fromOut))) {
    throw new SynthOutputError(
      `the output folder ${out} ${fromOut === '' ? 'is the project folder' : 'contains the project folder'}; synth would mix its stacks/ and manifest.json with your files. ` +
        'Set CDKTF_OUTDIR (or cdktf --output) to a folder of its own, such as cdktf.out',
    );
  }
  return out;
}

/**
 * Refuses a folder synth did not create: it must be missing, empty, or hold this tool's marker or a
 * cdktf manifest. A file where the folder (or its `stacks` folder) should be is refused too.
 */
export function checkOwnership(outdir: string): void {
  if (!existsSync(outdir)) return;
  const stat = lstatSync(outdir);
  if (!stat.isDirectory()) throw new SynthOutputError(`the output folder ${outdir} is not a folder; remove it or set CDKTF_OUTDIR to another path`);
  const entries = readdirSync(outdir);
  if (entries.length > 0 && !entries.includes(MARKER_FILE) && !isCdktfManifest(join(outdir, MANIFEST_FILE))) {
    throw new SynthOutputError(
      `the output folder ${outdir} is not empty and was not written by synth (it has no ${MARKER_FILE} or cdktf ${MANIFEST_FILE}); ` +
        'synth writes only into a new, empty or earlier synth output folder. Set CDKTF_OUTDIR to such a folder, e.g. cdktf.out',
    );
  }
  const stacks = join(outdir, 'stacks');
  if (existsSync(stacks) && !lstatSync(stacks).isDirectory()) {
    throw new SynthOutputError(`${stacks} is not a folder; synth writes one folder per stack there. Move the file away and synthesize again`);
  }
}

function isCdktfManifest(file: string): boolean {
  try {
    if (!lstatSync(file).isFile()) return false;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { stacks?: unknown; version?: unknown };
    return typeof json.version === 'string' && json.stacks !== null && typeof json.stacks === 'object';
  } catch {
    return false;
  }
}

function defaultIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(lockDir, 'owner.json'), 'utf8')) as Partial<LockOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : undefined;
  } catch {
    return undefined;
  }
}

/** A held synth lock; `release` removes it (idempotent). */
export interface SynthLock {
  release(): void;
}

/**
 * Takes the output folder's lock, waiting (bounded) while another synth holds it. A lock whose owner
 * no longer runs on this machine, or that has no readable owner and is older than the timeout, is stale
 * and taken over.
 */
export function acquireLock(outdir: string, options: LockOptions = {}): SynthLock {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 100;
  const isRunning = options.isRunning ?? defaultIsRunning;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepSync;
  const lockDir = join(outdir, LOCK_DIR);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  const deadline = now() + timeoutMs;
  let firstSeenOwnerless: number | undefined;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner.json'), JSON.stringify(me));
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          const owner = readOwner(lockDir);
          if (owner && owner.pid === me.pid && owner.host === me.host) rmSync(lockDir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(lockDir);
    if (owner === undefined) {
      // Just created by another synth that has not written its owner yet, or left half-made.
      firstSeenOwnerless ??= now();
      if (now() - firstSeenOwnerless > Math.min(timeoutMs, 5_000)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
    } else if (owner.host === me.host && !isRunning(owner.pid)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (now() >= deadline) {
      const who = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
      throw new SynthOutputError(
        `another synth (${who}) has been writing ${outdir} for over ${Math.round(timeoutMs / 1000)} s (lock ${lockDir}); ` +
          'wait for it to finish, or remove that folder if no synth is running',
      );
    }
    sleep(pollMs);
  }
}

/** The staging folder of this process inside `outdir`. */
export function stagingDir(outdir: string, pid = process.pid): string {
  return join(outdir, `${STAGING_PREFIX}${pid}`);
}

/**
 * Removes staging folders left by interrupted synths. Called while holding the lock, so none of them
 * belongs to a running synth. Also removes the `<outdir>.staging-<pid>` siblings an earlier version of
 * this tool staged into, when their process is gone.
 */
export function removeStaleStaging(outdir: string, isRunning: (pid: number) => boolean = defaultIsRunning): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(outdir)) {
    if (name.startsWith(STAGING_PREFIX) && Number(name.slice(STAGING_PREFIX.length)) !== process.pid) {
      rmSync(join(outdir, name), { recursive: true, force: true });
      removed.push(join(outdir, name));
    }
  }
  const parent = resolve(outdir, '..');
  const prefix = `${resolve(outdir).slice(parent.length + 1)}.staging-`;
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    const path = join(parent, name);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid) && (readdirSync(path).length === 0 || isCdktfManifest(join(path, MANIFEST_FILE)))) {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}

function manifestStacks(outdir: string): Record<string, { synthesizedStackPath: string; workingDirectory: string }> {
  const json = JSON.parse(readFileSync(join(outdir, MANIFEST_FILE), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string; workingDirectory: string }> };
  return json.stacks;
}

/** The stack folders under `outdir/stacks`. */
export function stackFolders(outdir: string): string[] {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return [];
  return readdirSync(stacks).filter((name) => lstatSync(join(stacks, name)).isDirectory());
}

export interface PublishResult {
  /** Stack ids written. */
  readonly stacks: string[];
  /** Report files written into `reports/`. */
  readonly reports: string[];
  /** Stack folders kept although their stack is no longer configured (their `cdk.tf.json` was removed). */
  readonly orphaned: string[];
}

/**
 * Moves what synth wrote in `staging` into `outdir`, file by file, leaving every other file in each
 * stack folder (Terraform's working files) as it is. Folders of stacks no longer in the configuration
 * (`configured`: every stack id of the configuration, synthesized in this run or not) lose their
 * `cdk.tf.json` and are reported; their working files stay. A sharded synth (ENTRA_AUDIT_STACKS)
 * therefore leaves the output of the configured stacks it did not build as it was. The manifest lists
 * the stacks of this run.
 */
export function publish(staging: string, outdir: string, configured: readonly string[]): PublishResult {
  const stacks = manifestStacks(staging);
  const reports = checkReportTargets(staging, outdir);
  const written = Object.keys(stacks);
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  for (const stack of Object.values(stacks)) {
    const from = join(staging, stack.workingDirectory);
    const to = join(outdir, stack.workingDirectory);
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) moveInto(join(from, name), join(to, name));
  }
  const kept = new Set(configured.map((id) => `stacks/${id}`));
  for (const stack of Object.values(stacks)) kept.add(stack.workingDirectory);
  const orphaned = stackFolders(outdir).filter((name) => !kept.has(`stacks/${name}`));
  for (const name of orphaned) rmSync(join(outdir, 'stacks', name, STACK_FILE), { force: true });
  publishReports(staging, outdir, reports, configured);
  renameSync(join(staging, MANIFEST_FILE), join(outdir, MANIFEST_FILE));
  return { stacks: written, reports, orphaned };
}

/** Renames a file over its target; a folder is merged entry by entry, so nothing else in the target is lost. */
function moveInto(from: string, to: string): void {
  if (lstatSync(from).isDirectory()) {
    if (existsSync(to) && !lstatSync(to).isDirectory()) {
      throw new SynthOutputError(`${to} is a file where synth writes a folder; move it away and synthesize again`);
    }
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) moveInto(join(from, name), join(to, name));
    return;
  }
  if (existsSync(to) && lstatSync(to).isDirectory()) {
    throw new SynthOutputError(`${to} is a folder where synth writes a file; move it away and synthesize again`);
  }
  renameSync(from, to);
}

/** After a failed synth: no stack may be deployable from the output, nor a report describe it; nothing else is touched. */
export function withdrawStacks(outdir: string): void {
  if (!existsSync(outdir)) return;
  for (const name of stackFolders(outdir)) rmSync(join(outdir, 'stacks', name, STACK_FILE), { force: true });
  rmSync(join(outdir, MANIFEST_FILE), { force: true });
  withdrawReports(outdir);
}

// ---- Coverage reports (`reports/`): synth writes and removes only files that begin like its reports ----

/**
 * The report files staged, after checking that each can be put in place: `reports/` must be a folder,
 * and a file already where a report goes must be one of synth's reports (never a user's `index.md`).
 */
function checkReportTargets(staging: string, outdir: string): string[] {
  const from = join(staging, REPORTS_DIR);
  const names = existsSync(from) ? readdirSync(from).sort() : [];
  const to = join(outdir, REPORTS_DIR);
  if (!existsSync(to)) return names;
  if (!lstatSync(to).isDirectory()) throw new SynthOutputError(`${to} is not a folder; synth writes the coverage reports there. Move the file away and synthesize again`);
  for (const name of names) {
    const target = join(to, name);
    if (existsSync(target) && !isReportFile(target)) {
      throw new SynthOutputError(`${target} was not written by synth, and synth writes a coverage report there; move it away and synthesize again`);
    }
  }
  return names;
}

/**
 * Moves the staged reports into `reports/`, and removes the reports of stacks no longer configured.
 * The reports of configured stacks a sharded synth did not build stay as they were.
 */
function publishReports(staging: string, outdir: string, names: readonly string[], configured: readonly string[]): void {
  const to = join(outdir, REPORTS_DIR);
  if (names.length > 0) mkdirSync(to, { recursive: true });
  for (const name of names) renameSync(join(staging, REPORTS_DIR, name), join(to, name));
  if (!existsSync(to)) return;
  const kept = new Set([...names, ...configured.flatMap((id) => [`${id}.md`, `${id}.json`])]);
  for (const name of readdirSync(to)) {
    if (!kept.has(name) && isReportFile(join(to, name))) rmSync(join(to, name), { force: true });
  }
}

/** Removes synth's reports from `reports/` (after a failed synth); other files there stay. */
export function withdrawReports(outdir: string): void {
  const dir = join(outdir, REPORTS_DIR);
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) return;
  for (const name of readdirSync(dir)) {
    if (isReportFile(join(dir, name))) rmSync(join(dir, name), { force: true });
  }
}

/** Creates the folder if needed and marks it as synth output. */
export function claim(outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  const marker = join(outdir, MARKER_FILE);
  if (!existsSync(marker)) {
    writeFileSync(marker, `${JSON.stringify({ writtenBy: 'entra-audit-logging synth (stacks/main.ts)', note: 'Marks this folder as synth output. Terraform working files in stacks/*/ are kept across synths.' }, null, 2)}\n`);
  }
}

/**
 * Writes the report into `--out`, touching only what this tool wrote.
 *
 * The directory keeps a manifest (`.audit-report.json`) of the files the last run wrote. A file in
 * the way that is not in it (the user's own `summary.md`, a symbolic link, a directory) stops the run
 * before anything is written, naming each one. Files of the last run that this run no longer
 * writes (a KPI now skipped) are removed, so the directory holds one consistent report; anything
 * else in the directory is left alone.
 */
import { lstatSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../verify/errors';
import { writeOutputFile } from '../io/write-output';
import type { ReportFile } from './render';

export const MANIFEST_FILE = '.audit-report.json';
/** The only paths a manifest may name: what this tool writes (nothing outside the directory). */
const OWN_PATH = /^(?:charts\/)?[a-z0-9][a-z0-9-]*\.(?:md|csv|json|svg)$/;

interface Manifest {
  readonly tool: 'entra-audit-report';
  readonly files: readonly string[];
}

/** The files the last run wrote; undefined when the manifest is not one of ours (then it is not overwritten either). */
function readManifest(dir: string): Set<string> | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
    if (manifest.tool !== 'entra-audit-report' || !Array.isArray(manifest.files)) return undefined;
    return new Set(manifest.files.filter((f): f is string => typeof f === 'string' && OWN_PATH.test(f)));
  } catch {
    return undefined;
  }
}

type Kind = 'missing' | 'file' | 'other';

function kindOf(path: string): { kind: Kind; what?: string } {
  try {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) return { kind: 'other', what: 'a symbolic link' };
    if (stats.isDirectory()) return { kind: 'other', what: 'a directory' };
    if (!stats.isFile()) return { kind: 'other', what: 'not a regular file' };
    return { kind: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'other', what: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

/** Writes `files` under `dir` (created when missing); returns the paths written, relative to `dir`. */
export function writeReport(dir: string, files: readonly ReportFile[], flag = '--out'): string[] {
  const top = kindOf(dir);
  if (top.kind === 'other' && top.what !== 'a directory') throw new ConfigError('OutputRefused', `${flag} ${dir} is ${top.what}; give a directory`);
  if (top.kind === 'file') throw new ConfigError('OutputRefused', `${flag} ${dir} is a file; give a directory (it is created when missing)`);
  const manifestState = kindOf(join(dir, MANIFEST_FILE));
  const own = manifestState.kind === 'file' ? readManifest(dir) : undefined;
  const previous = own ?? new Set<string>();
  const refused: string[] = [];
  if (manifestState.kind === 'other') refused.push(`${MANIFEST_FILE} (${manifestState.what})`);
  if (manifestState.kind === 'file' && own === undefined) refused.push(`${MANIFEST_FILE} (not an audit-report manifest)`);
  for (const file of files) {
    const state = kindOf(join(dir, file.path));
    if (state.kind === 'other') refused.push(`${file.path} (${state.what})`);
    else if (state.kind === 'file' && !previous.has(file.path)) refused.push(`${file.path} (not written by audit-report)`);
    const parent = dirname(file.path);
    if (parent !== '.') {
      const folder = kindOf(join(dir, parent));
      if (folder.kind === 'other' && folder.what !== 'a directory') refused.push(`${parent}/ (${folder.what})`);
      if (folder.kind === 'file') refused.push(`${parent}/ (a file)`);
    }
  }
  if (refused.length > 0) {
    throw new ConfigError('OutputRefused', `${flag} ${dir} holds files this tool did not write, which it would overwrite: ${[...new Set(refused)].join(', ')}; choose an empty or new directory, or move them`);
  }
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeOutputFile(path, file.content, { label: `${flag} ${path}` });
  }
  const written = files.map((f) => f.path);
  for (const stale of previous) {
    if (written.includes(stale)) continue;
    const path = join(dir, stale);
    if (kindOf(path).kind === 'file') unlinkSync(path);
  }
  const manifest: Manifest = { tool: 'entra-audit-report', files: written };
  writeOutputFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { label: `${flag} ${join(dir, MANIFEST_FILE)}` });
  return written;
}

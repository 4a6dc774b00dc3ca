/**
 * Writing a command's output file (`--out`) with one clear message per failure.
 *
 * Refused before anything is opened: a directory, a FIFO or a socket (writing to a FIFO nobody reads
 * would wait for ever). Character devices such as /dev/null or /dev/stdout are written to as they are.
 * When the write fails part-way (a full disk), a file this call created is removed again, since it
 * wrote it; a file that existed before is left as it is, and the message says it may be incomplete.
 */
import { closeSync, fstatSync, openSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { describeFsError } from './read-input';

export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

export interface WriteOutputOptions {
  /** Names the destination in messages, e.g. `--out summary.md`. @default the path */
  readonly label?: string;
  /** Writes one chunk; tests inject a failing disk here. @default fs.writeSync */
  readonly writeChunk?: (fd: number, bytes: Buffer, offset: number, length: number) => number;
}

const WRITE_ERRORS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is too large for the file system',
  EROFS: 'the file system is read-only',
  EIO: 'an input/output error occurred',
};

function refuse(stats: Stats, label: string): OutputError | undefined {
  if (stats.isDirectory()) return new OutputError(`${label}: is a directory; give a file path inside it, e.g. ${label.replace(/\/?$/, '/summary.md')}`);
  if (stats.isFIFO() || stats.isSocket()) return new OutputError(`${label}: is ${stats.isFIFO() ? 'a FIFO (named pipe)' : 'a socket'}; give a regular file`);
  return undefined;
}

function describeWriteError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `the folder ${dirname(path)} does not exist (ENOENT); create it first or choose another path`;
  if (code === 'EISDIR') return 'is a directory (EISDIR); give a file path';
  if (code && WRITE_ERRORS[code]) return `${WRITE_ERRORS[code]} (${code})`;
  return describeFsError(error);
}

/** Writes `text` to `path` (created or truncated); failures are `OutputError`s. */
export function writeOutputFile(path: string, text: string, options: WriteOutputOptions = {}): void {
  const label = options.label ?? path;
  let existed = false;
  try {
    const stats = statSync(path);
    existed = true;
    const refusal = refuse(stats, label);
    if (refusal) throw refusal;
  } catch (error) {
    if (error instanceof OutputError) throw error;
    // A path that does not exist yet is the usual case; anything else surfaces when it is opened.
  }
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new OutputError(`${label}: cannot write: ${describeWriteError(error, path)}`);
  }
  let regular = false;
  try {
    const stats = fstatSync(fd);
    regular = stats.isFile();
    const refusal = refuse(stats, label);
    if (refusal) throw refusal;
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    const writeChunk = options.writeChunk ?? ((f: number, b: Buffer, offset: number, length: number) => writeSync(f, b, offset, length));
    while (written < bytes.length) written += writeChunk(fd, bytes, written, bytes.length - written);
  } catch (error) {
    closeSync(fd);
    if (error instanceof OutputError) throw error;
    let outcome = '';
    if (regular && !existed) {
      try {
        unlinkSync(path);
        outcome = '; the partial file was removed';
      } catch {
        outcome = '; the file may be incomplete';
      }
    } else if (regular) {
      outcome = '; the file may be incomplete';
    }
    throw new OutputError(`${label}: cannot write: ${describeWriteError(error, path)}${outcome}`);
  }
  try {
    closeSync(fd);
  } catch (error) {
    throw new OutputError(`${label}: cannot write: ${describeWriteError(error, path)}; the file may be incomplete`);
  }
}

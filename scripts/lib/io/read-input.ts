/**
 * Reads a text file given on the command line, safely: regular files only (a FIFO, a directory or
 * a device is refused before anything can block on it), at most `maxBytes`, UTF-8 (a UTF-8 BOM is
 * dropped; UTF-16, recognised by its BOM, and bytes that are not UTF-8 are refused with what to do).
 *
 * Why stat, then open with O_NONBLOCK, then fstat: `stat` refuses a FIFO before `open` could wait
 * for a writer; O_NONBLOCK keeps `open` from blocking if the path is swapped for a FIFO between the
 * two calls; `fstat` on the opened descriptor checks what was really opened.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

export type InputFileProblem = 'missing' | 'unreadable' | 'not-a-file' | 'too-large' | 'utf16' | 'not-utf8';

/** A file that cannot be used as input; the message names the file and says what to do. */
export class InputFileError extends Error {
  constructor(
    readonly problem: InputFileProblem,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

export interface ReadInputOptions {
  /** Largest accepted file, in bytes (the BOM included). */
  readonly maxBytes: number;
  /** What the file is, for messages (`KQL file`, `configuration file`). */
  readonly label: string;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const size = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${bytes} bytes`);

/** Reads `path` as UTF-8 text under the rules above; throws {@link InputFileError}. */
export function readInputFile(path: string, opts: ReadInputOptions): string {
  const { maxBytes, label } = opts;
  const notAFile = (stats: Stats): InputFileError =>
    new InputFileError('not-a-file', path, `${label} ${path} is ${kindOf(stats)}; give the path of a regular file (save piped text to a file first)`);
  const tooLarge = (bytes: string): InputFileError =>
    new InputFileError('too-large', path, `${label} ${path} is ${bytes}; the limit is ${size(maxBytes)}: is this the right file?`);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputFileError('missing', path, `${label} ${path} does not exist; check the path`);
    throw new InputFileError('unreadable', path, `${label} ${path} cannot be read (${code ?? (error as Error).message}); check its permissions`);
  }
  if (!stats.isFile()) throw notAFile(stats);
  if (stats.size > maxBytes) throw tooLarge(size(stats.size));

  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError('unreadable', path, `${label} ${path} cannot be opened (${code ?? (error as Error).message}); check its permissions`);
  }
  let bytes: Buffer;
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw notAFile(opened);
    // Read until end of file, but never more than maxBytes + 1 bytes: a file that grew since fstat is still caught.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - length));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) throw tooLarge(`more than ${size(maxBytes)}`);
    }
    bytes = Buffer.concat(chunks, length);
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError('unreadable', path, `${label} ${path} cannot be read (${code ?? (error as Error).message}); check the file`);
  } finally {
    closeSync(fd);
  }

  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputFileError('utf16', path, `${label} ${path} is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8`);
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new InputFileError('not-utf8', path, `${label} ${path} is not UTF-8 text (a binary file, or another encoding); save it as UTF-8`);
  }
}

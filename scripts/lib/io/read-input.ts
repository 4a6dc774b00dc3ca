/**
 * Reading one input file, bounded: regular files only, at most `maxBytes`, UTF-8 text.
 *
 * - A FIFO, socket, device or directory is refused at once. The file is opened with O_NONBLOCK (so
 *   opening a FIFO never waits for a writer) and checked with fstat on the open descriptor, so a file
 *   swapped after a stat cannot slip through.
 * - The size is checked before reading and the read stops at `maxBytes + 1` bytes, so a file that grows
 *   while it is read, or a special file reporting size 0, is still bounded.
 * - A UTF-8 byte-order mark is dropped. UTF-16 (BOM FF FE or FE FF, which Windows PowerShell 5.1's `>`
 *   writes) and bytes that are not UTF-8 are refused with a message saying how to convert the file.
 *
 * Every failure is an `InputError` with one line naming the file: commands print it as it is.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface ReadInputOptions {
  /** The largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Names the file in messages. @default the path */
  readonly label?: string;
  /** What the file should be, for messages (e.g. `the output of \`terraform show -json\``). @default none */
  readonly expected?: string;
}

const OPEN_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
};

/** `1536` → `1.5 KiB`; whole units stay whole (`8 MiB`). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The reason an open or read failed, in words, with the error code. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && OPEN_ERRORS[code]) return `${OPEN_ERRORS[code]} (${code})`;
  return code ?? (error as Error).message;
}

/** The text of a bounded, regular, UTF-8 file; see the module comment for what is refused. */
export function readInputFile(path: string, options: ReadInputOptions): string {
  const label = options.label ?? path;
  const expected = options.expected ? `; expected ${options.expected}` : '';
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw new InputError(`${label}: cannot be read: ${describeFsError(error)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputError(`${label}: is ${kindOf(stats)}; give a regular file${expected}`);
    if (stats.size > options.maxBytes) throw tooBig(label, `is ${stats.size.toLocaleString('en-US')} bytes`, options.maxBytes);
    const bytes = readBounded(fd, label, options.maxBytes);
    return decodeUtf8(bytes, label, expected);
  } finally {
    closeSync(fd);
  }
}

function tooBig(label: string, what: string, maxBytes: number): InputError {
  return new InputError(`${label}: ${what}, over the limit of ${formatBytes(maxBytes)} for this input; check that it is the file you meant`);
}

function readBounded(fd: number, label: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  // Read one byte past the limit to tell "exactly at the limit" from "over it".
  for (;;) {
    const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total));
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      throw new InputError(`${label}: cannot be read: ${describeFsError(error)}`);
    }
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > maxBytes) throw tooBig(label, 'grew while it was read', maxBytes);
  }
  return Buffer.concat(chunks, total);
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** UTF-8 text without its byte-order mark; UTF-16 and invalid UTF-8 are refused. */
export function decodeUtf8(bytes: Uint8Array, label: string, expected = ''): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const order = bytes[0] === 0xff ? 'FF FE, little-endian' : 'FE FF, big-endian';
    throw new InputError(
      `${label}: is UTF-16 text (byte-order mark ${order}); save it as UTF-8 ` +
        '(Windows PowerShell 5.1 writes UTF-16 with `>`: use `| Out-File -Encoding utf8` or PowerShell 7)',
    );
  }
  const start = UTF8_BOM.every((b, i) => bytes[i] === b) ? UTF8_BOM.length : 0;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
  } catch {
    throw new InputError(`${label}: is not UTF-8 text (binary data or another encoding)${expected}`);
  }
}

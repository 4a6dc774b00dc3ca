/**
 * readInputFile: regular UTF-8 files only, bounded; every refusal says what to do.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError, readInputFile } from '../../../scripts/lib/io/read-input';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'read-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const opts = { maxBytes: 64, label: 'KQL file' };

function refusal(path: string, maxBytes = 64): InputFileError {
  try {
    readInputFile(path, { ...opts, maxBytes });
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

test('reads a UTF-8 file, and through a symbolic link', () => {
  const path = file('ok.kql', 'SigninLogs | take 1 // é\n');
  expect(readInputFile(path, opts)).toBe('SigninLogs | take 1 // é\n');
  const link = join(dir, 'link.kql');
  symlinkSync(path, link);
  expect(readInputFile(link, opts)).toBe('SigninLogs | take 1 // é\n');
});

test('a UTF-8 BOM is dropped', () => {
  expect(readInputFile(file('bom.kql', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('AuditLogs')])), opts)).toBe('AuditLogs');
});

test('a FIFO is refused at once instead of waiting for a writer', () => {
  const fifo = join(dir, 'pipe.kql');
  execFileSync('mkfifo', [fifo]);
  expect(refusal(fifo)).toMatchObject({ problem: 'not-a-file', message: `KQL file ${fifo} is a named pipe (FIFO); give the path of a regular file (save piped text to a file first)` });
});

test('a directory and a device are refused', () => {
  expect(refusal(dir)).toMatchObject({ problem: 'not-a-file', message: expect.stringContaining('is a directory; give the path of a regular file') });
  expect(refusal('/dev/null')).toMatchObject({ problem: 'not-a-file', message: expect.stringContaining('/dev/null is a device') });
});

test('a file over maxBytes is refused before it is read', () => {
  expect(refusal(file('big.kql', 'x'.repeat(65)))).toMatchObject({ problem: 'too-large', message: expect.stringContaining('is 65 bytes; the limit is 64 bytes') });
  expect(readInputFile(file('edge.kql', 'x'.repeat(64)), opts)).toHaveLength(64);
});

test('UTF-16 (little- and big-endian BOM) is refused with what to do', () => {
  const le = file('le.kql', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('AuditLogs', 'utf16le')]));
  const be = file('be.kql', Buffer.from([0xfe, 0xff, 0x00, 0x41]));
  expect(refusal(le)).toMatchObject({ problem: 'utf16', message: `KQL file ${le} is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8` });
  expect(refusal(be).problem).toBe('utf16');
});

test('bytes that are not UTF-8 are refused', () => {
  expect(refusal(file('bin.kql', Buffer.from([0x41, 0xc3, 0x28, 0x00])))).toMatchObject({ problem: 'not-utf8', message: expect.stringContaining('is not UTF-8 text') });
});

test('a missing file says so', () => {
  const missing = join(dir, 'nope.kql');
  expect(refusal(missing)).toMatchObject({ problem: 'missing', message: `KQL file ${missing} does not exist; check the path` });
});

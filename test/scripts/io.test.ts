/**
 * The bounded input and output helpers shared by the commands (scripts/lib/io): regular files only,
 * size and depth limits, encodings, and one clear message per failure.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nestsDeeperThan, parseJsonInput, syntaxErrorWithoutInput } from '../../scripts/lib/io/json-input';
import { InputError, decodeUtf8, formatBytes, readInputFile } from '../../scripts/lib/io/read-input';
import { OutputError, writeOutputFile } from '../../scripts/lib/io/write-output';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readInputFile', () => {
  it('returns the text of a regular UTF-8 file', () => {
    expect(readInputFile(file('plain.json', '{"a":"é"}'), { maxBytes: 100 })).toBe('{"a":"é"}');
  });

  it('drops a UTF-8 byte-order mark', () => {
    const path = file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]));
    expect(readInputFile(path, { maxBytes: 100 })).toBe('{"a":1}');
  });

  it('refuses UTF-16 in both byte orders, saying how to save the file as UTF-8', () => {
    const le = file('le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]));
    const be = file('be.json', Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]));
    expect(() => readInputFile(le, { maxBytes: 100, label: 'plan.json' })).toThrow(
      new InputError('plan.json: is UTF-16 text (byte-order mark FF FE, little-endian); save it as UTF-8 (Windows PowerShell 5.1 writes UTF-16 with `>`: use `| Out-File -Encoding utf8` or PowerShell 7)'),
    );
    expect(() => readInputFile(be, { maxBytes: 100 })).toThrow(/is UTF-16 text \(byte-order mark FE FF, big-endian\)/);
  });

  it('refuses bytes that are not UTF-8, naming what was expected', () => {
    const path = file('binary.bin', Buffer.from([0x7b, 0xc3, 0x28, 0x00, 0xff]));
    expect(() => readInputFile(path, { maxBytes: 100, label: 'x', expected: 'a plan' })).toThrow(new InputError('x: is not UTF-8 text (binary data or another encoding); expected a plan'));
  });

  it('accepts a file exactly at the size limit and refuses one byte more, naming the limit', () => {
    expect(readInputFile(file('at-limit.txt', 'x'.repeat(1024)), { maxBytes: 1024 })).toHaveLength(1024);
    const over = file('over-limit.txt', 'x'.repeat(1025));
    expect(() => readInputFile(over, { maxBytes: 1024, label: 'big' })).toThrow(
      new InputError('big: is 1,025 bytes, over the limit of 1 KiB for this input; check that it is the file you meant'),
    );
  });

  it('refuses a huge file from its size alone, without reading it', () => {
    const sparse = file('sparse.json', '');
    truncateSync(sparse, 5 * 1024 * 1024 * 1024); // 5 GiB, no blocks allocated
    expect(() => readInputFile(sparse, { maxBytes: 32 * 1024 * 1024 })).toThrow(/: is 5,368,709,120 bytes, over the limit of 32 MiB for this input/);
  });

  it('refuses a directory and a character device, and says what to give instead', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    expect(() => readInputFile(folder, { maxBytes: 100, expected: 'a plan' })).toThrow(new InputError(`${folder}: is a directory; give a regular file; expected a plan`));
    expect(() => readInputFile('/dev/zero', { maxBytes: 100 })).toThrow(new InputError('/dev/zero: is a character device; give a regular file'));
  });

  it('names the cause of an open failure', () => {
    expect(() => readInputFile(join(dir, 'missing.json'), { maxBytes: 100, label: 'm' })).toThrow(new InputError('m: cannot be read: no such file (ENOENT)'));
    const notDir = file('a-file', 'x');
    expect(() => readInputFile(join(notDir, 'below'), { maxBytes: 100, label: 'n' })).toThrow(new InputError('n: cannot be read: a part of the path is not a folder (ENOTDIR)'));
  });

  it('formats sizes in binary units', () => {
    expect([formatBytes(12), formatBytes(1536), formatBytes(32 * 1024 * 1024)]).toEqual(['12 bytes', '1.5 KiB', '32 MiB']);
  });

  it('decodes from memory with the same rules', () => {
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 'b')).toBe('a');
    expect(() => decodeUtf8(Buffer.from([0xff, 0xfe, 0x61, 0x00]), 'b')).toThrow(InputError);
  });
});

describe('parseJsonInput', () => {
  it('parses JSON within the depth limit', () => {
    expect(parseJsonInput('{"a":[{"b":1}]}', { label: 'x', maxDepth: 3 })).toEqual({ a: [{ b: 1 }] });
  });

  it('refuses nesting beyond the limit with a clean message, even 100,000 levels deep', () => {
    expect(() => parseJsonInput('{"a":[{"b":1}]}', { label: 'x', maxDepth: 2 })).toThrow(new InputError('x: nests arrays and objects more than 2 levels deep, the most this tool reads'));
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => parseJsonInput(deep, { label: 'deep.json', maxDepth: 256, expected: 'a plan' })).toThrow(
      new InputError('deep.json: nests arrays and objects more than 256 levels deep, the most this tool reads; expected a plan'),
    );
  });

  it('measures depth without recursion', () => {
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i += 1) value = { k: value };
    expect(nestsDeeperThan(value, 199_999)).toBe(true);
    expect(nestsDeeperThan(value, 200_000)).toBe(false);
  });

  it('reports a syntax error by line and column without quoting the input', () => {
    const text = '{\n  "secret": "Ab8Q~xyz" oops\n}';
    let message = '';
    try {
      parseJsonInput(text, { label: 'p.json', maxDepth: 10 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^p\.json: not valid JSON \(.+ at line 2, column 24\)$/);
    expect(message).not.toContain('Ab8Q');
  });

  it('drops the input snippet newer V8 versions put into the message', () => {
    const node22 = new SyntaxError('Unexpected token \'o\', ..."b8Q~xyz" oops\n}" is not valid JSON');
    expect(syntaxErrorWithoutInput(node22, '')).toBe("Unexpected character 'o'");
    const withPosition = new SyntaxError("Expected ',' or '}' after property value in JSON at position 24 (line 2 column 23)");
    expect(syntaxErrorWithoutInput(withPosition, '{\n  "secret": "Ab8Q~xyz" oops\n}')).toBe("Expected ',' or '}' after property value at line 2, column 23");
  });
});

describe('writeOutputFile', () => {
  it('creates or replaces a file', () => {
    const path = join(dir, 'out.md');
    writeOutputFile(path, 'first');
    writeOutputFile(path, 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
  });

  it('names the missing folder', () => {
    const path = join(dir, 'no-such-folder', 'out.md');
    expect(() => writeOutputFile(path, 'x', { label: '--out x' })).toThrow(
      new OutputError(`--out x: cannot write: the folder ${join(dir, 'no-such-folder')} does not exist (ENOENT); create it first or choose another path`),
    );
  });

  it('refuses a directory before opening anything', () => {
    expect(() => writeOutputFile(dir, 'x', { label: '--out build' })).toThrow(new OutputError('--out build: is a directory; give a file path inside it, e.g. --out build/summary.md'));
  });

  it('reports a full disk (/dev/full) in one line', () => {
    expect(() => writeOutputFile('/dev/full', 'x', { label: '--out /dev/full' })).toThrow(new OutputError('--out /dev/full: cannot write: no space left on the device (ENOSPC)'));
  });

  it('removes a partial file it created when the disk fills up, and keeps a file that existed', () => {
    const enospc = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const fresh = join(dir, 'fresh.md');
    expect(() => writeOutputFile(fresh, 'x', { writeChunk: enospc })).toThrow(`${fresh}: cannot write: no space left on the device (ENOSPC); the partial file was removed`);
    expect(existsSync(fresh)).toBe(false);
    const existing = file('existing.md', 'old');
    expect(() => writeOutputFile(existing, 'x', { writeChunk: enospc })).toThrow(`${existing}: cannot write: no space left on the device (ENOSPC); the file may be incomplete`);
    expect(existsSync(existing)).toBe(true);
  });

  it('writes everything when the system writes in small chunks', () => {
    const path = join(dir, 'chunks.md');
    writeOutputFile(path, 'abcdefghij', { writeChunk: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, Math.min(3, length)) });
    expect(readFileSync(path, 'utf8')).toBe('abcdefghij');
  });
});

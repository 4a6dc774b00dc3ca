/** Reading and parsing the configuration within bounds: every hostile or careless input is one clean ConfigError. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { show } from '../../constructs/internal/validation';
import { nodeArgs } from '../support/run-script';
import { ConfigError, loadConfig, parseConfig } from '../../stacks/config';
import { MAX_CONFIG_BYTES } from '../../stacks/config-input';

const work = mkdtempSync(join(tmpdir(), 'entra-config-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const VALID = `tenants:
  contoso:
    tenantId: 00000000-0000-4000-8000-00000000c001
    environments:
      dev:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
`;

/** The ConfigError a call throws; fails the test on anything else (a stack trace is what these tests forbid). */
function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw new Error(`expected a ConfigError, got ${(e as Error).stack}`);
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

const file = (name: string, content: string | Buffer) => {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
};

describe('reading the configuration file', () => {
  test('a FIFO is refused at once instead of waiting for a writer (npm run synth)', () => {
    const fifo = join(work, 'config.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
    const env = { ...process.env, ENTRA_AUDIT_CONFIG: fifo, CDKTF_OUTDIR: join(work, 'fifo-out'), CHECKPOINT_DISABLE: '1' };
    const run = spawnSync(process.execPath, nodeArgs('stacks/main.ts'), { env, encoding: 'utf8', timeout: 60_000 });
    expect(run.signal).toBeNull(); // not killed by the timeout
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${fifo}: 1 problem(s) in the configuration:\n  - not a regular file but a FIFO (named pipe); set ENTRA_AUDIT_CONFIG to a readable YAML file`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a directory is refused as not a regular file', () => {
    const dir = join(work, 'a-directory.yaml');
    mkdirSync(dir);
    expect(configError(() => loadConfig(dir)).problems).toEqual(['not a regular file but a directory; set ENTRA_AUDIT_CONFIG to a readable YAML file']);
  });

  test('a missing file names the error and the environment variable', () => {
    expect(configError(() => loadConfig(join(work, 'missing.yaml'))).problems[0]).toMatch(/^cannot read the file: ENOENT: no such file or directory.*; set ENTRA_AUDIT_CONFIG to a readable YAML file$/);
  });

  test('a 50 MB file is refused by its size, without its content in the message', () => {
    const path = file('huge.yaml', 'tenants: ');
    truncateSync(path, 50 * 1024 * 1024);
    const error = configError(() => loadConfig(path));
    expect(error.problems).toEqual([`the file has ${50 * 1024 * 1024} bytes; a configuration file may have at most ${MAX_CONFIG_BYTES} bytes: is this the right file?`]);
    expect(error.message.length).toBeLessThan(500);
  });

  test('a binary file is refused at its first NUL byte', () => {
    const path = file('binary.yaml', Buffer.from([0x74, 0x65, 0x6e, 0x00, 0xff, 0xfe, 0x01]));
    expect(configError(() => loadConfig(path)).problems).toEqual(['the file is binary (a NUL byte at offset 3); expected YAML text']);
  });

  test('UTF-16 is refused with a hint to save it as UTF-8', () => {
    const path = file('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]));
    expect(configError(() => loadConfig(path)).problems).toEqual(['the file is UTF-16 text; save it as UTF-8']);
  });

  test('text that is not UTF-8 is refused', () => {
    const path = file('latin1.yaml', Buffer.from(`${VALID}        # caf\xe9\n`, 'latin1'));
    expect(configError(() => loadConfig(path)).problems).toEqual(['the file is not UTF-8 text; save it as UTF-8']);
  });

  test('UTF-8 with a byte-order mark is read', () => {
    const path = file('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]));
    expect(loadConfig(path).map((p) => p.id)).toEqual(['contoso-dev']);
  });

  test('the example file is read from disk', () => {
    expect(loadConfig('stacks/environments.yaml')).toHaveLength(3);
  });
});

describe('parsing YAML within bounds', () => {
  test('an alias bomb is a clean error, not "Excessive alias count"', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdef'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcde'[i]}`).join(', ')}]`)].join('\n');
    expect(configError(() => parseConfig(bomb)).problems).toEqual([
      'YAML aliases expand to too much data (more than 100 expansions weighted by size): write the repeated settings out, or use fewer *alias references',
    ]);
  });

  test('aliases within bounds still work', () => {
    const text = `${VALID}        tags: &common { team: secops }\n      prod:\n        subscriptionId: 22222222-2222-4222-8222-222222222222\n        location: westeurope\n        tags: *common\n`;
    expect(parseConfig(text).map((p) => p.tags.team)).toEqual(['secops', 'secops']);
  });

  test.each([
    ['100,000-deep flow lists', `tenants: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, '<config>:1:41: nesting deeper than 32 levels'],
    ['100,000-deep flow maps', `${'{a: '.repeat(100_000)}1${'}'.repeat(100_000)}`, '<config>:1:129: nesting deeper than 32 levels'],
    ['an unclosed 100,000-deep flow list', '['.repeat(100_000), '<config>:1:33: nesting deeper than 32 levels'],
    ['a 100,000-deep block list on one line', `tenants:\n  ${'- '.repeat(100_000)}x\n`, '<config>:2:1: nesting deeper than 32 levels'],
    ['500 levels of indentation', Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n', '<config>:33:33: nesting deeper than 32 levels'],
  ])('%s are refused with their line, not "Maximum call stack size exceeded"', (_name, text, message) => {
    expect(configError(() => parseConfig(text)).problems).toEqual([`${message}; the configuration needs at most 10: is this the right file?`]);
  });

  test('nesting deeper than 32 levels through aliases is refused with its path', () => {
    let text = `x0: &x0 ${'['.repeat(20)}${']'.repeat(20)}\n`;
    for (let i = 1; i < 5; i++) text += `x${i}: &x${i} ${'['.repeat(20)}*x${i - 1}${']'.repeat(20)}\n`;
    const [problem, ...rest] = configError(() => parseConfig(text)).problems;
    expect(rest).toEqual([]);
    // The deepest list, reached through the alias *x0: in x0's text, on line 1.
    expect(problem).toBe(`<config>:1:20: x1${'[0]'.repeat(31)}: nesting deeper than 32 levels (through YAML aliases); the configuration needs at most 10`);
  });

  test.each([
    ['!!binary', 'tags: { blob: !!binary aGVsbG8= }', '!!binary', 23],
    ['!!set', 'tags: !!set { a }', '!!set', 15],
    ['!!timestamp', 'tags: { since: !!timestamp 2001-12-14 }', '!!timestamp', 24],
    ['a local tag', 'tags: { team: !foo secops }', '!foo', 23],
  ])('an unknown YAML tag (%s) is refused', (_name, line, tag, column) => {
    expect(configError(() => parseConfig(`${VALID}        ${line}\n`)).problems).toEqual([
      `<config>:8:${column}: YAML tag: got "${tag}"; expected no tag, or one of !!str, !!int, !!float, !!bool, !!null, !!seq, !!map: remove the tag and write the value as plain YAML`,
    ]);
  });

  test('a tag declared with %TAG is refused under its full name', () => {
    const text = `%TAG !e! tag:example.com,2000:\n---\n${VALID}        tags: { team: !e!secops x }\n`;
    expect(configError(() => parseConfig(text)).problems[0]).toContain('got "tag:example.com,2000:secops"; expected no tag');
  });

  test('core tags are accepted: !!str keeps a number a string', () => {
    expect(parseConfig(`${VALID}        tags: { costCenter: !!str 4711 }\n`)[0].tags.costCenter).toBe('4711');
  });
});

describe('keys that name JavaScript object built-ins', () => {
  const expected = 'expected a name that is not a JavaScript object built-in (__proto__, constructor, prototype, toString, …): rename it';
  test.each([
    ['a tenant', VALID.replace('contoso:', '__proto__:'), '<config>:2:3: tenants.__proto__: got "__proto__"'],
    ['a tenant', VALID.replace('contoso:', 'constructor:'), '<config>:2:3: tenants.constructor: got "constructor"'],
    ['a tenant', VALID.replace('contoso:', 'prototype:'), '<config>:2:3: tenants.prototype: got "prototype"'],
    ['an environment', VALID.replace('dev:', 'toString:'), '<config>:5:7: tenants.contoso.environments.toString: got "toString"'],
    ['a tag', `${VALID}        tags: { hasOwnProperty: x }\n`, '<config>:8:17: tenants.contoso.environments.dev.tags.hasOwnProperty: got "hasOwnProperty"'],
    ['an alert parameter', `${VALID}        alerts: { overrides: { brute-force-single-account: { parameters: { __proto__: { failureThreshold: 1 } } } } }\n`, '<config>:8:76: tenants.contoso.environments.dev.alerts.overrides.brute-force-single-account.parameters.__proto__: got "__proto__"'],
  ])('are refused as %s name: %s', (_where, text, message) => {
    expect(configError(() => parseConfig(text)).problems).toEqual([`${message}; ${expected}`]);
  });

  test('parsing them pollutes no prototype', () => {
    configError(() => parseConfig(`${VALID}        tags: { __proto__: { polluted: yes } }\n__proto__: { polluted: yes }\n`));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('bounded messages', () => {
  test('a file with thousands of problems lists 50 and counts the rest', () => {
    const error = configError(() => parseConfig(Array.from({ length: 3000 }, (_, i) => `k${i}: [\n`).join('')));
    expect(error.problems).toHaveLength(51);
    expect(error.problems[50]).toBe('… and 2950 more problem(s) not listed; fix the ones above first');
    expect(error.message).toMatch(/^<config>: 3000 problem\(s\) in the configuration:\n/);
  });

  test('a 500,000-character value is cut in the message, with its length', () => {
    const error = configError(() => parseConfig(VALID.replace('location: westeurope', `location: ${'x'.repeat(500_000)}`)));
    expect(error.problems).toEqual([`<config>:7:19: tenants.contoso.environments.dev.location: got "${'x'.repeat(300)}"… (500000 characters, cut); expected an Azure region name such as westeurope`]);
  });

  test('a 1,000-character key is cut in the setting path', () => {
    const error = configError(() => parseConfig(VALID.replace('contoso:', `${'t'.repeat(1000)}:`)));
    expect(error.problems[0]).toMatch(/^<config>:2:3: tenants\["t{80}"…\]: got "t{300}"… \(1000 characters, cut\); expected a tenant key/);
  });

  test('a long problem line is cut at 1000 characters', () => {
    const error = new ConfigError('f.yaml', [`p: ${'y'.repeat(5000)}`]);
    expect(error.problems[0]).toBe(`p: ${'y'.repeat(997)}… (5003 characters, cut)`);
  });

  test('a value is shown whole up to 300 characters', () => {
    expect(show('z'.repeat(300))).toBe(`"${'z'.repeat(300)}"`);
    expect(show({ list: ['z'.repeat(400)] })).toBe(`${JSON.stringify({ list: ['z'.repeat(400)] }).slice(0, 300)}… (413 characters, cut)`);
  });

  test('credentials written into a URL never appear in a rendered value', () => {
    expect(show('https://svc:Xy~7$q@soar.example.com/h?x=1')).toBe('"https://***@soar.example.com/h?x=1"');
    expect(show({ uri: 'https://token@hooks.example.com/' })).toBe('{"uri":"https://***@hooks.example.com/"}');
    expect(show('soc@example.com and https://example.com/a@b')).toBe('"soc@example.com and https://example.com/a@b"');
  });

  test('the file name in a message is the one given', () => {
    expect(configError(() => parseConfig('tenants: [', 'env/prod.yaml')).message).toMatch(/^env\/prod\.yaml: \d+ problem\(s\) in the configuration:\n  - env\/prod\.yaml:1:11: YAML syntax: /);
  });
});

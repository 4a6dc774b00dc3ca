/**
 * `kql:check` on files the project has never seen: exit 0 when clean, 1 on any error, 2 on usage
 * errors. End to end as a child process (`npm run kql:check`, compiled) where the process matters
 * (exit codes, output streams, a FIFO that must not block); the other cases run the same command
 * function with the same input and output handling in this process, so the Kusto service is loaded
 * once instead of once per case.
 */
import { execFileSync, spawn } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { palette } from '../../scripts/lib/io/colour';
import { commandIo, runKqlCheck } from '../../scripts/kql-check';
import { nodeArgs, REPO_ROOT as ROOT } from '../support/run-script';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function kqlCheck(...args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const { FORCE_COLOR: _force, ...env } = process.env; // plain output whatever the CI sets
    const child = spawn(process.execPath, nodeArgs('scripts/kql-check.ts', args), { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    // Bounded: a hang (a FIFO read without a writer) fails the test instead of stalling the suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

/** The same command in this process. */
function kqlCheckHere(...args: string[]): Run {
  let stdout = '';
  let stderr = '';
  const status = runKqlCheck(args, commandIo((t) => (stdout += t), (t) => (stderr += t)));
  return { status, stdout, stderr };
}

let dir: string;
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kql-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('exits 0 and prints nothing when every file is clean', () => {
  const good1 = file('good1.kql', '// failed sign-ins per user\nSigninLogs\n| where ResultType != "0"\n| summarize count() by UserPrincipalName\n');
  const good2 = file('good2.kql', 'union isfuzzy=true (datatable(TimeGenerated: datetime)[]), (AuditLogs | project TimeGenerated)\n| summarize max(TimeGenerated)\n');
  const run = kqlCheckHere(good1, good2, join(ROOT, 'constructs/entra-alert-rules/queries/mfa-fatigue.kql'));
  expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
});

test('exits 1 and prints file:line:col: message for each problem, clean files included in the run', async () => {
  const good = file('ok.kql', 'AuditLogs | take 1\n');
  const syntax = file('syntax.kql', 'SigninLogs\n| where\n| take 10\n');
  const column = file('column.kql', 'AuditLogs\n| where OperationNam == "Add member to role"\n');
  const table = file('table.kql', 'SignInLog | take 1\n');
  const run = await kqlCheck(good, syntax, column, table);
  expect(run.status).toBe(1);
  expect(run.stderr).toBe('');
  expect(run.stdout.trim().split('\n')).toEqual([
    `${syntax}:2:8: Missing expression (KS006)`,
    `${column}:2:9: The name 'OperationNam' does not refer to any known column, table, variable or function. (KS142)`,
    `${table}:1:1: The name 'SignInLog' does not refer to any known table, tabular variable or function (did you mean 'SigninLogs'?) (KS204)`,
  ]);
});

test('colours the location, the error and the code when the output goes to a terminal, and nothing else changes', () => {
  const syntax = file('colour.kql', 'SigninLogs\n| where\n| take 10\n');
  const lines = (colour: boolean) => {
    const out: string[] = [];
    const status = runKqlCheck([syntax], { out: (l) => out.push(l), err: (l) => out.push(l), readFile: (f) => readFileSync(f, 'utf8'), readSchema: (f) => readFileSync(f, 'utf8'), palette: palette(colour) });
    return { status, out };
  };
  const coloured = lines(true);
  expect(coloured.status).toBe(1);
  expect(coloured.out).toEqual([`\x1b[1m${syntax}:2:8:\x1b[22m \x1b[31mMissing expression\x1b[39m \x1b[2m(KS006)\x1b[22m`]);
  expect(lines(false).out).toEqual([`${syntax}:2:8: Missing expression (KS006)`]);
});

test('exits 1 on an empty file', () => {
  const empty = file('empty.kql', '// nothing here\n\n');
  const run = kqlCheckHere(empty);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe(`${empty}:1:1: the file holds no query (KQLV002)\n`);
});

test('exits 2 without files, on an unreadable file and on an unknown option', async () => {
  const [none, missing, option] = await Promise.all([
    kqlCheck(),
    kqlCheck(join(dir, 'does-not-exist.kql')),
    kqlCheck('--strict', 'x.kql'),
  ]);
  expect(none.status).toBe(2);
  expect(none.stderr).toMatch(/^kql-check: no file given\n\nUsage: npm run --silent kql:check -- /);
  expect(missing.status).toBe(2);
  expect(missing.stderr).toBe(`${join(dir, 'does-not-exist.kql')}: cannot be read: no such file (ENOENT)\n`);
  expect(option.status).toBe(2);
  expect(option.stderr).toMatch(/^kql-check: unknown option --strict/);
});

test('--help prints the usage and exits 0', () => {
  const run = kqlCheckHere('--help');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Exit status: 0 all files clean, 1 an error in any file, 2 usage error');
  expect(run.stdout).toContain('Known tables: AADManagedIdentitySignInLogs,');
});

test('a FIFO given as input is refused at once (exit 2), not read forever', async () => {
  const fifo = join(dir, 'pipe.kql');
  execFileSync('mkfifo', [fifo]);
  const run = await kqlCheck(fifo);
  expect(run).toEqual({ status: 2, stdout: '', stderr: `${fifo}: is a FIFO (named pipe); give a regular file; expected a KQL query file\n` });
});

test('a file over 256 KiB is refused (exit 2); UTF-16 too', () => {
  const big = file('big.kql', `SigninLogs | take 1\n${'// padding\n'.repeat(30_000)}`);
  const utf16 = file('utf16.kql', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('AuditLogs', 'utf16le')]));
  const run = kqlCheckHere(big, utf16);
  expect(run.status).toBe(2);
  expect(run.stderr.split('\n')).toEqual([
    expect.stringMatching(new RegExp(`^${big.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is [0-9,]+ bytes, over the limit of 256 KiB for this input`)),
    expect.stringMatching(new RegExp(`^${utf16.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is UTF-16 text \\(byte-order mark FF FE, little-endian\\); save it as UTF-8`)),
    '',
  ]);
});

test('200 KB of junk, deep nesting, a management command and two queries: exit 1 with one line each, at once', () => {
  const junk = file('junk.kql', 'x y | ( '.repeat(25_000));
  const deep = file('deep.kql', `print ${'('.repeat(20_000)}`);
  const drop = file('drop.kql', '// cleanup\n.drop table SigninLogs\n');
  const two = file('two.kql', 'SigninLogs | take 1;\nAuditLogs | take 1\n');
  const started = Date.now();
  const run = kqlCheckHere(junk, deep, drop, two);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(run.status).toBe(1);
  expect(run.stdout.trim().split('\n')).toEqual([
    `${junk}:1:1: The query is 200000 characters long; the limit is 32768: shorten it, or split it into several detections (KQLV003)`,
    `${deep}:1:71: Brackets are nested more than 64 deep here; flatten the query (move inner parts into let statements) (KQLV006)`,
    `${drop}:2:1: '.drop' is a management command, not a query (text starting with '.' is a command such as .drop or .set): an alert rule runs one KQL query; remove the command (KQLV004)`,
    `${two}:2:1: The text holds 2 query statements separated by ';' (the second starts here); an alert rule runs one query: keep one (let statements before it are fine) (KQLV005)`,
  ]);
});

test('positions are right in a file with a UTF-8 BOM and lone CR line ends', () => {
  const cr = file('cr.kql', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('SigninLogs\r| where Foo == 1\r')]));
  const run = kqlCheckHere(cr);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe(`${cr}:2:9: The name 'Foo' does not refer to any known column, table, variable or function. (KS142)\n`);
});

test('a let function over table(name) called with literal names passes; an unknown table is one line, until declared', async () => {
  const sentinel = file('sentinel-shape.kql', [
    'let aadFunc = (tableName: string) {',
    '    table(tableName)',
    '    | where ResultType == "0"',
    '    | project TimeGenerated, UserPrincipalName, IPAddress',
    '};',
    'union isfuzzy=true aadFunc("SigninLogs"), aadFunc("AADNonInteractiveUserSignInLogs")',
    '| summarize count() by UserPrincipalName',
  ].join('\n'));
  const identity = file('identity.kql', 'IdentityInfo\n| where AccountUPN != "" and Departmnt == "x"\n| join (SigninLogs) on $left.AccountUPN == $right.UserPrincipalName\n| project AccountUPN, IPAddress\n');
  const schema = file('IdentityInfo.json', JSON.stringify({ name: 'IdentityInfo', source: 'test', columns: [{ name: 'AccountUPN', type: 'string' }, { name: 'Department', type: 'string' }] }));
  const [plain, external, withSchema] = await Promise.all([
    kqlCheck(sentinel, identity),
    kqlCheck('--external-table', 'IdentityInfo', identity),
    kqlCheck('--schema', schema, identity),
  ]);
  expect(plain.status).toBe(1);
  expect(plain.stdout.trim().split('\n')).toEqual([
    `${identity}:1:1: The name 'IdentityInfo' does not refer to any known table, tabular variable or function: add its schema to constructs/internal/log-table-schemas/ (with its source), or declare it: kql:check --schema <Table.json> (columns checked), --external-table <Name> or --external-function <Name> (nothing read from it checked); see docs/alerts.md, "Checking KQL" (KS204)`,
  ]);
  expect(external).toEqual({ status: 0, stdout: '', stderr: '' });
  expect(withSchema.status).toBe(1);
  expect(withSchema.stdout).toBe(`${identity}:2:30: The name 'Departmnt' does not refer to any known column, table, variable or function. (KS142)\n`);
});

test('declarations that cannot be made are usage errors (exit 2), each named', async () => {
  const query = file('q.kql', 'SigninLogs | take 1\n');
  const notJson = file('bad.json', '{ name: IdentityInfo');
  const badType = file('badtype.json', JSON.stringify({ name: 'T', source: '', columns: [{ name: 'a', type: 'text' }] }));
  const [missingValue, badJson, badSchema, builtIn] = await Promise.all([
    kqlCheck(query, '--external-table'),
    kqlCheck('--schema', notJson, query),
    kqlCheck('--schema', badType, query),
    kqlCheck('--external-function', 'SigninLogs', query),
  ]);
  expect(missingValue.status).toBe(2);
  expect(missingValue.stderr).toMatch(/^kql-check: --external-table needs a value \(a KQL name\)\n/);
  expect(badJson.status).toBe(2);
  expect(badJson.stderr).toMatch(new RegExp(`^${notJson.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not a table schema \\(.+\\); expected \\{"name": "Table"`));
  expect(badSchema).toEqual({ status: 2, stdout: '', stderr: 'kql-check: table schema T column a has type "text"; expected one of string, datetime, int, long, real, bool, dynamic, guid, timespan, decimal\n' });
  expect(builtIn).toEqual({ status: 2, stdout: '', stderr: 'kql-check: external function SigninLogs is a built-in table already\n' });
});

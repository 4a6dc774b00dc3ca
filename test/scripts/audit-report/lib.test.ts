/** The pure modules of the KPI report: CSV, charts, markdown, options, answers and the output directory. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogsQueryResultStatus, type LogsQueryResult } from '@azure/monitor-query-logs';
import { parseReportOptions } from '../../../scripts/lib/audit-report/cli-options';
import { readKpiAnswer, skipReason } from '../../../scripts/lib/audit-report/collect';
import { csvField, neutralizeFormula, toCsv } from '../../../scripts/lib/audit-report/csv';
import { KPIS } from '../../../scripts/lib/audit-report/kpis';
import { MANIFEST_FILE, writeReport } from '../../../scripts/lib/audit-report/output';
import { formatNumber, headlines, markdownCell } from '../../../scripts/lib/audit-report/render';
import { barChart, lineChart, xmlEscape } from '../../../scripts/lib/audit-report/svg';

/** A strict RFC 4180 reader, to show the writer's output parses back to the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { record.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 2; continue; }
    if (c === '"' || c === '\r' || c === '\n') throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`);
    field += c; i++;
  }
  if (field !== '' || record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}

describe('CSV', () => {
  test('fields with commas, quotes or line breaks are quoted, quotes doubled; others are bare', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  test.each([['=1+1'], ['+1'], ['-1+2'], ['@SUM(A1)'], ['\t=1'], ['\r=1'], ['\0=1']])('text starting a formula (%j) gets a leading quote', (text) => {
    expect(neutralizeFormula(text)).toBe(`'${text}`);
  });

  test('text that only contains formula characters later, and numbers, are left alone', () => {
    expect(neutralizeFormula('a=1')).toBe('a=1');
    expect(neutralizeFormula("'=1")).toBe("'=1");
    expect(csvField(-42)).toBe('-42');
  });

  test('a file: BOM, header, CRLF after every record; it parses back to the neutralized fields', () => {
    const text = toCsv(['Name', 'Count'], [['=HYPERLINK("x")', 3], ['Zoë, "Ångström"\r\nline 2', null]]);
    expect(text.startsWith('\ufeffName,Count\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text.slice(1))).toEqual([['Name', 'Count'], ['\'=HYPERLINK("x")', '3'], ['Zoë, "Ångström"\r\nline 2', '']]);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe('markdown and figures', () => {
  test('markdownCell turns HTML into entities and escapes markdown syntax and table pipes', () => {
    expect(markdownCell('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownCell('[click](https://evil.example) | *x* _y_ `z` ~s~ ![i](j) a\\b')).toBe('\\[click\\](https://evil.example) \\| \\*x\\* \\_y\\_ \\`z\\` \\~s\\~ \\!\\[i\\](j) a\\\\b');
    expect(markdownCell('a\r\nb\nc')).toBe('a b c');
    expect(markdownCell('&amp;')).toBe('&amp;amp;');
    expect(markdownCell(12345.678)).toBe('12,345.68');
    expect(markdownCell(null)).toBe('');
  });

  test('formatNumber groups thousands and keeps at most two decimals', () => {
    expect([formatNumber(0), formatNumber(999), formatNumber(1000), formatNumber(1234567), formatNumber(97.5), formatNumber(1234.005), formatNumber(-1234)]).toEqual(['0', '999', '1,000', '1,234,567', '97.5', '1,234.01', '-1,234']);
  });

  test('headlines: a KPI that was skipped is not available; no sign-ins says so', () => {
    const result = headlines(KPIS.slice(0, 1), [{ key: 'sign-in-success-rate', status: 'ok', columns: KPIS[0]!.columns, rows: [], truncated: false }]);
    expect(result).toEqual([{ kpi: 'sign-in-success-rate', label: 'Sign-in success rate', value: 'no interactive sign-ins' }]);
    expect(headlines(KPIS.slice(5), [{ key: 'risky-users', status: 'skipped', reason: 'x' }])).toEqual([{ kpi: 'risky-users', label: 'Risky users', value: 'not available (see below)' }]);
  });
});

describe('SVG charts', () => {
  test('text from the logs is escaped: no element or attribute can be added', () => {
    const svg = barChart('Top <b>', [{ label: '<script>alert(1)</script>"\'&', value: 3 }]);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;');
    expect(svg).toContain('<title>Top &lt;b&gt;</title>');
    expect(xmlEscape('a\u0001b\u0000c')).toBe('abc');
  });

  test('a line over time spans 0–100 for percentages and labels both ends; no data says so', () => {
    const svg = lineChart('Rate', [{ label: '2026-10-24', value: 97.5 }, { label: '2026-10-25', value: 88 }], '%');
    expect(svg).toContain('>100%</text>');
    expect(svg).toContain('>80%</text>');
    expect(svg).toContain('>2026-10-24</text>');
    expect(svg).toContain('>2026-10-25</text>');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(lineChart('Rate', [])).toContain('No data in the window');
    expect(barChart('Bars', [])).toContain('No data in the window');
  });

  test('bars are scaled to the largest and long labels are cut', () => {
    const svg = barChart('Bars', [{ label: 'x'.repeat(50), value: 10 }, { label: 'b', value: 5 }]);
    expect(svg).toContain(`>${'x'.repeat(31)}…</text>`);
    const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).toBeCloseTo(2 * widths[1]!, 1);
  });

  test('the same data gives the same bytes', () => {
    const points = [{ label: 'a', value: 1 }, { label: 'b', value: 2 }];
    expect(lineChart('t', points)).toBe(lineChart('t', points));
  });
});

describe('options', () => {
  test('defaults: P30D, md and csv, audit-reports/<stack>, cdktf.out, PT15M, the public cloud', () => {
    expect(parseReportOptions(['--stack', 'contoso-prod'])).toMatchObject({ since: 'P30D', sinceMs: 2_592_000_000, formats: ['md', 'csv'], out: 'audit-reports/contoso-prod', cdktfOut: 'cdktf.out', timeout: 'PT15M', credential: 'default', cloud: 'AzureCloud', endpoints: {} });
  });

  test('formats: comma-separated or repeated, each once', () => {
    expect(parseReportOptions(['--stack', 's', '--format', 'json,md', '--format', 'md']).formats).toEqual(['json', 'md']);
  });

  test('every mistake is reported in one message', () => {
    expect(() => parseReportOptions(['--since', 'P0D', '--timeout', 'soon', '--format', 'pdf', '--credential', 'password', '--cloud', 'Mars', '--logs-endpoint', 'http://x', '--authority-host', 'nope', '--workspace-id', '/subscriptions/x', '--out', ''])).toThrow(
      '--stack <name> is required (the stack directory under cdktf.out/stacks); --since must be a positive ISO-8601 duration such as P7D or PT12H, got "P0D"; --timeout must be a positive ISO-8601 duration such as P7D or PT12H, got "soon"; --format takes md, csv, json, got "pdf"; --credential must be one of default, azure-cli, environment, managed-identity, workload-identity, got "password"; --cloud must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud, got "Mars"; --authority-host must be a URL, got "nope"; --logs-endpoint must be https:// (a bearer token is sent to it), got http://; --workspace-id must be the workspace GUID (not its ARM id), got "/subscriptions/x"; --out must be a directory path, got ""; see --help',
    );
  });

  test('the window is at most 730 days; unknown flags and stray arguments are refused', () => {
    expect(() => parseReportOptions(['--stack', 's', '--since', 'P731D'])).toThrow('--since must be at most P730D');
    expect(parseReportOptions(['--stack', 's', '--since', 'P730D']).sinceMs).toBe(730 * 86_400_000);
    expect(() => parseReportOptions(['--stack', 's', '--sinse', 'P1D'])).toThrow("Unknown option '--sinse'");
    expect(() => parseReportOptions(['--stack', 's', 'extra'])).toThrow('; see --help');
    expect(() => parseReportOptions(['--stack', '../etc'])).toThrow('--stack must be a stack name, got "../etc"');
  });
});

describe('reading answers', () => {
  const kpi = KPIS.find((k) => k.key === 'failed-sign-ins-by-country')!;
  const answer = (columns: { name: string; type: string }[], rows: unknown[][]): LogsQueryResult =>
    ({ status: LogsQueryResultStatus.Success, tables: [{ name: 'PrimaryResult', columnDescriptors: columns, rows }] }) as unknown as LogsQueryResult;

  test('columns are taken by name in the KPI\'s order; numbers given as text are read as numbers', () => {
    const read = readKpiAnswer(kpi, answer([{ name: 'Accounts', type: 'long' }, { name: 'Country', type: 'string' }, { name: 'FailedSignIns', type: 'long' }], [[3, 'DE', '12']]));
    expect(read).toEqual({ rows: [['DE', 12, 3]], truncated: false });
  });

  test('dates are read as ISO text; a bad date fails', () => {
    const top = KPIS.find((k) => k.key === 'top-privileged-actions')!;
    const cols = top.columns.map((c) => ({ name: c.name, type: c.kind === 'datetime' ? 'datetime' : c.kind === 'number' ? 'long' : 'string' }));
    expect(readKpiAnswer(top, answer(cols, [['Role assignment', 'Add member to role', 'a', 1, 0, new Date('2026-11-01T00:00:00Z')]])).rows[0]![5]).toBe('2026-11-01T00:00:00.000Z');
    expect(() => readKpiAnswer(top, answer(cols, [['k', 'a', 'b', 1, 0, 'yesterday']]))).toThrow('KPI top-privileged-actions, row 1, column LastSeen: not a date: "yesterday"');
  });

  test('an answer without a status or table, or with a row that is not a list, fails', () => {
    expect(() => readKpiAnswer(kpi, {} as LogsQueryResult)).toThrow('the answer to KPI failed-sign-ins-by-country has no recognised status');
    expect(() => readKpiAnswer(kpi, { status: LogsQueryResultStatus.Success, tables: [] } as unknown as LogsQueryResult)).toThrow('the answer to KPI failed-sign-ins-by-country holds no table');
    expect(() => readKpiAnswer(kpi, answer(kpi.columns.map((c) => ({ name: c.name, type: 'string' })), ['DE' as unknown as unknown[]]))).toThrow('row 1 of KPI failed-sign-ins-by-country is not an array');
  });

  test('a partial failure without a table is an empty result that says why', () => {
    const partial = { status: LogsQueryResultStatus.PartialFailure, partialTables: [], partialError: { name: 'e', message: 'Failed to resolve table' } } as unknown as LogsQueryResult;
    expect(readKpiAnswer(kpi, partial)).toEqual({ rows: [], truncated: false, partial: 'Failed to resolve table' });
  });

  test('skipReason names the tables that are not routed', () => {
    expect(skipReason(kpi, ['AuditLogs'])).toBe('the stack does not route SigninLogs to the workspace');
    expect(skipReason(kpi, ['SigninLogs'])).toBeUndefined();
  });
});

describe('the output directory', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'audit-out-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const report = [{ path: 'summary.md', content: '# s\n' }, { path: 'charts/a.svg', content: '<svg/>' }, { path: 'a.csv', content: 'x\r\n' }];

  test('creates the directory, writes the files and a manifest of them', () => {
    const dir = join(root, 'new', 'out');
    expect(writeReport(dir, report)).toEqual(['summary.md', 'charts/a.svg', 'a.csv']);
    expect(readFileSync(join(dir, 'charts/a.svg'), 'utf8')).toBe('<svg/>');
    expect(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'))).toEqual({ tool: 'entra-audit-report', files: ['summary.md', 'charts/a.svg', 'a.csv'] });
  });

  test('refuses a symbolic link, a directory or a foreign file where a report file goes, before writing anything', () => {
    mkdirSync(join(root, 'summary.md'));
    writeFileSync(join(root, 'outside.txt'), 'x');
    symlinkSync(join(root, 'outside.txt'), join(root, 'a.csv'));
    expect(() => writeReport(root, report)).toThrow(`--out ${root} holds files this tool did not write, which it would overwrite: summary.md (a directory), a.csv (a symbolic link); choose an empty or new directory, or move them`);
    expect(existsSync(join(root, 'charts'))).toBe(false);
    expect(readFileSync(join(root, 'outside.txt'), 'utf8')).toBe('x');
  });

  test('refuses a manifest it did not write', () => {
    writeFileSync(join(root, MANIFEST_FILE), '{"files":["a.csv"]}');
    writeFileSync(join(root, 'a.csv'), 'theirs');
    expect(() => writeReport(root, report)).toThrow(`${MANIFEST_FILE} (not an audit-report manifest), a.csv (not written by audit-report)`);
    expect(readFileSync(join(root, 'a.csv'), 'utf8')).toBe('theirs');
  });

  test('a manifest naming paths outside its own kind is not followed when removing stale files', () => {
    writeFileSync(join(root, 'keep.txt'), 'mine');
    writeFileSync(join(root, MANIFEST_FILE), JSON.stringify({ tool: 'entra-audit-report', files: ['../escape.csv', 'keep.txt', 'old.csv'] }));
    writeFileSync(join(root, 'old.csv'), 'old');
    writeReport(root, report);
    expect(existsSync(join(root, 'keep.txt'))).toBe(true);
    expect(existsSync(join(root, 'old.csv'))).toBe(false);
  });

  test('--out that is a file is refused', () => {
    writeFileSync(join(root, 'file'), 'x');
    expect(() => writeReport(join(root, 'file'), report)).toThrow(`--out ${join(root, 'file')} is a file; give a directory (it is created when missing)`);
  });
});

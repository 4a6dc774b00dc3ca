/**
 * The sample report in docs/dashboards.md is generated: the report of the sample data (./support/harness.ts)
 * from the local Logs API, with the fixed clock. This test fails when the page or its chart images
 * differ from what the report produces; `UPDATE_DASHBOARDS_SAMPLE=1 npx jest test/scripts/audit-report/sample.test.ts`
 * rewrites them.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestCertificates, type TestCertificates } from '../verify/support/tls';
import { type FakeLogs, startFakeLogs } from './support/fake-logs';
import { makeWorkspace, removeWorkspaces, runReport, sampleAnswers } from './support/harness';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const PAGE = join(REPO_ROOT, 'docs', 'dashboards.md');
const IMAGES = 'images/audit-report-sample';
const START = '<!-- audit-report-sample:start -->';
const END = '<!-- audit-report-sample:end -->';
const UPDATE = process.env.UPDATE_DASHBOARDS_SAMPLE === '1';

let tls: TestCertificates;
let fake: FakeLogs;

beforeAll(async () => {
  tls = makeTestCertificates();
  fake = await startFakeLogs(tls, sampleAnswers());
});

afterAll(async () => {
  await fake?.close();
  tls?.cleanup();
  removeWorkspaces();
});

test('docs/dashboards.md shows the report of the sample data, and its chart images are the report\'s', async () => {
  const run = await runReport(fake, makeWorkspace(['AuditLogs', 'SignInLogs', 'RiskyUsers']), { ca: tls.caPem });
  expect(run.code).toBe(0);
  const charts = readdirSync(join(run.out, 'charts')).sort();
  expect(charts).toEqual(['failed-sign-ins-by-country.svg', 'sign-in-success-rate.svg', 'top-privileged-actions.svg']);
  const summary = readFileSync(join(run.out, 'summary.md'), 'utf8');
  const csv = readFileSync(join(run.out, 'consent-grants.csv'), 'utf8');
  const block = [
    START,
    '',
    ...charts.map((c) => `![${c.replace(/\.svg$/, '')}](${IMAGES}/${c})`),
    '',
    '`summary.md`:',
    '',
    '````markdown',
    summary.trimEnd(),
    '````',
    '',
    '`consent-grants.csv` (shown with LF line ends and without its byte order mark; the file has CRLF and starts with EF BB BF):',
    '',
    '```csv',
    csv.replace(/^\ufeff/, '').replace(/\r\n/g, '\n').trimEnd(),
    '```',
    '',
    END,
  ].join('\n');

  const page = readFileSync(PAGE, 'utf8');
  const from = page.indexOf(START);
  const to = page.indexOf(END);
  expect({ markers: from >= 0 && to > from }).toEqual({ markers: true });
  const current = page.slice(from, to + END.length);
  if (UPDATE) {
    writeFileSync(PAGE, page.slice(0, from) + block + page.slice(to + END.length));
    mkdirSync(join(REPO_ROOT, 'docs', IMAGES), { recursive: true });
    for (const c of charts) writeFileSync(join(REPO_ROOT, 'docs', IMAGES, c), readFileSync(join(run.out, 'charts', c)));
  } else {
    expect(current).toBe(block);
    for (const c of charts) expect({ chart: c, svg: readFileSync(join(REPO_ROOT, 'docs', IMAGES, c), 'utf8') }).toEqual({ chart: c, svg: readFileSync(join(run.out, 'charts', c), 'utf8') });
  }
  expect(readdirSync(join(REPO_ROOT, 'docs', IMAGES)).sort()).toEqual(charts);
});

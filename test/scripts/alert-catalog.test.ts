/** The detection catalog table of docs/alerts.md is generated from the catalog and kept current. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETECTIONS } from '../../constructs/entra-alert-rules/catalog';
import { LOG_CATEGORIES } from '../../constructs/internal/log-categories';
import { END_MARKER, PAGE_PATH, renderCatalogTable, START_MARKER, tableNeed, withCatalogTable } from '../../scripts/lib/docs/alert-catalog';
import { REPO_ROOT } from '../support/run-script';

describe('the alert catalog table (docs/alerts.md)', () => {
  test('the committed table is current (npm run docs:alerts)', () => {
    const page = readFileSync(join(REPO_ROOT, PAGE_PATH), 'utf8');
    expect(withCatalogTable(page, renderCatalogTable(DETECTIONS, LOG_CATEGORIES))).toBe(page);
  });

  test('each row lists the MITRE ids, the tables with category and licence, what else it needs and whether it is on by default', () => {
    const table = renderCatalogTable(DETECTIONS, LOG_CATEGORIES);
    const row = (key: string) => table.split('\n').find((l) => l.startsWith(`| \`${key}\` |`))!;
    expect(row('pim-activation-request-denied')).toContain('| TA0004, TA0003, T1548.005, T1078.004 | AuditLogs (AuditLogs: any (the export needs Entra ID P1/P2)); Privileged Identity Management (Microsoft Entra ID P2 or Entra ID Governance) | off: Needs Privileged Identity Management');
    expect(row('impossible-travel')).toContain('| SigninLogs (SignInLogs: Entra ID P1/P2) | on |');
    expect(row('password-spray-adfs')).toContain('ADFSSignInLogs (ADFSSignInLogs: AD FS with Connect Health)');
    expect(table.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(DETECTIONS.length);
  });

  test('AzureActivity is named as the subscription Activity Log; an unknown table as itself', () => {
    expect(tableNeed('AzureActivity', LOG_CATEGORIES)).toBe('AzureActivity (the subscription Activity Log)');
    expect(tableNeed('Nope', LOG_CATEGORIES)).toBe('Nope');
  });

  test('fails with the fix when the markers are missing', () => {
    expect(() => withCatalogTable('# Alerts\n', '| x |')).toThrow(`docs/alerts.md has no catalog section: put the lines ${START_MARKER} and ${END_MARKER} where the table goes, then run npm run docs:alerts`);
    expect(withCatalogTable(`a\n${START_MARKER}\nold\n${END_MARKER}\nb`, 'new')).toBe(`a\n${START_MARKER}\nnew\n${END_MARKER}\nb`);
  });
});

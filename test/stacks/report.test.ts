/**
 * The coverage report: a snapshot of every report of the example configuration (the reviewer's
 * preview), determinism, and the parts a reader relies on.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { stringify } from 'yaml';
import { parseConfig, StackPlan } from '../../stacks/config';
import { EntraAuditStack } from '../../stacks/entra-audit-stack';
import { complianceReports, isReportFile, reportFiles, writeReports } from '../../stacks/report/files';
import { renderReportMarkdown, routingFlowchart } from '../../stacks/report/markdown';
import { JSON_REPORT_PREFIX, MARKDOWN_REPORT_MARKER } from '../../stacks/report/marker';
import { coverageReport, CoverageReport } from '../../stacks/report/model';
import { ComplianceError } from '../../constructs/compliance/entra-compliance';
import { DETECTIONS } from '../../constructs/entra-alert-rules/catalog';

const work = mkdtempSync(join(tmpdir(), 'entra-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function appOf(plans: readonly StackPlan[], enforce = true): App {
  const app = Testing.app();
  for (const plan of plans) new EntraAuditStack(app, plan, { enforceCompliance: enforce });
  return app;
}

const examplePlans = () => parseConfig(readFileSync('stacks/environments.yaml', 'utf8'));
const exampleFiles = () => reportFiles(complianceReports(appOf(examplePlans())));

function planOf(environment: Record<string, unknown>): StackPlan {
  return parseConfig(
    stringify({ tenants: { contoso: { tenantId: '00000000-0000-4000-8000-00000000c001', environments: { dev: { subscriptionId: '11111111-1111-4111-8111-111111111111', location: 'westeurope', ...environment } } } } }),
  )[0];
}
const reportOf = (environment: Record<string, unknown>): CoverageReport => {
  const stack = new EntraAuditStack(Testing.app(), planOf(environment), { enforceCompliance: false });
  return coverageReport(stack);
};

describe('coverage reports of the example configuration (stacks/environments.yaml)', () => {
  const files = exampleFiles();

  test('one markdown and one JSON report per stack, and an index', () => {
    expect(Object.keys(files)).toEqual(['contoso-dev.md', 'contoso-dev.json', 'contoso-prod.md', 'contoso-prod.json', 'fabrikam-prod.md', 'fabrikam-prod.json', 'index.md']);
  });

  test.each(['index.md', 'contoso-dev.md', 'contoso-prod.md', 'fabrikam-prod.md'])('%s matches the reviewed snapshot', (name) => {
    expect(files[name]).toMatchSnapshot();
  });

  test('is deterministic: built again, every file is byte for byte the same', () => {
    expect(exampleFiles()).toEqual(files);
  });

  test('each file begins with the marker synth recognises it by', () => {
    for (const [name, text] of Object.entries(files)) expect(text.startsWith(name.endsWith('.json') ? JSON_REPORT_PREFIX : `${MARKDOWN_REPORT_MARKER}\n`)).toBe(true);
  });

  test('the JSON report holds the matrix, the detections, the reader app and the compliance results', () => {
    const report = JSON.parse(files['contoso-prod.json']) as CoverageReport;
    expect(report.categories.find((c) => c.category === 'AuditLogs')).toEqual({
      category: 'AuditLogs',
      table: 'AuditLogs',
      destinations: ['logAnalytics', 'eventHub', 'storage'],
      logAnalytics: { plan: 'Analytics', interactiveInDays: 180, totalInDays: 2556 },
      archive: { retentionInDays: 2557, immutableForDays: 365 },
      stream: { retentionInDays: 7 },
    });
    expect(report.categories.find((c) => c.category === 'MicrosoftGraphActivityLogs')).not.toHaveProperty('stream');
    expect(report.detections.find((d) => d.key === 'no-audit-logs-ingested')).toEqual({
      key: 'no-audit-logs-ingested',
      title: 'No AuditLogs ingested',
      custom: false,
      severity: 1,
      severityName: 'error',
      enabled: true,
      tactics: [{ id: 'TA0005', name: 'Defense Evasion' }],
      techniques: ['T1562.008'],
      tables: ['AuditLogs'],
    });
    expect(report.detectionsNotDeployed).toEqual(['password-spray-adfs', 'entra-diagnostic-settings-changed']);
    expect(report.tactics.covered.map((t) => t.id)).toEqual(['TA0042', 'TA0001', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0040']);
    expect(report.readerApp).toEqual({ graphPermissions: ['AuditLog.Read.All', 'Directory.Read.All'], credential: { type: 'secret', lifetimeInDays: 180, intervalInDays: 90, maxLifetimeInDays: 365, keyVault: false } });
    expect(report.compliance).toMatchObject({ profiles: ['baseline', 'pci-dss-4', 'nist-800-53', 'cis'], status: 'pass', otherProfiles: [] });
    expect(report.compliance.rules.find((r) => r.id === 'EAL6')).toMatchObject({ profiles: ['pci-dss-4', 'nist-800-53'], threshold: { value: 730, unit: 'days', meaning: 'minimum retention' }, status: 'pass' });
  });

  test('a suppression is reported with its reason and the findings it accepts', () => {
    const report = JSON.parse(files['fabrikam-prod.json']) as CoverageReport;
    expect(report.compliance.suppressions).toEqual([{ rule: 'EAL8', reason: 'Archive immutability is rolled out under change CHG-1042; until then the delete lock protects the account.', findings: 1 }]);
    expect(report.compliance.rules.find((r) => r.id === 'EAL8')).toMatchObject({ status: 'suppressed', findings: [{ setting: 'tenants.fabrikam.environments.prod.storage.immutability' }] });
    expect(files['fabrikam-prod.md']).toContain('| EAL8 | Archive immutability is rolled out under change CHG-1042; until then the delete lock protects the account. | 1 |');
  });
});

describe('coverage report', () => {
  test('a report of a configuration that violates its profiles marks each failed rule with its finding', () => {
    const report = reportOf({ compliance: { profiles: ['cis'] }, routing: { AuditLogs: ['logAnalytics'] }, alerts: { enabled: false } });
    expect(report.compliance.status).toBe('fail');
    expect(report.compliance.rules.map((r) => [r.id, r.status])).toEqual([['EAL9', 'fail'], ['EAL10', 'fail']]);
    const md = renderReportMarkdown(report);
    expect(md).toContain('Compliance: `cis`: 2 rule(s), 0 pass, **2 fail**.');
    expect(md).toContain('- EAL10 (fail): `tenants.contoso.environments.dev.routing.MicrosoftGraphActivityLogs`: MicrosoftGraphActivityLogs is not exported. To change: route MicrosoftGraphActivityLogs to at least one destination (logAnalytics, eventHub or storage). Construct: `contoso-dev/DiagnosticSettings`.');
  });

  test('a suppression of a rule that passes says it can go', () => {
    const report = reportOf({ compliance: { profiles: ['cis'], suppressions: [{ rule: 'EAL10', reason: 'kept while we decide' }] } });
    expect(report.compliance.suppressions).toEqual([{ rule: 'EAL10', reason: 'kept while we decide', findings: 0 }]);
    expect(renderReportMarkdown(report)).toContain('| EAL10 | kept while we decide | 0: the rule passes, the suppression can go |');
  });

  test('without alerts, reader app or stream, the report says so, and what synth cannot read is named', () => {
    const report = reportOf({
      logAnalytics: { existingWorkspaceId: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law' },
      eventHub: { enabled: false },
      storage: { enabled: false },
      readerApp: { enabled: false },
      alerts: { enabled: false },
    });
    const md = renderReportMarkdown(report);
    expect(md).toContain('| `AuditLogs` | `AuditLogs` | read at plan time / read at plan time | — | — |');
    expect(md).toContain('No alert rules are deployed in this stack.');
    expect(md).toContain('No reader app in this stack.');
    expect(report.tactics.covered).toEqual([]);
    expect(report.detectionsNotDeployed).toEqual(DETECTIONS.map((d) => d.key));
  });

  test('the routing flowchart escapes what Mermaid would read as syntax', () => {
    const report = reportOf({ diagnosticSettingName: 'audit "#1"' });
    expect(routingFlowchart(report).split('\n').slice(0, 3)).toEqual(['```mermaid', 'flowchart LR', '  subgraph s1["diagnostic setting audit #quot;#35;1#quot;-law-evh-st"]']);
  });

  test('complianceReports lists the violations of every stack in one error', () => {
    const second = parseConfig(
      stringify({
        tenants: {
          contoso: {
            tenantId: '00000000-0000-4000-8000-00000000c001',
            environments: {
              dev: { subscriptionId: '11111111-1111-4111-8111-111111111111', location: 'westeurope', compliance: { profiles: ['cis'] }, routing: { AuditLogs: ['logAnalytics'] }, alerts: { enabled: false } },
              test: { subscriptionId: '11111111-1111-4111-8111-111111111111', location: 'westeurope', diagnosticSettingName: 'entra-test', compliance: { profiles: ['baseline'] }, storage: { enabled: false } },
            },
          },
        },
      }),
    );
    let error: unknown;
    try {
      complianceReports(appOf(second));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ComplianceError);
    expect((error as ComplianceError).violations.map((v) => v.slice(0, v.indexOf(')') + 1))).toEqual([
      '[contoso-dev/DiagnosticSettings] EAL9 EntraActivityLogsExported (cis)',
      '[contoso-dev/DiagnosticSettings] EAL10 GraphActivityLogsExported (cis)',
      '[contoso-test] EAL2 CoreCategoriesArchived (baseline)',
    ]);
  });
});

describe('isReportFile and writeReports', () => {
  test('recognises the files it writes, and nothing else', () => {
    const dir = join(work, 'recognise');
    mkdirSync(dir, { recursive: true });
    const written = writeReports(dir, complianceReports(appOf([planOf({})])));
    expect(written).toEqual(['contoso-dev.md', 'contoso-dev.json', 'index.md']);
    for (const name of written) expect(isReportFile(join(dir, 'reports', name))).toBe(true);
    writeFileSync(join(dir, 'notes.md'), '# My notes\n');
    writeFileSync(join(dir, 'other.json'), '{\n  "generatedBy": "someone else"\n}\n');
    writeFileSync(join(dir, 'short.md'), '<!-- entra');
    writeFileSync(join(dir, 'marker.txt'), `${MARKDOWN_REPORT_MARKER}\n`);
    mkdirSync(join(dir, 'folder.md'));
    symlinkSync(join(dir, 'reports', 'index.md'), join(dir, 'link.md'));
    for (const name of ['notes.md', 'other.json', 'short.md', 'marker.txt', 'folder.md', 'link.md', 'missing.md']) expect({ name, ours: isReportFile(join(dir, name)) }).toEqual({ name, ours: false });
  });
});

/** The fixed KPI queries, checked with the Kusto language service like the alert catalog and the workbook. */
import { referencedTables, validateKql } from '../../../constructs/internal/kql-validator';
import { KPIS, kpiKeyOf } from '../../../scripts/lib/audit-report/kpis';

describe('KPI queries', () => {
  test.each(KPIS.map((k) => [k.key, k] as const))('%s is valid KQL and reads exactly the tables it lists', (_key, kpi) => {
    expect(validateKql(kpi.query)).toEqual([]);
    expect(referencedTables(kpi.query)).toEqual([...kpi.tables].sort());
  });

  test('each query names its KPI on the first line, ends with take maxRows, and projects its columns in order', () => {
    for (const kpi of KPIS) {
      expect(kpiKeyOf(kpi.query)).toBe(kpi.key);
      expect(kpi.query.endsWith(`\n| take ${kpi.maxRows}`)).toBe(true);
      const project = [...kpi.query.matchAll(/\| (?:project|summarize) .*$/gm)].map((m) => m[0]);
      const last = project[project.length - 1] ?? '';
      for (const column of kpi.columns) expect({ kpi: kpi.key, column: column.name, named: last.includes(column.name) || kpi.query.includes(`${column.name} =`) }).toMatchObject({ named: true });
    }
  });

  test('keys are unique and safe as file names; column names are unique; charts name real columns', () => {
    expect(new Set(KPIS.map((k) => k.key)).size).toBe(KPIS.length);
    for (const kpi of KPIS) {
      expect(kpi.key).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      const names = kpi.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      if (kpi.chart) {
        expect(names).toContain(kpi.chart.label);
        expect(kpi.columns.find((c) => c.name === kpi.chart!.value)?.kind).toBe('number');
      }
    }
    expect(KPIS.map((k) => k.key)).toEqual(['sign-in-success-rate', 'failed-sign-ins-by-country', 'top-privileged-actions', 'consent-grants', 'credential-changes', 'risky-users']);
  });

  test('kpiKeyOf finds no key in a query without the header line', () => {
    expect(kpiKeyOf('SigninLogs | take 1')).toBeUndefined();
  });
});

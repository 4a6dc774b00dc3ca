/** The Audit-risk rules table in docs/reviewing-changes.md lists every rule of the pack, as the code defines it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_RISK_RULES } from '../../scripts/lib/review/rules';
import { REPO_ROOT } from '../support/run-script';

test('every audit-risk rule has its row, with the id, name, severity and description of the code', () => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'reviewing-changes.md'), 'utf8');
  const rows = page.split('\n').filter((line) => /^\| AR\d+ \|/.test(line));
  expect(rows.map((r) => r.split('|')[1].trim())).toEqual(AUDIT_RISK_RULES.map((r) => r.id).sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))));
  for (const rule of AUDIT_RISK_RULES) {
    const row = rows.find((r) => r.startsWith(`| ${rule.id} |`))!;
    expect(row).toContain(`| ${rule.id} | ${rule.name} | ${rule.severity} | ${rule.description.replace(/\.$/, '')}`);
  }
});

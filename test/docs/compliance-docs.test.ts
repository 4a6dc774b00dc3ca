/** The generated compliance tables of docs/compliance.md and the README are current, and name every rule. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPLIANCE_RULES } from '../../constructs/compliance/rules';
import { cell } from '../../scripts/lib/docs/config-reference';
import { COMPLIANCE_PAGE_PATH, markers, README_PATH, regenerate, replaceGenerated } from '../../scripts/lib/docs/compliance-rules';
import { REPO_ROOT } from '../support/run-script';

const page = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('generated compliance tables', () => {
  test.each([COMPLIANCE_PAGE_PATH, README_PATH])('%s is current (npm run docs:config)', (file) => {
    const text = page(file);
    expect(regenerate(file, text)).toBe(text);
  });

  test('the rules table of docs/compliance.md has each rule\'s row: id, name, what it requires, why and fix, in id order', () => {
    const rows = page(COMPLIANCE_PAGE_PATH).split('\n').filter((line) => /^\| EAL\d+ \|/.test(line));
    expect(rows.map((r) => r.split(' | ')[0].slice(2))).toEqual(COMPLIANCE_RULES.map((r) => r.id));
    for (const rule of COMPLIANCE_RULES) {
      const row = rows.find((r) => r.startsWith(`| ${rule.id} |`))!;
      expect(row).toContain(`| ${rule.id} | ${rule.name} | ${cell(rule.description)}`);
      expect(row).toContain(`| ${cell(rule.why)} | ${cell(rule.fix)} |`);
    }
  });

  test('the README lists every rule with the profiles that select it', () => {
    const rows = page(README_PATH).split('\n').filter((line) => /^\| EAL\d+ \|/.test(line));
    expect(rows).toContain('| EAL6 | AuditTrailRetained | `pci-dss-4` (365), `nist-800-53` (365) |');
    expect(rows).toHaveLength(COMPLIANCE_RULES.length);
  });

  test('a page without the markers of a block is an error naming them', () => {
    const { start, end } = markers('compliance-rules');
    expect(() => replaceGenerated('# Page\n', 'compliance-rules', 'x', 'docs/x.md')).toThrow(`docs/x.md: the generated block "compliance-rules" needs the lines ${start} and ${end}, in that order`);
    expect(() => replaceGenerated(`${end}\n${start}\n`, 'compliance-rules', 'x', 'docs/x.md')).toThrow('in that order');
    expect(replaceGenerated(`a\n${start}\nold\n${end}\nb\n`, 'compliance-rules', 'new', 'docs/x.md')).toBe(`a\n${start}\nnew\n${end}\nb\n`);
  });
});

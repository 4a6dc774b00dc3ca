/**
 * Every Audit-risk rule against a hand-built azurerm/azuread-shaped plan (test/fixtures/plans/<rule>.json,
 * following developer.hashicorp.com/terraform/internals/json-format): resources named `*.risky*` must be
 * flagged by the rule, resources named `*.harmless*` must not be.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findAuditRisks } from '../../scripts/lib/review/audit-risk';
import type { ResourceChange, StackChanges } from '../../scripts/lib/review/change-model';
import { parsePlanJson } from '../../scripts/lib/review/plan-json';
import { planToStackChanges } from '../../scripts/lib/review/plan-changes';
import { AUDIT_RISK_RULES, SEVERITY_ORDER } from '../../scripts/lib/review/rules';
import { summarisePlans } from '../../scripts/lib/review/summarise';

const FIXTURES = join(__dirname, '..', 'fixtures', 'plans');

function loadStack(file: string): StackChanges {
  return planToStackChanges(parsePlanJson(readFileSync(join(FIXTURES, file), 'utf8'), file), file.replace(/\.json$/, ''));
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** AR6 (prevent_destroy) cannot appear in a plan: Terraform plans do not carry lifecycle; synth-diff.test.ts covers it. */
const PLAN_RULES = AUDIT_RISK_RULES.filter((rule) => rule.id !== 'AR6');

describe.each(PLAN_RULES.map((rule) => [rule.id, rule.name, rule] as const))('%s %s', (_id, name, rule) => {
  const stack = loadStack(`${kebab(name)}.json`);
  const findings = findAuditRisks([stack]);
  const risky = stack.changes.filter((c) => /\.risky/.test(c.address));
  const harmless = stack.changes.filter((c) => /\.harmless/.test(c.address));

  it('has a non-compliant and a compliant example in its fixture', () => {
    expect(risky.length).toBeGreaterThan(0);
    expect(harmless.length).toBeGreaterThan(0);
  });

  it('flags every risky change', () => {
    for (const change of risky) {
      expect(findings.filter((f) => f.ruleId === rule.id && f.address === change.address).map((f) => f.address)).toEqual(
        expect.arrayContaining([change.address]),
      );
    }
  });

  it('does not flag the harmless change', () => {
    const flagged = findings.filter((f) => f.ruleId === rule.id && harmless.some((c) => c.address === f.address));
    expect(flagged).toEqual([]);
  });
});

describe('Audit risk section', () => {
  it('says in one line that there is no risk when only harmless changes are planned', () => {
    const { markdown, findings } = summarisePlans([{ text: readFileSync(join(FIXTURES, 'harmless.json'), 'utf8'), label: 'harmless.json', stack: 'contoso-prod' }]);
    expect(findings).toEqual([]);
    expect(markdown).toContain('**Audit risk:** none. No change weakens audit coverage or protection.');
    expect(markdown).not.toContain('⚠️');
  });

  it('lists findings most severe first', () => {
    const stacks = ['example-prod.json', 'audit-resource-destroyed.json', 'alert-threshold-loosened.json'].map(loadStack);
    const severities = findAuditRisks(stacks).map((f) => SEVERITY_ORDER.indexOf(f.severity));
    expect(severities.length).toBeGreaterThan(5);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
  });

  it('appears above the counts and the table', () => {
    const { markdown } = summarisePlans([{ text: readFileSync(join(FIXTURES, 'example-prod.json'), 'utf8'), label: 'x', stack: 'contoso-prod' }]);
    expect(markdown.indexOf('Audit risk')).toBeLessThan(markdown.indexOf('to create'));
    expect(markdown.indexOf('to create')).toBeLessThan(markdown.indexOf('| Action |'));
  });

  it('names every rule in the pack with a unique id and a rule fixture (or the synth test for AR6)', () => {
    const ids = AUDIT_RISK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of PLAN_RULES) expect(() => readFileSync(join(FIXTURES, `${kebab(rule.name)}.json`))).not.toThrow();
  });
});

describe('rule details', () => {
  const change = (overrides: Partial<ResourceChange>): ResourceChange => ({
    address: 'x.y',
    type: 'azurerm_monitor_scheduled_query_rules_alert_v2',
    action: 'update',
    before: {},
    after: {},
    attributes: [],
    ...overrides,
  });
  const rule = (id: string) => AUDIT_RISK_RULES.find((r) => r.id === id)!;

  it('treats a severity number going up as lowering the severity (0 is critical)', () => {
    expect(rule('AR15').check(change({ before: { severity: 0 }, after: { severity: 4 } }))).toEqual(['severity lowered from Sev0 to Sev4']);
    expect(rule('AR15').check(change({ before: { severity: 4 }, after: { severity: 0 } }))).toEqual([]);
  });

  it('reads an absent alert `enabled` as the provider default true', () => {
    expect(rule('AR11').check(change({ before: {}, after: { enabled: false } }))).toEqual(['alert rule disabled']);
    expect(rule('AR11').check(change({ before: { enabled: false }, after: {} }))).toEqual([]);
  });

  it('judges thresholds relative to the operator, including a switch from inclusive to strict', () => {
    const crit = (operator: string, threshold: number) => ({ criteria: [{ operator, threshold }] });
    expect(rule('AR16').check(change({ before: crit('GreaterThanOrEqual', 5), after: crit('GreaterThan', 5) }))).toHaveLength(1);
    expect(rule('AR16').check(change({ before: crit('GreaterThan', 5), after: crit('GreaterThanOrEqual', 5) }))).toEqual([]);
    expect(rule('AR16').check(change({ before: crit('Equal', 1), after: crit('Equal', 2) }))).toHaveLength(1);
    expect(rule('AR16').check(change({ before: crit('GreaterThan', 5), after: crit('LessThan', 5) }))).toHaveLength(1);
  });

  it('compares Event Hub retention across message_retention (days) and retention_description (hours)', () => {
    const hub = (o: object): ResourceChange => change({ type: 'azurerm_eventhub', before: { message_retention: 7 }, after: o as never });
    expect(rule('AR10').check(hub({ message_retention: null, retention_description: [{ retention_time_in_hours: 24 }] }))).toEqual([
      'Event Hub retention reduced from 7 day(s) to 1 day(s)',
    ]);
    expect(rule('AR10').check(hub({ message_retention: null, retention_description: [{ retention_time_in_hours: 168 }] }))).toEqual([]);
  });

  it('reads a single block written as a bare object, as cdk.tf.json does', () => {
    const sa = (state: string) => ({ immutability_policy: { state, period_since_creation_in_days: 30 } });
    expect(rule('AR7').check(change({ type: 'azurerm_storage_account', before: sa('Locked'), after: sa('Disabled') }))).toEqual([
      'account immutability state weakened from "Locked" to "Disabled"',
    ]);
  });

  it('flags a lifecycle delete action added to an enabled rule that had none, but ignores -1 (unset)', () => {
    const policy = (days: number, enabled = true) => ({
      rule: [{ name: 'r', enabled, actions: [{ base_blob: [{ delete_after_days_since_creation_greater_than: days }] }] }],
    });
    const mp = (b: object, a: object) => change({ type: 'azurerm_storage_management_policy', before: b as never, after: a as never });
    expect(rule('AR9').check(mp(policy(-1), policy(90)))).toHaveLength(1);
    expect(rule('AR9').check(mp(policy(90, false), policy(90)))).toHaveLength(1);
    expect(rule('AR9').check(mp(policy(90), policy(-1)))).toEqual([]);
  });

  it('flags a longer end_date_relative and a removed end date, not a shorter one', () => {
    const pw = (before: object, after: object) => change({ type: 'azuread_application_password', action: 'replace', before: before as never, after: after as never });
    expect(rule('AR14').check(pw({ end_date_relative: '4320h' }, { end_date_relative: '8760h' }))).toEqual([
      'end_date_relative extended from "4320h" to "8760h"',
    ]);
    expect(rule('AR14').check(pw({ end_date: '2026-12-31T00:00:00Z' }, { end_date: null }))).toEqual(['end date removed: the default lifetime applies']);
    expect(rule('AR14').check(pw({ end_date_relative: '8760h' }, { end_date_relative: '4320h' }))).toEqual([]);
  });

  it('flags a federated credential that starts trusting another subject', () => {
    const fic = (subject: string) => ({ issuer: 'https://token.actions.githubusercontent.com', subject });
    const found = rule('AR13').check(
      change({
        type: 'azuread_application_federated_identity_credential',
        before: fic('repo:contoso/entra-audit:environment:prod'),
        after: fic('repo:someone/fork:pull_request'),
      }),
    );
    expect(found).toEqual([expect.stringContaining('repo:someone/fork:pull_request')]);
  });
});

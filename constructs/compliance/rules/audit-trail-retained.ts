import { LONG_TERM_RETENTION_DAYS } from '../../log-analytics-destination';
import { AuditFacts, CategoryFacts, categoryRetention } from '../facts';
import type { ComplianceRule, Finding } from '../rule';
import { counted, listed } from '../rule';
import { atLeast, routingPath, routingSetting } from './support';

/** Total retention values a workspace table accepts: 4–730, then whole years (see LONG_TERM_RETENTION_DAYS). */
const TOTAL_RETENTION_STEPS = [...Array.from({ length: 727 }, (_, i) => i + 4), ...LONG_TERM_RETENTION_DAYS];

/** The longest any destination keeps the category, when synth knows it. */
function longest(facts: AuditFacts, category: CategoryFacts): number | undefined {
  const r = categoryRetention(facts, category);
  const known = [r.workspaceTotalInDays, r.archiveInDays].filter((d): d is number => d !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

/** `90 days: AuditLogs, SignInLogs; 30 days: ProvisioningLogs`: the categories grouped by the longest any destination keeps them. */
function kept(facts: AuditFacts, categories: readonly CategoryFacts[]): string {
  const byDays = new Map<string, string[]>();
  for (const c of categories) {
    const d = longest(facts, c);
    const key = d === undefined ? 'unknown' : `${d} days`;
    byDays.set(key, [...(byDays.get(key) ?? []), c.category]);
  }
  return [...byDays].map(([d, names]) => `${d}: ${names.join(', ')}`).join('; ');
}

/**
 * EAL6: every routed category is kept for the profile's number of days by at least one destination:
 * the workspace's total retention of its table, or the archive. The stream does not count: an Event Hub
 * keeps at most 90 days and hands records over rather than keeping them.
 */
export const AuditTrailRetained: ComplianceRule = {
  id: 'EAL6',
  name: 'AuditTrailRetained',
  description: 'Every routed category is kept for at least the profile\'s number of days by one destination: the workspace\'s total retention of its table, or the archive\'s lifecycle retention.',
  why: 'Compromises often go unnoticed for months; an investigation needs the records from before the first sign of it.',
  fix: 'Raise storage.retentionInDays for archived categories, or the table\'s total retention in the workspace (logAnalytics.tableDefaults.totalRetentionInDays or logAnalytics.tables.<Table>.totalRetentionInDays).',
  controls: ['PCI 10.5.1', 'AU-11'],
  threshold: { unit: 'days', stricter: 'higher', meaning: 'minimum retention' },
  check(facts, minDays = 365) {
    const short = facts.categories.filter((c) => (longest(facts, c) ?? 0) < minDays);
    if (short.length === 0) return [];
    const out: Finding[] = [];
    const tableTotal = atLeast(minDays, TOTAL_RETENTION_STEPS);
    // One cause each: the archive's one retention setting covers every archived category; each workspace
    // setting covers its tables; a category in neither store needs routing.
    const archived = short.filter((c) => c.destinations.includes('storage') && facts.storage);
    const inWorkspace = short.filter((c) => !archived.includes(c) && c.destinations.includes('logAnalytics') && facts.logAnalytics);
    const nowhere = short.filter((c) => !archived.includes(c) && !inWorkspace.includes(c));
    if (archived.length > 0) {
      const storage = facts.storage!;
      const managed = storage.retentionInDays !== undefined;
      out.push({
        constructPath: storage.path,
        setting: managed ? 'storage.retentionInDays' : 'storage.manageLifecyclePolicy',
        got: managed ? storage.retentionInDays : false,
        found: managed
          ? `${counted(archived.length, 'archived category', 'archived categories')} ${archived.length === 1 ? 'is' : 'are'} kept less than ${minDays} days by any destination (longest kept, ${kept(facts, archived)})`
          : `the archive's lifecycle policy is managed outside this stack, so synth cannot count it, and ${listed(archived.map((c) => c.category))} ${archived.length === 1 ? 'is' : 'are'} kept less than ${minDays} days elsewhere`,
        fix: managed
          ? `raise storage.retentionInDays to ${minDays} or more${inWorkspaceHint(facts, archived, tableTotal)}`
          : `manage the policy here (storage.manageLifecyclePolicy: true, storage.retentionInDays: ${minDays}), or suppress EAL6 with the reason the account's own policy keeps ${minDays} days`,
      });
    }
    const bySetting = new Map<string, CategoryFacts[]>();
    for (const c of inWorkspace) {
      const setting = workspaceTotalSetting(facts, c);
      bySetting.set(setting, [...(bySetting.get(setting) ?? []), c]);
    }
    for (const [setting, categories] of bySetting) {
      const unknown = categories.filter((c) => longest(facts, c) === undefined);
      out.push({
        constructPath: facts.logAnalytics!.path,
        setting: `logAnalytics.${setting}`,
        got: unknown.length === categories.length ? undefined : longest(facts, categories[0]),
        found:
          unknown.length === categories.length
            ? `the existing workspace keeps ${listed(categories.map((c) => c.category))} for its own retention, which synth cannot read, and no archive keeps ${categories.length === 1 ? 'it' : 'them'}`
            : `${listed(categories.map((c) => c.category))} ${categories.length === 1 ? 'is' : 'are'} kept less than ${minDays} days in the workspace and not archived (${kept(facts, categories)})`,
        fix: `set logAnalytics.${setting} to ${tableTotal} or more${setting.includes('totalRetentionInDays') ? '' : ' (total retention)'}, or archive ${categories.length === 1 ? 'it' : 'them'} (add storage to the routing) with storage.retentionInDays of ${minDays} or more`,
      });
    }
    if (nowhere.length > 0) {
      out.push({
        constructPath: routingPath(facts),
        setting: routingSetting(nowhere.map((c) => c.category)),
        got: Object.fromEntries(nowhere.map((c) => [c.category, c.destinations])),
        found: `${listed(nowhere.map((c) => c.category))} ${nowhere.length === 1 ? 'goes' : 'go'} to no store that keeps records (the Event Hub stream hands them over within days)`,
        fix: `route ${nowhere.length === 1 ? 'it' : 'them'} to storage (with storage.retentionInDays of ${minDays} or more) or to logAnalytics (with a total retention of ${tableTotal} or more)`,
      });
    }
    return out;
  },
};

/** The workspace setting that holds a table's total retention: where it is set, else `tableDefaults.totalRetentionInDays`. */
function workspaceTotalSetting(facts: AuditFacts, category: CategoryFacts): string {
  const table = category.table ? facts.logAnalytics!.tables[category.table] : undefined;
  if (!table) return 'retentionInDays';
  return table.totalRetentionSetting ?? 'tableDefaults.totalRetentionInDays';
}

/** The alternative of keeping them in the workspace, when all of them are there too. */
function inWorkspaceHint(facts: AuditFacts, categories: readonly CategoryFacts[], tableTotal: number): string {
  if (!facts.logAnalytics || !categories.every((c) => c.destinations.includes('logAnalytics'))) return '';
  return `, or keep them ${tableTotal} days in the workspace (logAnalytics.tableDefaults.totalRetentionInDays)`;
}

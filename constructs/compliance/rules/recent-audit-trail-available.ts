import { AuditFacts, CategoryFacts, categoryRetention } from '../facts';
import type { ComplianceRule, Finding } from '../rule';
import { listed } from '../rule';
import { routingPath, routingSetting } from './support';

/**
 * How many of the most recent days of a category can be analysed at once: the workspace's
 * interactive retention (queried directly; long-term retention needs a search job or a restore first),
 * or the archive (its blobs are read directly; PCI DSS names archived logs among the ways to keep logs
 * immediately available). Which stores count is this toolkit's reading, not the standard's text.
 */
function immediate(facts: AuditFacts, category: CategoryFacts): number | undefined {
  const r = categoryRetention(facts, category);
  const known = [r.interactiveInDays, r.archiveInDays].filter((d): d is number => d !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

/** EAL7: the most recent days of every routed category are immediately available for analysis. */
export const RecentAuditTrailAvailable: ComplianceRule = {
  id: 'EAL7',
  name: 'RecentAuditTrailAvailable',
  description: 'The most recent days of every routed category (the profile\'s number) can be analysed at once: in the workspace\'s interactive retention, or in the archive.',
  why: 'During an incident the last months must be searchable now, not after a restore job.',
  fix: 'Raise the interactive retention of the table in the workspace (logAnalytics.retentionInDays, logAnalytics.tableDefaults.retentionInDays or logAnalytics.tables.<Table>.retentionInDays), or keep at least that many days in the archive.',
  controls: ['PCI 10.5.1'],
  threshold: { unit: 'days', stricter: 'higher', meaning: 'minimum immediately available' },
  check(facts, minDays = 90) {
    const short = facts.categories.filter((c) => (immediate(facts, c) ?? 0) < minDays);
    if (short.length === 0) return [];
    const out: Finding[] = [];
    const bySetting = new Map<string, CategoryFacts[]>();
    const nowhere: CategoryFacts[] = [];
    for (const c of short) {
      const setting = fixSetting(facts, c);
      if (setting === undefined) nowhere.push(c);
      else bySetting.set(setting, [...(bySetting.get(setting) ?? []), c]);
    }
    for (const [setting, categories] of bySetting) {
      const names = listed(categories.map((c) => c.category));
      const basic = setting.endsWith('.plan');
      out.push({
        constructPath: setting.startsWith('storage.') ? facts.storage!.path : facts.logAnalytics!.path,
        setting,
        got: basic ? 'Basic' : valueOf(facts, categories[0], setting),
        found: basic
          ? `${names} ${categories.length === 1 ? 'is' : 'are'} on the Basic plan, whose records are not kept interactive, and no archive keeps ${minDays} days of ${categories.length === 1 ? 'it' : 'them'}`
          : `only ${immediate(facts, categories[0]) ?? 0} of the last ${minDays} days of ${names} can be analysed at once`,
        fix: basic
          ? `switch ${names} to the Analytics plan with an interactive retention of ${minDays} days or more, or archive ${categories.length === 1 ? 'it' : 'them'} with storage.retentionInDays of ${minDays} or more`
          : setting.startsWith('storage.')
            ? `raise storage.retentionInDays to ${minDays} or more`
            : `raise ${setting} to ${minDays} or more, ${alternative(facts, categories, minDays)}`,
      });
    }
    if (nowhere.length > 0) {
      out.push({
        constructPath: routingPath(facts),
        setting: routingSetting(nowhere.map((c) => c.category)),
        got: Object.fromEntries(nowhere.map((c) => [c.category, c.destinations])),
        found: `${listed(nowhere.map((c) => c.category))} ${nowhere.length === 1 ? 'goes' : 'go'} to no store that can be analysed (an existing workspace's own retention cannot be read at synth)`,
        fix: `route ${nowhere.length === 1 ? 'it' : 'them'} to logAnalytics with an interactive retention of ${minDays} days or more, or to storage with storage.retentionInDays of ${minDays} or more`,
      });
    }
    return out;
  },
};

/** Where to raise the immediately available days of a category: its workspace table's interactive setting, else the archive. */
function fixSetting(facts: AuditFacts, category: CategoryFacts): string | undefined {
  if (category.destinations.includes('logAnalytics') && facts.logAnalytics) {
    const table = category.table ? facts.logAnalytics.tables[category.table] : undefined;
    if (!table) return facts.logAnalytics.existing ? undefined : 'logAnalytics.retentionInDays';
    if (table.plan === 'Basic') return `logAnalytics.tables.${category.table}.plan`;
    if (table.retentionSetting) return `logAnalytics.${table.retentionSetting}`;
    return 'logAnalytics.tableDefaults.retentionInDays';
  }
  if (category.destinations.includes('storage') && facts.storage?.retentionInDays !== undefined) return 'storage.retentionInDays';
  return undefined;
}

/** The archive as the other way to keep the days available. */
function alternative(facts: AuditFacts, categories: readonly CategoryFacts[], minDays: number): string {
  const it = categories.length === 1 ? 'it' : 'them';
  return categories.every((c) => c.destinations.includes('storage')) && facts.storage?.retentionInDays !== undefined
    ? `or raise storage.retentionInDays to ${minDays} or more`
    : `or archive ${it} (add storage to the routing) with storage.retentionInDays of ${minDays} or more`;
}

function valueOf(facts: AuditFacts, category: CategoryFacts, setting: string): number | undefined {
  const r = categoryRetention(facts, category);
  return setting.startsWith('storage.') ? r.archiveInDays : r.interactiveInDays;
}

import type { ComplianceRule } from '../rule';
import { listed } from '../rule';
import { routingPath, routingSetting } from './support';

/**
 * EAL8: every routed category is archived in containers with time-based immutability (WORM). The
 * workspace does not count: its records can be deleted through the Delete Data and purge APIs
 * (learn.microsoft.com/azure/azure-monitor/logs/delete-log-data; learn.microsoft.com/rest/api/loganalytics/workspace-purge/purge).
 */
export const AuditTrailImmutable: ComplianceRule = {
  id: 'EAL8',
  name: 'AuditTrailImmutable',
  description: 'Every routed category is archived in containers with time-based immutability (WORM), so that no one can change or delete its records during the immutability period.',
  why: 'An intruder with enough rights edits or deletes the records that show what they did; while an immutability policy holds, it refuses that even to the account\'s owners (and a locked policy cannot be removed).',
  fix: 'Set storage.immutability.periodInDays and route every category to storage; lock the policy (storage.immutability.locked) once the period is settled.',
  controls: ['PCI 10.3.2', 'PCI 10.3.3', 'AU-9'],
  check(facts) {
    if (!facts.storage) {
      return [
        {
          constructPath: facts.path,
          setting: 'storage.enabled',
          got: false,
          found: 'the stack has no Storage archive, so no copy of the logs is immutable (workspace records can be deleted through its Delete Data and purge APIs)',
          fix: 'enable storage with storage.immutability: { periodInDays: <days> } and route every category to it',
        },
      ];
    }
    if (!facts.storage.immutability) {
      return [
        {
          constructPath: facts.storage.path,
          setting: 'storage.immutability',
          got: undefined,
          found: 'the archive containers have no immutability policy: archived records can be changed or deleted',
          fix: `add storage.immutability: { periodInDays: <days> }${facts.storage.retentionInDays !== undefined ? `, a period no longer than storage.retentionInDays (now ${facts.storage.retentionInDays})` : ''}`,
        },
      ];
    }
    const missing = facts.categories.filter((c) => !c.destinations.includes('storage')).map((c) => c.category);
    if (missing.length === 0) return [];
    return [
      {
        constructPath: routingPath(facts),
        setting: routingSetting(missing),
        got: Object.fromEntries(facts.categories.filter((c) => missing.includes(c.category)).map((c) => [c.category, c.destinations])),
        found: `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not in the immutable archive`,
        fix: `add storage to the routing of ${listed(missing)}`,
      },
    ];
  },
};

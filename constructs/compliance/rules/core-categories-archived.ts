import { CORE_CATEGORIES, RISK_CATEGORIES } from '../categories';
import type { ComplianceRule } from '../rule';
import { listed } from '../rule';
import { notRoutedTo, routed, routingOf, routingPath, routingSetting } from './support';

/** EAL2: the core categories, and every risk category routed at all, are archived to Storage. */
export const CoreCategoriesArchived: ComplianceRule = {
  id: 'EAL2',
  name: 'CoreCategoriesArchived',
  description: 'The core Entra categories, and every ID Protection category that is routed at all, are archived to the Storage account.',
  why: 'The archive is a second copy outside the workspace, kept for its own period and, with immutability, safe from change: the record survives a workspace that is deleted, purged or cut short.',
  fix: 'Add storage to the routing of each category named, with the Storage destination enabled.',
  controls: ['PCI 10.3.3', 'AU-9(2)'],
  check(facts) {
    const required = [...CORE_CATEGORIES, ...RISK_CATEGORIES.filter((c) => routed(facts, c))];
    if (!facts.storage) {
      return [
        {
          constructPath: facts.path,
          setting: 'storage.enabled',
          got: false,
          found: 'the stack has no Storage archive, so the logs have no second copy',
          fix: `enable storage (remove storage.enabled: false) and route ${listed(required)} to it`,
        },
      ];
    }
    const missing = notRoutedTo(facts, 'storage', required);
    if (missing.length === 0) return [];
    return [
      {
        constructPath: routingPath(facts),
        setting: routingSetting(missing),
        got: routingOf(facts, missing),
        found: `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not archived`,
        fix: `add storage to the routing of ${listed(missing)}`,
      },
    ];
  },
};

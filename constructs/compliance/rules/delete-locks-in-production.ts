import type { ComplianceRule } from '../rule';
import { listed } from '../rule';

/** EAL4: in production, every destination carries its CanNotDelete lock. */
export const DeleteLocksInProduction: ComplianceRule = {
  id: 'EAL4',
  name: 'DeleteLocksInProduction',
  description: 'In a production environment every destination (workspace, Event Hub namespace, storage account) carries a CanNotDelete management lock. A lock suspended for one change (protection.lockSuspension) counts, and the report names it.',
  why: 'Deleting the workspace or the storage account destroys the audit trail in one call; a lock makes that a deliberate two-step change that is itself logged.',
  fix: 'Leave protection.lock at its production default (true).',
  controls: ['AU-9', 'PCI 10.3'],
  check(facts) {
    if (!facts.production) return [];
    const unlocked = [facts.logAnalytics, facts.eventHub, facts.storage].filter((d) => d !== undefined && d.lock === 'none');
    if (unlocked.length === 0) return [];
    return [
      {
        constructPath: unlocked[0]!.path,
        setting: 'protection.lock',
        got: false,
        found: `${listed(unlocked.map((d) => d!.path))} ${unlocked.length === 1 ? 'has' : 'have'} no delete lock in a production environment`,
        fix: 'remove protection.lock: false (production turns the locks on), or set it to true',
      },
    ];
  },
};

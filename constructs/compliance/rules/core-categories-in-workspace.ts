import { CORE_CATEGORIES, RISK_CATEGORIES } from '../categories';
import type { ComplianceRule } from '../rule';
import { listed } from '../rule';
import { notRoutedTo, routed, routingOf, routingPath, routingSetting } from './support';

/** EAL1: the core categories, and every risk category routed at all, reach the Log Analytics workspace. */
export const CoreCategoriesInWorkspace: ComplianceRule = {
  id: 'EAL1',
  name: 'CoreCategoriesInWorkspace',
  description: 'The core Entra categories (audit, the four sign-in streams, provisioning), and every ID Protection category that is routed at all, go to the Log Analytics workspace.',
  why: 'Alert rules and investigations query the workspace: a category that is not there can be neither alerted on nor searched.',
  fix: 'Add logAnalytics to the routing of each category named (without a routing setting, the baseline categories go to every enabled destination).',
  controls: ['CIS 4.0.0 7.1.1.9', 'CIS 5.0.0 6.1.1.9'],
  check(facts) {
    const required = [...CORE_CATEGORIES, ...RISK_CATEGORIES.filter((c) => routed(facts, c))];
    if (!facts.logAnalytics) {
      return [
        {
          constructPath: facts.path,
          setting: 'logAnalytics.enabled',
          got: false,
          found: 'the stack has no Log Analytics workspace, so no category is searchable or alerted on',
          fix: `enable logAnalytics (remove logAnalytics.enabled: false) and route ${listed(required)} to it`,
        },
      ];
    }
    const missing = notRoutedTo(facts, 'logAnalytics', required);
    if (missing.length === 0) return [];
    return [
      {
        constructPath: routingPath(facts),
        setting: routingSetting(missing),
        got: routingOf(facts, missing),
        found: `${listed(missing)} ${missing.length === 1 ? 'does' : 'do'} not reach the workspace`,
        fix: `add logAnalytics to the routing of ${listed(missing)}`,
      },
    ];
  },
};

import { CORE_CATEGORIES } from '../categories';
import type { ComplianceRule } from '../rule';
import { listed } from '../rule';
import { routed, routingOf, routingPath, routingSetting } from './support';

/**
 * EAL9: the core Entra activity log categories are exported. CIS's remediation lists every category a
 * tenant can produce (Global Secure Access, ADFS, risk); which of those a tenant has depends on its
 * licences, so this rule requires the core ones and the report lists the rest.
 */
export const EntraActivityLogsExported: ComplianceRule = {
  id: 'EAL9',
  name: 'EntraActivityLogsExported',
  description: 'A diagnostic setting sends the core Microsoft Entra activity log categories (audit, the four sign-in streams, provisioning) to a destination.',
  why: 'Entra keeps activity logs only for its default retention period (learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention); exported, they can be kept, searched and alerted on.',
  fix: 'Route each category named to at least one destination.',
  controls: ['CIS 4.0.0 7.1.1.9', 'CIS 5.0.0 6.1.1.9'],
  check(facts) {
    const missing = CORE_CATEGORIES.filter((c) => !routed(facts, c));
    if (missing.length === 0) return [];
    return [
      {
        constructPath: routingPath(facts),
        setting: routingSetting(missing),
        got: routingOf(facts, missing),
        found: `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not exported`,
        fix: `route ${listed(missing)} to at least one destination (logAnalytics, eventHub or storage)`,
      },
    ];
  },
};

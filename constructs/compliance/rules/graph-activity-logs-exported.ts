import { GRAPH_ACTIVITY_CATEGORY } from '../categories';
import type { ComplianceRule } from '../rule';
import { routed, routingPath } from './support';

/** EAL10: Microsoft Graph activity logs are exported. */
export const GraphActivityLogsExported: ComplianceRule = {
  id: 'EAL10',
  name: 'GraphActivityLogsExported',
  description: 'A diagnostic setting sends MicrosoftGraphActivityLogs (every request Microsoft Graph serves for the tenant) to a destination.',
  why: 'Graph activity logs record what apps and users read and changed through the API; the reads appear in no other Entra log category.',
  fix: 'Route MicrosoftGraphActivityLogs to at least one destination (it needs Entra ID P1 or P2).',
  controls: ['CIS 5.0.0 6.1.1.8'],
  check(facts) {
    if (routed(facts, GRAPH_ACTIVITY_CATEGORY)) return [];
    return [
      {
        constructPath: routingPath(facts),
        setting: `routing.${GRAPH_ACTIVITY_CATEGORY}`,
        got: undefined,
        found: `${GRAPH_ACTIVITY_CATEGORY} is not exported`,
        fix: `route ${GRAPH_ACTIVITY_CATEGORY} to at least one destination (logAnalytics, eventHub or storage)`,
      },
    ];
  },
};

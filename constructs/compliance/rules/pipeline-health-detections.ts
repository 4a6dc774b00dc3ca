import type { ComplianceRule, Finding } from '../rule';
import { listed } from '../rule';

/**
 * The catalog's pipeline-health detections: each fires when its table stops receiving records (an Entra
 * diagnostic setting deleted or changed, a licence lapsed, the export broken), the effect of MITRE ATT&CK
 * T1562.008 (Impair Defenses: Disable or Modify Cloud Logs), by key with the table each reads.
 */
export const PIPELINE_HEALTH_DETECTIONS: Readonly<Record<string, { readonly table: string; readonly category: string }>> = {
  'no-audit-logs-ingested': { table: 'AuditLogs', category: 'AuditLogs' },
  'no-sign-in-logs-ingested': { table: 'SigninLogs', category: 'SignInLogs' },
};

/** EAL3: the pipeline-health (tampering) detections are deployed and switched on. */
export const PipelineHealthDetections: ComplianceRule = {
  id: 'EAL3',
  name: 'PipelineHealthDetections',
  description: `The pipeline-health detections (${listed(Object.keys(PIPELINE_HEALTH_DETECTIONS))}) are deployed and switched on, so that someone is alerted when audit logs stop arriving.`,
  why: 'Deleting or changing the diagnostic setting is how an intruder switches the audit trail off (MITRE ATT&CK T1562.008); without these rules nobody notices until the logs are needed.',
  fix: 'Keep alerts enabled, take the detections out of alerts.disabled, and do not set their overrides.<key>.enabled to false; each needs its table routed to the workspace.',
  controls: ['AU-5', 'PCI 10.7.2'],
  check(facts) {
    const keys = Object.keys(PIPELINE_HEALTH_DETECTIONS);
    if (!facts.alerts) {
      return [
        {
          constructPath: facts.path,
          setting: facts.logAnalytics ? 'alerts.enabled' : 'logAnalytics.enabled',
          got: false,
          found: facts.logAnalytics ? 'no alert rules are deployed' : 'no alert rules are deployed: there is no Log Analytics workspace for them to query',
          fix: facts.logAnalytics ? `enable alerts (remove alerts.enabled: false), keeping ${listed(keys)}` : `enable logAnalytics, then alerts, keeping ${listed(keys)}`,
        },
      ];
    }
    const deployed = new Map(facts.alerts.detections.map((d) => [d.key, d]));
    const absent = keys.filter((k) => !deployed.has(k));
    const off = keys.filter((k) => deployed.get(k)?.enabled === false);
    const out: Finding[] = [];
    if (absent.length > 0) {
      const unrouted = absent.filter((k) => !facts.categories.some((c) => c.category === PIPELINE_HEALTH_DETECTIONS[k].category && c.destinations.includes('logAnalytics')));
      const route = unrouted.length > 0 ? `; ${listed(unrouted)} need${unrouted.length === 1 ? 's' : ''} ${listed(unrouted.map((k) => PIPELINE_HEALTH_DETECTIONS[k].category))} routed to logAnalytics first` : '';
      out.push({
        constructPath: facts.alerts.path,
        setting: 'alerts.disabled',
        got: absent,
        found: `${listed(absent)} ${absent.length === 1 ? 'is' : 'are'} not deployed`,
        fix: `remove ${listed(absent)} from alerts.disabled${route}`,
      });
    }
    for (const key of off) {
      out.push({
        constructPath: `${facts.alerts.path}/Rules/${key}`,
        setting: `alerts.overrides.${key}.enabled`,
        got: false,
        found: `${key} is deployed switched off`,
        fix: `remove alerts.overrides.${key}.enabled: false`,
      });
    }
    return out;
  },
};

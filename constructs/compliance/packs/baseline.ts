import type { ComplianceProfile } from './pack';

/** This toolkit's own floor: what every environment that wants an audit trail worth the name should have. */
export const BASELINE: ComplianceProfile = {
  id: 'baseline',
  title: 'Baseline',
  description: 'This toolkit\'s floor for an audit trail: the core categories searchable and archived, alerting when logs stop, delete locks in production, short-lived reader secrets.',
  rules: [
    { rule: 'EAL1', controls: [] },
    { rule: 'EAL2', controls: [] },
    { rule: 'EAL3', controls: [] },
    { rule: 'EAL4', controls: [] },
    { rule: 'EAL5', threshold: 180, thresholdSource: 'a choice of this toolkit (the reader app\'s default lifetime); no framework sets it', controls: [] },
  ],
};

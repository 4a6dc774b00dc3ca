import type { ComplianceProfile } from './pack';

/** PCI DSS v4.0, Requirement 10 (docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0.pdf). */
export const PCI_DSS_4: ComplianceProfile = {
  id: 'pci-dss-4',
  title: 'PCI DSS v4.0',
  description: 'Requirement 10 of PCI DSS v4.0: audit logs kept 12 months with the last three months immediately available (10.5.1), protected from modification (10.3.2, 10.3.3), and failures of audit logging detected and alerted (10.7.2).',
  rules: [
    { rule: 'EAL6', threshold: 365, thresholdSource: '10.5.1: "at least 12 months"', controls: ['PCI 10.5.1'] },
    { rule: 'EAL7', threshold: 90, thresholdSource: '10.5.1: "at least the most recent three months immediately available"', controls: ['PCI 10.5.1'] },
    { rule: 'EAL8', controls: ['PCI 10.3.2', 'PCI 10.3.3'] },
    { rule: 'EAL3', controls: ['PCI 10.7.2'] },
  ],
};

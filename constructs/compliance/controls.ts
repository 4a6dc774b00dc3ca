/**
 * The requirements and controls the compliance rules support, each with its wording (short) and
 * where it is published. Every id here was checked against its source; the rules cite them by id.
 *
 * - PCI DSS v4.0, Requirement 10 (the 4.0.1 revision keeps these numbers and texts):
 *   https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0.pdf
 * - NIST SP 800-53 Rev. 5, Audit and Accountability family: https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final
 * - CIS Microsoft Azure Foundations Benchmark: https://www.cisecurity.org/benchmark/azure. Item numbers
 *   move between versions; v4.0.0 numbers the Entra activity log item 7.1.1.9 (its text is reproduced in
 *   tenable.com/audits/items/CIS_Microsoft_Azure_Foundations_v4.0.0_L2.audit:636754529ac5c6586fbba3bddcd73d02),
 *   v5.0.0 numbers the Microsoft Graph and Entra activity log items 6.1.1.8 and 6.1.1.9.
 */
export interface Control {
  readonly framework: 'PCI DSS v4.0' | 'NIST SP 800-53 Rev. 5' | 'CIS Azure Foundations';
  /** The requirement as the framework numbers it. */
  readonly number: string;
  /** Its wording, shortened. */
  readonly title: string;
  readonly source: string;
}

const PCI = 'https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0.pdf';
const NIST = 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final';
const CIS = 'https://www.cisecurity.org/benchmark/azure';

/** Controls by id (`PCI 10.5.1`, `AU-11`, `CIS 5.0.0 6.1.1.9`). */
export const CONTROLS = {
  'PCI 10.3': { framework: 'PCI DSS v4.0', number: '10.3', title: 'Audit logs are protected from destruction and unauthorized modifications.', source: PCI },
  'PCI 10.3.2': { framework: 'PCI DSS v4.0', number: '10.3.2', title: 'Audit log files are protected to prevent modifications by individuals.', source: PCI },
  'PCI 10.3.3': {
    framework: 'PCI DSS v4.0',
    number: '10.3.3',
    title: 'Audit log files are promptly backed up to a secure, central, internal log server(s) or other media that is difficult to modify.',
    source: PCI,
  },
  'PCI 10.5.1': {
    framework: 'PCI DSS v4.0',
    number: '10.5.1',
    title: 'Retain audit log history for at least 12 months, with at least the most recent three months immediately available for analysis.',
    source: PCI,
  },
  'PCI 10.7.2': {
    framework: 'PCI DSS v4.0',
    number: '10.7.2',
    title: 'Failures of critical security control systems (including audit logging mechanisms) are detected, alerted, and addressed promptly.',
    source: PCI,
  },
  'AU-5': { framework: 'NIST SP 800-53 Rev. 5', number: 'AU-5', title: 'Response to Audit Logging Process Failures: alert organization-defined personnel within an organization-defined time period.', source: NIST },
  'AU-9': { framework: 'NIST SP 800-53 Rev. 5', number: 'AU-9', title: 'Protection of Audit Information: protect audit information from unauthorized access, modification, and deletion.', source: NIST },
  'AU-9(2)': {
    framework: 'NIST SP 800-53 Rev. 5',
    number: 'AU-9(2)',
    title: 'Store audit records in a repository that is part of a physically different system or system component than the system being audited.',
    source: NIST,
  },
  'AU-11': { framework: 'NIST SP 800-53 Rev. 5', number: 'AU-11', title: 'Audit Record Retention: retain audit records for an organization-defined time period.', source: NIST },
  'CIS 4.0.0 7.1.1.9': {
    framework: 'CIS Azure Foundations',
    number: 'v4.0.0 7.1.1.9',
    title: 'Ensure that a Microsoft Entra diagnostic setting exists to send Microsoft Entra activity logs to an appropriate destination.',
    source: CIS,
  },
  'CIS 5.0.0 6.1.1.8': {
    framework: 'CIS Azure Foundations',
    number: 'v5.0.0 6.1.1.8',
    title: 'Ensure that a Microsoft Entra diagnostic setting exists to send Microsoft Graph activity logs to an appropriate destination.',
    source: CIS,
  },
  'CIS 5.0.0 6.1.1.9': {
    framework: 'CIS Azure Foundations',
    number: 'v5.0.0 6.1.1.9',
    title: 'Ensure that a Microsoft Entra diagnostic setting exists to send Microsoft Entra activity logs to an appropriate destination.',
    source: CIS,
  },
} as const satisfies Record<string, Control>;

export type ControlId = keyof typeof CONTROLS;

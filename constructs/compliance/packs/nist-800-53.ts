import type { ComplianceProfile } from './pack';

/** The default of `compliance.nist80053.retentionInDays`: AU-11 leaves the period to the organization. */
export const NIST_DEFAULT_RETENTION_IN_DAYS = 365;

/**
 * NIST SP 800-53 Rev. 5, Audit and Accountability (csrc.nist.gov/pubs/sp/800/53/r5/upd1/final). AU-11's
 * period is organization-defined: `retentionInDays` is that figure.
 */
export function nist80053(options: { readonly retentionInDays?: number } = {}): ComplianceProfile {
  const days = options.retentionInDays ?? NIST_DEFAULT_RETENTION_IN_DAYS;
  return {
    id: 'nist-800-53',
    title: 'NIST SP 800-53 Rev. 5',
    description: 'Audit record retention for an organization-defined period (AU-11), protection of audit information from modification and deletion (AU-9), and alerting on audit logging process failures (AU-5).',
    rules: [
      {
        rule: 'EAL6',
        threshold: days,
        thresholdSource:
          options.retentionInDays === undefined
            ? `AU-11 leaves the period to the organization: ${NIST_DEFAULT_RETENTION_IN_DAYS} is this toolkit's default; set compliance.nist80053.retentionInDays`
            : 'AU-11 leaves the period to the organization: set by compliance.nist80053.retentionInDays',
        controls: ['AU-11'],
      },
      { rule: 'EAL8', controls: ['AU-9'] },
      { rule: 'EAL3', controls: ['AU-5'] },
    ],
  };
}

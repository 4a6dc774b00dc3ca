/** The compliance profiles, by id. */
import { BASELINE } from './baseline';
import { CIS } from './cis';
import { nist80053 } from './nist-800-53';
import type { ComplianceProfile, ProfileId } from './pack';
import { PCI_DSS_4 } from './pci-dss-4';

export { PROFILE_IDS } from './pack';
export type { ComplianceProfile, ProfileId, ProfileRule } from './pack';
export { NIST_DEFAULT_RETENTION_IN_DAYS } from './nist-800-53';

/** Figures a profile leaves to the organization. */
export interface ProfileOptions {
  /** NIST SP 800-53 AU-11's retention period. @default 365 */
  readonly nist80053?: { readonly retentionInDays?: number };
}

/** The profile of that id, with the organization's figures. */
export function profile(id: ProfileId, options: ProfileOptions = {}): ComplianceProfile {
  switch (id) {
    case 'baseline':
      return BASELINE;
    case 'pci-dss-4':
      return PCI_DSS_4;
    case 'nist-800-53':
      return nist80053(options.nist80053);
    case 'cis':
      return CIS;
  }
}

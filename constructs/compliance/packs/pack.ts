import type { ControlId } from '../controls';

/** The profiles an environment can select. */
export const PROFILE_IDS = ['baseline', 'pci-dss-4', 'nist-800-53', 'cis'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/** One rule in a profile: its threshold there, and the controls it stands for there. */
export interface ProfileRule {
  readonly rule: string;
  /** The rule's threshold in this profile (rules with a threshold only). */
  readonly threshold?: number;
  /** Where the threshold comes from: the framework's text, or a choice this toolkit makes. */
  readonly thresholdSource?: string;
  readonly controls: readonly ControlId[];
}

/** A compliance profile: a set of rules with thresholds (cdk-nag's pack). */
export interface ComplianceProfile {
  readonly id: ProfileId;
  readonly title: string;
  readonly description: string;
  readonly rules: readonly ProfileRule[];
}

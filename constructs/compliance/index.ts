export * from './entra-compliance';
export * from './facts';
export type { ComplianceRule, Finding, RuleThreshold } from './rule';
export { CONTROLS } from './controls';
export type { Control, ControlId } from './controls';
export { COMPLIANCE_RULES, RULE_IDS, findRule } from './rules';
export { profile, PROFILE_IDS, NIST_DEFAULT_RETENTION_IN_DAYS } from './packs';
export type { ComplianceProfile, ProfileId, ProfileOptions, ProfileRule } from './packs';

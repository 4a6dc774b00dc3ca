export * from './audit-data-lock';
export * from './entra-alert-rules/entra-alert-rules';
export * from './entra-canary-app';
export * from './entra-diagnostic-settings';
export * from './entra-reader-app';
export * from './event-hub-destination';
export * from './log-analytics-destination';
export * from './storage-archive-destination';
export type { NetworkRules } from './internal/network';

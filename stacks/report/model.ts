/**
 * The coverage report of one stack, as data: what is collected, where and for how long, which
 * detections watch it, who can read it, and how it fares against the compliance profiles. Built from
 * the same facts the compliance rules check (constructs/compliance/facts.ts), so the two never
 * disagree. Deterministic: routing order as configured, everything else in a fixed order, no time.
 */
import { CONTROLS } from '../../constructs/compliance/controls';
import { AuditFacts, categoryRetention, LockState, ReaderAppFacts } from '../../constructs/compliance/facts';
import { ComplianceResult, evaluateCompliance } from '../../constructs/compliance/entra-compliance';
import { profile, PROFILE_IDS, ProfileId } from '../../constructs/compliance/packs';
import { DETECTIONS } from '../../constructs/entra-alert-rules/catalog';
import { DestinationKind } from '../../constructs/entra-diagnostic-settings';
import type { EntraAuditStack } from '../entra-audit-stack';
import { REPORT_GENERATED_BY } from './marker';
import { ENTERPRISE_TACTICS, tacticName } from './mitre';


const SEVERITY_NAMES = ['critical', 'error', 'warning', 'informational', 'verbose'] as const;

export interface CategoryRow {
  readonly category: string;
  /** Its workspace table; absent for a category the toolkit does not know (`additionalCategories`). */
  readonly table?: string;
  readonly destinations: readonly DestinationKind[];
  /** Present when routed to the workspace. Days absent: read from an existing workspace at plan time. */
  readonly logAnalytics?: { readonly plan: 'Analytics' | 'Basic'; readonly interactiveInDays?: number; readonly totalInDays?: number };
  /** Present when archived. Days absent: the lifecycle policy is managed elsewhere. */
  readonly archive?: { readonly retentionInDays?: number; readonly immutableForDays?: number };
  /** Present when streamed. */
  readonly stream?: { readonly retentionInDays: number };
}

export interface DetectionRow {
  readonly key: string;
  readonly title: string;
  readonly custom: boolean;
  readonly severity: number;
  readonly severityName: string;
  /** `false`: deployed switched off. */
  readonly enabled: boolean;
  readonly tactics: readonly { readonly id: string; readonly name: string }[];
  readonly techniques: readonly string[];
  readonly tables: readonly string[];
}

export interface RuleRow {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly profiles: readonly ProfileId[];
  /** The figure checked (the strictest of the profiles'), for rules with one. */
  readonly threshold?: { readonly value: number; readonly unit: string; readonly meaning: string };
  readonly controls: readonly { readonly id: string; readonly framework: string; readonly number: string }[];
  readonly status: 'pass' | 'fail' | 'suppressed';
  readonly findings: readonly { readonly construct: string; readonly setting: string; readonly found: string; readonly fix: string }[];
  readonly suppressionReason?: string;
}

export interface CoverageReport {
  readonly generatedBy: typeof REPORT_GENERATED_BY;
  readonly stack: string;
  readonly tenant: { readonly key: string; readonly id: string };
  readonly environment: string;
  readonly production: boolean;
  /** Where the environment is in the configuration file. */
  readonly configurationPath: string;
  readonly destinations: {
    readonly logAnalytics?: { readonly existing: boolean; readonly workspaceRetentionInDays?: number; readonly lock: LockState; readonly lockSuspensionReason?: string };
    readonly eventHub?: { readonly existing: boolean; readonly messageRetentionInDays: number; readonly lock: LockState; readonly lockSuspensionReason?: string };
    readonly storage?: {
      readonly existing: boolean;
      readonly retentionInDays?: number;
      readonly immutability?: { readonly periodInDays: number; readonly locked: boolean };
      readonly lock: LockState;
      readonly lockSuspensionReason?: string;
    };
  };
  readonly diagnosticSettings: readonly { readonly name: string; readonly destinations: readonly DestinationKind[]; readonly categories: readonly string[] }[];
  readonly categories: readonly CategoryRow[];
  readonly detections: readonly DetectionRow[];
  /** Catalog detections not deployed (`alerts.disabled`, or no alerts at all). */
  readonly detectionsNotDeployed: readonly string[];
  readonly tactics: {
    /** Tactics of the enabled detections, with how many detections cover each. */
    readonly covered: readonly { readonly id: string; readonly name: string; readonly detections: number }[];
    readonly notCovered: readonly { readonly id: string; readonly name: string }[];
  };
  readonly readerApp?: {
    readonly graphPermissions: readonly string[];
    readonly credential: ReaderAppFacts['credential'];
  };
  readonly compliance: {
    readonly profiles: readonly ProfileId[];
    /** `none`: no profile selected. */
    readonly status: 'pass' | 'fail' | 'none';
    readonly rules: readonly RuleRow[];
    readonly suppressions: readonly { readonly rule: string; readonly reason: string; readonly findings: number }[];
    /** The profiles not selected, checked for information only. */
    readonly otherProfiles: readonly { readonly profile: ProfileId; readonly title: string; readonly status: 'pass' | 'fail'; readonly failing: readonly string[] }[];
  };
}

/** The report of one stack, from its compliance aspect's facts and result. */
export function coverageReport(stack: EntraAuditStack): CoverageReport {
  const { facts, result } = stack.compliance.evaluate(stack);
  return buildReport(stack.plan, stack.compliance.options, facts, result);
}

/** The report from its parts (pure). */
export function buildReport(
  plan: Pick<EntraAuditStack['plan'], 'id' | 'tenantKey' | 'tenantId' | 'environmentKey' | 'production'>,
  options: { readonly settingPrefix?: string; readonly nist80053?: { readonly retentionInDays?: number } },
  facts: AuditFacts,
  result: ComplianceResult,
): CoverageReport {
  const detections: DetectionRow[] = (facts.alerts?.detections ?? []).map((d) => ({
    key: d.key,
    title: d.displayName,
    custom: d.custom,
    severity: d.severity,
    severityName: SEVERITY_NAMES[d.severity] ?? String(d.severity),
    enabled: d.enabled,
    tactics: d.tactics.map((id) => ({ id, name: tacticName(id) })),
    techniques: [...d.techniques],
    tables: [...d.tables],
  }));
  const deployed = new Set(detections.map((d) => d.key));
  const coveredCount = new Map<string, number>();
  for (const d of detections.filter((x) => x.enabled)) for (const t of new Set(d.tactics.map((x) => x.id))) coveredCount.set(t, (coveredCount.get(t) ?? 0) + 1);
  const known = new Set(ENTERPRISE_TACTICS.map((t) => t.id));
  const covered = [...ENTERPRISE_TACTICS.filter((t) => coveredCount.has(t.id)), ...[...coveredCount.keys()].filter((id) => !known.has(id)).sort().map((id) => ({ id, name: id }))];

  const suppressedFindings = new Map(result.results.filter((r) => r.suppression).map((r) => [r.rule.id, r.status === 'suppressed' ? r.findings.length : 0]));
  return {
    generatedBy: REPORT_GENERATED_BY,
    stack: plan.id,
    tenant: { key: plan.tenantKey, id: plan.tenantId },
    environment: plan.environmentKey,
    production: plan.production,
    configurationPath: options.settingPrefix ?? '',
    destinations: {
      ...(facts.logAnalytics && {
        logAnalytics: {
          existing: facts.logAnalytics.existing,
          ...(facts.logAnalytics.workspaceRetentionInDays !== undefined && { workspaceRetentionInDays: facts.logAnalytics.workspaceRetentionInDays }),
          lock: facts.logAnalytics.lock,
          ...(facts.logAnalytics.lockSuspensionReason && facts.logAnalytics.lock === 'suspended' && { lockSuspensionReason: facts.logAnalytics.lockSuspensionReason }),
        },
      }),
      ...(facts.eventHub && {
        eventHub: {
          existing: facts.eventHub.existing,
          messageRetentionInDays: facts.eventHub.messageRetentionInDays,
          lock: facts.eventHub.lock,
          ...(facts.eventHub.lockSuspensionReason && facts.eventHub.lock === 'suspended' && { lockSuspensionReason: facts.eventHub.lockSuspensionReason }),
        },
      }),
      ...(facts.storage && {
        storage: {
          existing: facts.storage.existing,
          ...(facts.storage.retentionInDays !== undefined && { retentionInDays: facts.storage.retentionInDays }),
          ...(facts.storage.immutability && { immutability: { ...facts.storage.immutability } }),
          lock: facts.storage.lock,
          ...(facts.storage.lockSuspensionReason && facts.storage.lock === 'suspended' && { lockSuspensionReason: facts.storage.lockSuspensionReason }),
        },
      }),
    },
    diagnosticSettings: (facts.diagnostics?.settings ?? []).map((s) => ({ name: s.name, destinations: [...s.destinations], categories: [...s.categories] })),
    categories: facts.categories.map((c) => {
      const r = categoryRetention(facts, c);
      const table = c.table && facts.logAnalytics ? facts.logAnalytics.tables[c.table] : undefined;
      return {
        category: c.category,
        ...(c.table && { table: c.table }),
        destinations: [...c.destinations],
        ...(c.destinations.includes('logAnalytics') &&
          facts.logAnalytics && {
            logAnalytics: {
              plan: table?.plan ?? 'Analytics',
              ...(r.interactiveInDays !== undefined && { interactiveInDays: r.interactiveInDays }),
              ...(r.workspaceTotalInDays !== undefined && { totalInDays: r.workspaceTotalInDays }),
            },
          }),
        ...(c.destinations.includes('storage') &&
          facts.storage && {
            archive: {
              ...(r.archiveInDays !== undefined && { retentionInDays: r.archiveInDays }),
              ...(facts.storage.immutability && { immutableForDays: facts.storage.immutability.periodInDays }),
            },
          }),
        ...(r.streamInDays !== undefined && { stream: { retentionInDays: r.streamInDays } }),
      };
    }),
    detections,
    detectionsNotDeployed: DETECTIONS.map((d) => d.key).filter((k) => !deployed.has(k)),
    tactics: { covered: covered.map((t) => ({ ...t, detections: coveredCount.get(t.id)! })), notCovered: ENTERPRISE_TACTICS.filter((t) => !coveredCount.has(t.id)) },
    ...(facts.readerApp && { readerApp: { graphPermissions: [...facts.readerApp.graphPermissions], credential: facts.readerApp.credential } }),
    compliance: {
      profiles: [...result.profiles],
      status: result.profiles.length === 0 ? 'none' : result.results.some((r) => r.status === 'fail') ? 'fail' : 'pass',
      rules: result.results.map((r) => ({
        id: r.rule.id,
        name: r.rule.name,
        description: r.rule.description,
        profiles: [...r.profiles],
        ...(r.rule.threshold && r.threshold !== undefined && { threshold: { value: r.threshold, unit: r.rule.threshold.unit, meaning: r.rule.threshold.meaning } }),
        controls: r.controls.map((id) => ({ id, framework: CONTROLS[id].framework, number: CONTROLS[id].number })),
        status: r.status,
        findings: r.findings.map((f) => ({ construct: f.constructPath, setting: options.settingPrefix ? `${options.settingPrefix}.${f.setting}` : f.setting, found: f.found, fix: f.fix })),
        ...(r.suppression && { suppressionReason: r.suppression.reason.trim() }),
      })),
      suppressions: result.results.filter((r) => r.suppression).map((r) => ({ rule: r.rule.id, reason: r.suppression!.reason.trim(), findings: suppressedFindings.get(r.rule.id) ?? 0 })),
      otherProfiles: PROFILE_IDS.filter((id) => !result.profiles.includes(id)).map((id) => {
        const other = evaluateCompliance(facts, { profiles: [id], nist80053: options.nist80053 });
        const failing = other.results.filter((r) => r.status === 'fail').map((r) => r.rule.id);
        return { profile: id, title: profile(id, options).title, status: failing.length === 0 ? 'pass' : 'fail', failing };
      }),
    },
  };
}

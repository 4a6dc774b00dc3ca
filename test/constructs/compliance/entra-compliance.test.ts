/** The EntraCompliance aspect: its props, how profiles combine, suppressions, failing synth, and the metadata it records. */
import { App, Testing, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';
import {
  ComplianceError,
  EntraCompliance,
  entraComplianceProblems,
  evaluateCompliance,
  EntraComplianceProps,
} from '../../../constructs/compliance/entra-compliance';
import { LogAnalyticsDestination } from '../../../constructs/log-analytics-destination';
import { EntraDiagnosticSettings } from '../../../constructs/entra-diagnostic-settings';
import { parseConfig, StackPlan } from '../../../stacks/config';
import { EntraAuditStack } from '../../../stacks/entra-audit-stack';
import { renderProblem } from '../../../constructs/internal/validation';
import { errorOf } from '../../support/synth';
import { compliantFacts } from './support';

const problems = (props: EntraComplianceProps) => entraComplianceProblems(props).map((p) => renderProblem(p));

function planOf(environment: Record<string, unknown>): StackPlan {
  return parseConfig(
    stringify({ tenants: { contoso: { tenantId: '00000000-0000-4000-8000-00000000c001', environments: { dev: { subscriptionId: '11111111-1111-4111-8111-111111111111', location: 'westeurope', ...environment } } } } }),
  )[0];
}

/** The stack's Terraform JSON with its `//` metadata (which Testing.synth leaves out), after the aspects ran. */
function synthJson(plan: StackPlan): { '//': { metadata: Record<string, unknown> } } {
  const stack = new EntraAuditStack(Testing.app(), plan);
  Testing.synth(stack);
  return stack.toTerraform() as { '//': { metadata: Record<string, unknown> } };
}

describe('entraComplianceProblems', () => {
  test('accepts profiles with suppressions of their rules, each with a reason', () => {
    expect(problems({ profiles: ['baseline', 'pci-dss-4'], suppressions: [{ rule: 'EAL8', reason: 'WORM comes with change CHG-1042' }] })).toEqual([]);
  });

  test('fails when a suppression has no reason, or one shorter than 10 characters', () => {
    expect(problems({ profiles: ['pci-dss-4'], suppressions: [{ rule: 'EAL8', reason: '' }, { rule: 'EAL6', reason: ' too short ' }] })).toEqual([
      'suppressions[0].reason: got ""; expected a written reason of at least 10 characters: why EAL8 does not apply here, recorded in the synthesized metadata and the report',
      'suppressions[1].reason: got " too short "; expected a written reason of at least 10 characters: why EAL6 does not apply here, recorded in the synthesized metadata and the report',
    ]);
  });

  test('fails when a reason is longer than 500 characters, naming its length', () => {
    expect(problems({ profiles: ['pci-dss-4'], suppressions: [{ rule: 'EAL8', reason: 'x'.repeat(501) }] })).toEqual(['suppressions[0].reason: got "501 characters"; expected a reason of at most 500 characters; link to a longer document instead']);
  });

  test('fails for an unknown rule id, with a did-you-mean', () => {
    expect(problems({ profiles: ['pci-dss-4'], suppressions: [{ rule: 'eal6', reason: 'a reason long enough' }] })).toEqual([
      'suppressions[0].rule: got "eal6"; expected a rule id, one of EAL1, EAL2, EAL3, EAL4, EAL5, EAL6, EAL7, EAL8, EAL9, EAL10 (did you mean "EAL6"?)',
    ]);
  });

  test('fails for a rule no selected profile checks, naming the profiles that do', () => {
    expect(problems({ profiles: ['cis'], suppressions: [{ rule: 'EAL8', reason: 'a reason long enough' }] })).toEqual([
      'suppressions[0].rule: got "EAL8"; expected a rule of the selected profiles (cis): EAL8 is only in pci-dss-4, nist-800-53; remove the suppression',
    ]);
    expect(problems({ suppressions: [{ rule: 'EAL1', reason: 'a reason long enough' }] })).toEqual([
      'suppressions[0].rule: got "EAL1"; expected a rule of a selected profile, and no profile is selected (compliance.profiles); EAL1 is in baseline',
    ]);
  });

  test('fails for a rule suppressed twice and a profile selected twice', () => {
    expect(problems({ profiles: ['cis', 'cis'], suppressions: [{ rule: 'EAL9', reason: 'first reason here' }, { rule: 'EAL9', reason: 'second reason here' }] })).toEqual([
      'profiles[1]: got "cis"; expected each profile once ("cis" is also profiles[0])',
      'suppressions[1].rule: got "EAL9"; expected each rule suppressed once (also suppressions[0]): give one reason',
    ]);
  });

  test('fails for a NIST figure out of range, or without the NIST profile', () => {
    expect(problems({ profiles: ['nist-800-53'], nist80053: { retentionInDays: 0 } })).toEqual(['nist80053.retentionInDays: got 0; expected an integer from 1 to 36500']);
    expect(problems({ profiles: ['cis'], nist80053: { retentionInDays: 730 } })).toEqual(['nist80053.retentionInDays: got 730; expected nist-800-53 in profiles, or no nist80053 setting: the figure is used only by that profile']);
  });

  test('the aspect refuses invalid props when it is made', () => {
    expect(errorOf(() => new EntraCompliance({ profiles: ['cis'], suppressions: [{ rule: 'EAL9', reason: 'short' }] }))).toMatch(/^\[EntraCompliance\] InvalidProps: 1 problem\(s\):\n {2}- suppressions\[0\]\.reason: got "short"/);
  });
});

describe('evaluateCompliance', () => {
  const short = compliantFacts({ storage: { ...compliantFacts().storage!, retentionInDays: 400 } });

  test('a rule in two profiles is checked once, at the stricter figure, naming both', () => {
    const result = evaluateCompliance(short, { profiles: ['pci-dss-4', 'nist-800-53'], nist80053: { retentionInDays: 730 } });
    const eal6 = result.results.find((r) => r.rule.id === 'EAL6')!;
    expect(eal6).toMatchObject({ profiles: ['pci-dss-4', 'nist-800-53'], threshold: 730, thresholds: [{ profile: 'pci-dss-4', threshold: 365 }, { profile: 'nist-800-53', threshold: 730 }], controls: ['PCI 10.5.1', 'AU-11'], status: 'fail' });
    expect(result.results.map((r) => r.rule.id)).toEqual(['EAL3', 'EAL6', 'EAL7', 'EAL8']);
    expect(result.violations).toEqual([expect.stringMatching(/^\[contoso-prod\/Storage\] EAL6 AuditTrailRetained \(pci-dss-4, nist-800-53, at least 730 days\): storage\.retentionInDays: .*, got 400; expected: raise storage\.retentionInDays to 730 or more/)]);
  });

  test('a suppressed rule keeps its findings and reason, and is no violation', () => {
    const result = evaluateCompliance(short, { profiles: ['nist-800-53'], nist80053: { retentionInDays: 730 }, suppressions: [{ rule: 'EAL6', reason: 'The SIEM keeps two years' }] });
    expect(result.results.find((r) => r.rule.id === 'EAL6')).toMatchObject({ status: 'suppressed', suppression: { rule: 'EAL6', reason: 'The SIEM keeps two years' }, findings: [expect.objectContaining({ setting: 'storage.retentionInDays' })] });
    expect(result.violations).toEqual([]);
  });

  test('a suppression of a rule that passes leaves it passing', () => {
    const result = evaluateCompliance(compliantFacts(), { profiles: ['cis'], suppressions: [{ rule: 'EAL10', reason: 'kept for the audit trail' }] });
    expect(result.results.find((r) => r.rule.id === 'EAL10')).toMatchObject({ status: 'pass', findings: [] });
  });

  test('without profiles nothing is checked', () => {
    expect(evaluateCompliance(compliantFacts({ storage: undefined, logAnalytics: undefined }), {})).toEqual({ profiles: [], results: [], violations: [] });
  });

  test('a setting prefix places each violation in the configuration file', () => {
    const result = evaluateCompliance(compliantFacts({ storage: undefined }), { profiles: ['cis', 'baseline'], settingPrefix: 'tenants.contoso.environments.prod' });
    expect(result.violations).toEqual([expect.stringMatching(/^\[contoso-prod\] EAL2 CoreCategoriesArchived \(baseline\): tenants\.contoso\.environments\.prod\.storage\.enabled: /)]);
  });
});

describe('EntraCompliance on a stack', () => {
  test('a violation fails synth with every violation of the stack, each with its rule, setting, construct and fix', () => {
    const plan = planOf({ compliance: { profiles: ['pci-dss-4'] }, storage: { retentionInDays: 90 } });
    const message = errorOf(() => Testing.synth(new EntraAuditStack(Testing.app(), plan)));
    expect(message.split('\n')).toEqual([
      '2 compliance violation(s):',
      '  - [contoso-dev/Storage] EAL6 AuditTrailRetained (pci-dss-4, at least 365 days): tenants.contoso.environments.dev.storage.retentionInDays: 7 archived categories are kept less than 365 days by any destination ' +
        '(longest kept, 90 days: AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, ProvisioningLogs, MicrosoftGraphActivityLogs), got 90; ' +
        'expected: raise storage.retentionInDays to 365 or more, or keep them 365 days in the workspace (logAnalytics.tableDefaults.totalRetentionInDays)',
      '  - [contoso-dev/Storage] EAL8 AuditTrailImmutable (pci-dss-4): tenants.contoso.environments.dev.storage.immutability: the archive containers have no immutability policy: archived records can be changed or deleted, got nothing; ' +
        'expected: add storage.immutability: { periodInDays: <days> }, a period no longer than storage.retentionInDays (now 90)',
      'To accept a violation instead, add to the environment compliance.suppressions: [{ rule: <id>, reason: <why, at least 10 characters> }]; the reason is recorded in the synthesized metadata and the coverage report.',
    ]);
  });

  test('the error is a ComplianceError listing the violations', () => {
    const plan = planOf({ compliance: { profiles: ['cis'] }, routing: { AuditLogs: ['logAnalytics'] }, alerts: { enabled: false } });
    let error: unknown;
    try {
      Testing.synth(new EntraAuditStack(Testing.app(), plan));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ComplianceError);
    expect((error as ComplianceError).violations).toEqual([
      expect.stringMatching(/^\[contoso-dev\/DiagnosticSettings\] EAL9 EntraActivityLogsExported \(cis\): tenants\.contoso\.environments\.dev\.routing: SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs and ProvisioningLogs are not exported/),
      expect.stringMatching(/^\[contoso-dev\/DiagnosticSettings\] EAL10 GraphActivityLogsExported \(cis\): tenants\.contoso\.environments\.dev\.routing\.MicrosoftGraphActivityLogs: MicrosoftGraphActivityLogs is not exported, got nothing; expected: route/),
    ]);
  });

  test('a suppressed violation synthesizes, and the profiles and suppressions are recorded in the metadata', () => {
    const plan = planOf({ compliance: { profiles: ['baseline', 'cis'], suppressions: [{ rule: 'EAL2', reason: '  A development tenant: nothing here is kept  ' }] }, storage: { enabled: false } });
    const stack = new EntraAuditStack(Testing.app(), plan);
    expect(stack.compliance.evaluate(stack).result.results.find((r) => r.rule.id === 'EAL2')).toMatchObject({ status: 'suppressed', findings: [expect.objectContaining({ setting: 'storage.enabled' })] });
    expect(synthJson(plan)['//'].metadata.compliance).toEqual({ profiles: ['baseline', 'cis'], suppressions: [{ rule: 'EAL2', reason: 'A development tenant: nothing here is kept' }] });
  });

  test('without profiles nothing is recorded and nothing fails', () => {
    expect(synthJson(planOf({ storage: { enabled: false }, routing: { AuditLogs: ['eventHub'] }, alerts: { enabled: false } }))['//'].metadata).not.toHaveProperty('compliance');
  });

  test('enforce: false collects the violations without failing synth', () => {
    const stack = new EntraAuditStack(Testing.app(), planOf({ compliance: { profiles: ['cis'] }, routing: { AuditLogs: ['logAnalytics'] }, alerts: { enabled: false } }), { enforceCompliance: false });
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(stack.compliance.evaluate(stack).result.violations).toHaveLength(2);
  });

  test('works on constructs used directly, naming the props', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const stack = new TerraformStack(app, 'direct');
    const law = new LogAnalyticsDestination(stack, 'LogAnalytics', { name: 'law-direct', resourceGroupName: 'rg', location: 'westeurope', tables: { AuditLogs: {} } });
    new EntraDiagnosticSettings(stack, 'DiagnosticSettings', { name: 'direct', destinations: { logAnalyticsWorkspaceId: law.workspaceResourceId }, routing: { AuditLogs: ['logAnalytics'] } });
    new EntraCompliance({ profiles: ['pci-dss-4'] }).addTo(stack);
    expect(errorOf(() => Testing.synth(stack)).split('\n').slice(1, 4)).toEqual([
      '  - [direct] EAL3 PipelineHealthDetections (pci-dss-4): alerts.enabled: no alert rules are deployed, got false; expected: enable alerts (remove alerts.enabled: false), keeping no-audit-logs-ingested and no-sign-in-logs-ingested',
      '  - [direct/LogAnalytics] EAL6 AuditTrailRetained (pci-dss-4, at least 365 days): logAnalytics.tableDefaults.totalRetentionInDays: AuditLogs is kept less than 365 days in the workspace and not archived (90 days: AuditLogs), got 90; ' +
        'expected: set logAnalytics.tableDefaults.totalRetentionInDays to 365 or more, or archive it (add storage to the routing) with storage.retentionInDays of 365 or more',
      expect.stringMatching(/^ {2}- \[direct\] EAL8 AuditTrailImmutable \(pci-dss-4\): storage\.enabled: the stack has no Storage archive/),
    ]);
  });

  test('EntraCompliance.of finds the aspect of a stack', () => {
    const stack = new EntraAuditStack(Testing.app(), planOf({}));
    expect(EntraCompliance.of(stack)).toBe(stack.compliance);
  });
});

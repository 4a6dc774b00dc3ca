/** The `compliance:` section of the configuration: profiles per environment, suppressions, and their problems at file:line:column. */
import { ConfigError, parseConfig } from '../../stacks/config';

const HEAD = `tenants:
  contoso:
    tenantId: 00000000-0000-4000-8000-00000000c001
    environments:
      dev:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
`;

function problemsOf(text: string): string[] {
  try {
    parseConfig(text);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

describe('compliance configuration', () => {
  test('no section: no profile and no suppression', () => {
    expect(parseConfig(HEAD)[0].compliance).toEqual({ profiles: [], suppressions: [] });
  });

  test('profiles are selected per environment', () => {
    const plans = parseConfig(`${HEAD}        compliance: { profiles: [baseline, cis] }
      prod:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
        diagnosticSettingName: entra-audit-contoso-prod
        backend: { type: local }
        compliance:
          profiles: [nist-800-53]
          nist80053: { retentionInDays: 730 }
          suppressions:
            - { rule: EAL8, reason: WORM arrives with change CHG-1042 }
`);
    expect(plans.map((p) => [p.id, p.compliance])).toEqual([
      ['contoso-dev', { profiles: ['baseline', 'cis'], suppressions: [] }],
      ['contoso-prod', { profiles: ['nist-800-53'], suppressions: [{ rule: 'EAL8', reason: 'WORM arrives with change CHG-1042' }], nist80053: { retentionInDays: 730 } }],
    ]);
  });

  test('an unknown profile is reported at its line, with a did-you-mean', () => {
    expect(problemsOf(`${HEAD}        compliance: { profiles: [pci-dss4] }\n`)).toEqual([
      '<config>:8:34: tenants.contoso.environments.dev.compliance.profiles[0]: got "pci-dss4"; expected one of "baseline", "pci-dss-4", "nist-800-53", "cis" (did you mean "pci-dss-4"?)',
    ]);
  });

  test('a suppression without a reason is reported at the suppression', () => {
    expect(problemsOf(`${HEAD}        compliance:\n          profiles: [pci-dss-4]\n          suppressions:\n            - { rule: EAL8 }\n`)).toEqual([
      '<config>:11:15: tenants.contoso.environments.dev.compliance.suppressions[0].reason: got nothing; expected a string (required)',
    ]);
  });

  test('a suppression with a reason shorter than 10 characters is reported at the reason', () => {
    expect(problemsOf(`${HEAD}        compliance:\n          profiles: [pci-dss-4]\n          suppressions:\n            - { rule: EAL6, reason: later }\n`)).toEqual([
      '<config>:11:37: tenants.contoso.environments.dev.compliance.suppressions[0].reason: got "later"; expected a written reason of at least 10 characters: why EAL6 does not apply here, recorded in the synthesized metadata and the report',
    ]);
  });

  test('a suppression of a rule the selected profiles do not check is reported at the rule', () => {
    expect(problemsOf(`${HEAD}        compliance:\n          profiles: [cis]\n          suppressions: [{ rule: EAL6, reason: the SIEM keeps it a year }]\n`)).toEqual([
      '<config>:10:34: tenants.contoso.environments.dev.compliance.suppressions[0].rule: got "EAL6"; expected a rule of the selected profiles (cis): EAL6 is only in pci-dss-4, nist-800-53; remove the suppression',
    ]);
  });

  test('an unknown key in the section is reported with a did-you-mean', () => {
    expect(problemsOf(`${HEAD}        compliance: { profile: [cis] }\n`)).toEqual([expect.stringMatching(/^<config>:8:23: tenants\.contoso\.environments\.dev\.compliance: unknown setting "profile" \(did you mean "profiles"\?\)/)]);
  });
});

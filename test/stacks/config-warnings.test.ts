import { stringify } from 'yaml';
import { parseConfig } from '../../stacks/config';
import { configWarnings, lockSuspensionWarnings, sharedTenantWarnings } from '../../stacks/config-warnings';

const TENANT = '00000000-0000-4000-8000-00000000c001';
const SUB = '11111111-1111-4111-8111-111111111111';
const environment = (extra: Record<string, unknown> = {}) => ({ subscriptionId: SUB, location: 'westeurope', readerApp: { enabled: false }, alerts: { enabled: false }, ...extra });

describe('configuration warnings', () => {
  test('two environments of one tenant: the categories both receive, once, with the environments', () => {
    const plans = parseConfig(
      stringify({
        tenants: {
          contoso: {
            tenantId: TENANT,
            environments: {
              dev: environment({ diagnosticSettingName: 'entra-dev', routing: { AuditLogs: ['logAnalytics'], SignInLogs: ['storage'] } }),
              prod: environment({ routing: { AuditLogs: ['logAnalytics', 'storage'], SignInLogs: ['logAnalytics'], ProvisioningLogs: ['storage'] } }),
            },
          },
        },
      }),
    );
    expect(sharedTenantWarnings(plans)).toEqual([
      `tenant ${TENANT}: Entra diagnostic settings are tenant-wide, so several environments receive the whole tenant's AuditLogs, SignInLogs (contoso-dev, contoso-prod). ` +
        'Each copy is ingested and billed again. Route only what a non-production environment needs (e.g. routing: { AuditLogs: [logAnalytics] }), see docs/configuration.md, "Several environments in one tenant".',
    ]);
  });

  test('no warning for one environment per tenant, or for disjoint categories', () => {
    const one = parseConfig(stringify({ tenants: { contoso: { tenantId: TENANT, environments: { prod: environment() } }, fabrikam: { tenantId: '00000000-0000-4000-8000-0000000fab01', environments: { prod: environment() } } } }));
    expect(configWarnings(one)).toEqual([]);
    const disjoint = parseConfig(
      stringify({ tenants: { contoso: { tenantId: TENANT, environments: { dev: environment({ diagnosticSettingName: 'entra-dev', routing: { AuditLogs: ['logAnalytics'] } }), prod: environment({ routing: { SignInLogs: ['logAnalytics'] } }) } } } }),
    );
    expect(sharedTenantWarnings(disjoint)).toEqual([]);
  });

  test('a lock suspension is reported with its reason until it is removed', () => {
    const plans = parseConfig(stringify({ tenants: { contoso: { tenantId: TENANT, environments: { prod: environment({ production: true, backend: { type: 'local' }, protection: { lockSuspension: { reason: 'resize the hub (CHG-1234)' } } }) } } } }));
    expect(plans[0].protection).toEqual({ lock: true, preventDestroy: true, lockSuspension: { reason: 'resize the hub (CHG-1234)' } });
    expect(lockSuspensionWarnings(plans)).toEqual([
      'tenants.contoso.environments.prod.protection.lockSuspension: the delete locks of contoso-prod are off (reason: resize the hub (CHG-1234)); the next apply removes them before the change. Remove the setting and apply again to put them back.',
    ]);
  });

  test('fails when a lock suspension gives no real reason', () => {
    expect(() => parseConfig(stringify({ tenants: { contoso: { tenantId: TENANT, environments: { prod: environment({ protection: { lockSuspension: { reason: 'because' } } }) } } } }))).toThrow(
      'tenants.contoso.environments.prod.protection.lockSuspension.reason: got "because"; expected a reason of at least 10 characters',
    );
  });
});

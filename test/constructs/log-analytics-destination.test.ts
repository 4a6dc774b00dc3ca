import { LogAnalyticsDestination, LogAnalyticsDestinationProps } from '../../constructs/log-analytics-destination';
import { addresses, countOf, errorOf, onlyResource, resources, synthConstructs } from '../support/synth';

const base: LogAnalyticsDestinationProps = { name: 'log-entra-audit', resourceGroupName: 'rg-audit', location: 'westeurope' };
const synth = (props: Partial<LogAnalyticsDestinationProps> = {}) =>
  synthConstructs((scope) => new LogAnalyticsDestination(scope, 'LogAnalytics', { ...base, ...props }));
const EXISTING = '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-shared/providers/Microsoft.OperationalInsights/workspaces/log-shared';

describe('LogAnalyticsDestination', () => {
  test('defaults: PerGB2018, 90 days, no daily cap, no shared-key access, no lock', () => {
    const json = synth();
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')).toMatchObject({
      name: 'log-entra-audit',
      resource_group_name: 'rg-audit',
      location: 'westeurope',
      sku: 'PerGB2018',
      retention_in_days: 90,
      daily_quota_gb: -1,
      local_authentication_enabled: false,
    });
    expect(countOf(json, 'azurerm_log_analytics_workspace_table')).toBe(0);
    expect(countOf(json, 'azurerm_management_lock')).toBe(0);
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')).not.toHaveProperty('lifecycle');
  });

  test('retentionInDays, dailyQuotaGb and tags are passed through', () => {
    const ws = onlyResource(synth({ retentionInDays: 730, dailyQuotaGb: 50, tags: { team: 'sec' } }), 'azurerm_log_analytics_workspace');
    expect(ws).toMatchObject({ retention_in_days: 730, daily_quota_gb: 50, tags: { team: 'sec' } });
  });

  test('CapacityReservation takes a reservation tier', () => {
    const ws = onlyResource(synth({ sku: 'CapacityReservation', reservationCapacityInGbPerDay: 200 }), 'azurerm_log_analytics_workspace');
    expect(ws).toMatchObject({ sku: 'CapacityReservation', reservation_capacity_in_gb_per_day: 200 });
  });

  test('tables get interactive and total retention, by table name, on the workspace ARM id', () => {
    const json = synth({ tables: { SigninLogs: { retentionInDays: 180, totalRetentionInDays: 2556 }, AuditLogs: {} }, tableDefaults: { totalRetentionInDays: 365 } });
    const tables = resources(json, 'azurerm_log_analytics_workspace_table').sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(tables).toEqual([
      { name: 'AuditLogs', plan: 'Analytics', retention_in_days: 90, total_retention_in_days: 365, workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/), depends_on: [expect.stringMatching(/^time_sleep\./)] },
      { name: 'SigninLogs', plan: 'Analytics', retention_in_days: 180, total_retention_in_days: 2556, workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/), depends_on: [expect.stringMatching(/^time_sleep\./)] },
    ]);
  });

  test('retention left to the workspace is written out: interactive and total from the workspace retention', () => {
    const table = onlyResource(synth({ retentionInDays: 120, tables: { AuditLogs: {} } }), 'azurerm_log_analytics_workspace_table');
    expect(table).toMatchObject({ retention_in_days: 120, total_retention_in_days: 120 });
    const defaulted = onlyResource(synth({ tables: { AuditLogs: {} } }), 'azurerm_log_analytics_workspace_table');
    expect(defaulted).toMatchObject({ retention_in_days: 90, total_retention_in_days: 90 });
  });

  test('a Basic table without a total retention gets the workspace retention as its total', () => {
    const table = onlyResource(synth({ retentionInDays: 60, tables: { AADNonInteractiveUserSignInLogs: { plan: 'Basic' } } }), 'azurerm_log_analytics_workspace_table');
    expect(table).toMatchObject({ plan: 'Basic', total_retention_in_days: 60 });
    expect(table).not.toHaveProperty('retention_in_days');
  });

  test('fails when tableDefaults leave a table\'s total below the workspace retention it inherits', () => {
    expect(() => synth({ retentionInDays: 365, tableDefaults: { totalRetentionInDays: 90 }, tables: { AuditLogs: {} } })).toThrow(
      'tableDefaults.totalRetentionInDays: got 90; expected at least the interactive retention tables inherit from the workspace (365 days, the workspace retentionInDays)',
    );
  });

  test('a Basic table gets no interactive retention', () => {
    const table = onlyResource(synth({ tables: { AADNonInteractiveUserSignInLogs: { plan: 'Basic', totalRetentionInDays: 365 } } }), 'azurerm_log_analytics_workspace_table');
    expect(table).toMatchObject({ plan: 'Basic', total_retention_in_days: 365 });
    expect(table).not.toHaveProperty('retention_in_days');
  });

  test('an existing workspace is read, not created, and its GUID comes from the data source', () => {
    const json = synthConstructs((scope) => {
      const la = new LogAnalyticsDestination(scope, 'LogAnalytics', { existingWorkspaceId: EXISTING, tables: { AuditLogs: { retentionInDays: 90 } } });
      expect(la.workspaceResourceId).toBe(EXISTING);
    });
    expect(countOf(json, 'azurerm_log_analytics_workspace')).toBe(0);
    expect(Object.values(json.data?.azurerm_log_analytics_workspace ?? {})).toEqual([expect.objectContaining({ name: 'log-shared', resource_group_name: 'rg-shared' })]);
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).toMatchObject({ workspace_id: EXISTING });
  });

  test('tables of an existing workspace inherit its retention as read by the data source, written out', () => {
    const json = synthConstructs((scope) => new LogAnalyticsDestination(scope, 'LogAnalytics', { existingWorkspaceId: EXISTING, tables: { AuditLogs: {} } }));
    const ref = expect.stringMatching(/^\$\{data\.azurerm_log_analytics_workspace\.\w+\.retention_in_days\}$/);
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).toMatchObject({ retention_in_days: ref, total_retention_in_days: ref });
  });

  test('a new workspace gets a 120 s activation wait (once, re-run only if the workspace is replaced) before its tables', () => {
    const json = synth({ tables: { AuditLogs: {} } });
    const [[sleepName, sleep]] = Object.entries(json.resource?.time_sleep ?? {});
    expect(sleep).toEqual({
      create_duration: '120s',
      triggers: { workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.\w+\.id\}$/) },
      depends_on: [expect.stringMatching(/^azurerm_log_analytics_workspace\.\w+$/)],
    });
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).toMatchObject({ depends_on: [`time_sleep.${sleepName}`] });
  });

  test('activationWaitInSeconds sets the wait; 0 leaves it out and tables wait for the workspace itself', () => {
    expect(Object.values(synth({ activationWaitInSeconds: 60 }).resource?.time_sleep ?? {})).toEqual([expect.objectContaining({ create_duration: '60s' })]);
    const json = synth({ activationWaitInSeconds: 0, tables: { AuditLogs: {} } });
    expect(json.resource?.time_sleep).toBeUndefined();
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).toMatchObject({ depends_on: [expect.stringMatching(/^azurerm_log_analytics_workspace\.\w+$/)] });
  });

  test('an existing workspace gets no activation wait', () => {
    const json = synthConstructs((scope) => new LogAnalyticsDestination(scope, 'LogAnalytics', { existingWorkspaceId: EXISTING, tables: { AuditLogs: {} } }));
    expect(json.resource?.time_sleep).toBeUndefined();
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).not.toHaveProperty('depends_on');
  });

  test('protection adds a CanNotDelete lock and prevent_destroy', () => {
    const json = synth({ protection: { lock: true, preventDestroy: true } });
    expect(onlyResource(json, 'azurerm_management_lock')).toMatchObject({ lock_level: 'CanNotDelete', scope: expect.stringContaining('azurerm_log_analytics_workspace.') });
    expect(onlyResource(json, 'azurerm_log_analytics_workspace')).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  test('construct ids (Terraform addresses) are stable', () => {
    const json = synth({ tables: { AuditLogs: {} }, protection: { lock: true } });
    expect(addresses(json, 'azurerm_log_analytics_workspace')).toEqual([expect.stringMatching(/^LogAnalytics_[0-9A-F]{8}$/)]);
    expect(addresses(json, 'azurerm_log_analytics_workspace_table')).toEqual([expect.stringMatching(/^LogAnalytics_Tables_AuditLogs_[0-9A-F]{8}$/)]);
    expect(addresses(json, 'azurerm_management_lock')).toEqual([expect.stringMatching(/^LogAnalytics_Lock_[0-9A-F]{8}$/)]);
  });

  test('a total retention below the workspace retention is fine where the table has its own interactive retention, is Basic, or the workspace is not created here', () => {
    expect(() => synth({ retentionInDays: 365, tables: { AuditLogs: { retentionInDays: 30, totalRetentionInDays: 180 } } })).not.toThrow();
    expect(() => synth({ retentionInDays: 365, tables: { AADNonInteractiveUserSignInLogs: { plan: 'Basic', totalRetentionInDays: 180 } } })).not.toThrow();
    expect(() => synth({ existingWorkspaceId: EXISTING, retentionInDays: 365, tables: { AuditLogs: { totalRetentionInDays: 180 } } })).not.toThrow();
    expect(() => synth({ retentionInDays: 90, tableDefaults: { totalRetentionInDays: 90 }, tables: { AuditLogs: {} } })).not.toThrow();
  });

  describe('fails', () => {
    test.each([
      ['retentionInDays below 30', { retentionInDays: 29 }, 'retentionInDays: got 29; expected an integer from 30 to 730'],
      ['retentionInDays above 730', { retentionInDays: 731 }, 'retentionInDays: got 731; expected an integer from 30 to 730'],
      ['a name Azure rejects', { name: '-bad-' }, 'name: got "-bad-"; expected 4–63 letters, digits or hyphens'],
      ['an activation wait over 15 minutes', { activationWaitInSeconds: 901 }, 'activationWaitInSeconds: got 901; expected an integer from 0 to 900'],
      ['a refused SKU', { sku: 'Standard' as never }, 'sku: got "Standard"; expected one of "PerGB2018", "CapacityReservation"'],
      ['a reservation without CapacityReservation', { reservationCapacityInGbPerDay: 100 }, 'reservationCapacityInGbPerDay: got 100; expected unset unless sku is CapacityReservation'],
      ['an unknown reservation tier', { sku: 'CapacityReservation' as const, reservationCapacityInGbPerDay: 150 }, 'reservationCapacityInGbPerDay: got 150; expected one of 100, 200'],
      ['a zero daily cap', { dailyQuotaGb: 0 }, 'dailyQuotaGb: got 0; expected -1 (no cap'],
      ['table retention below 4', { tables: { AuditLogs: { retentionInDays: 3 } } }, 'tables.AuditLogs.retentionInDays: got 3; expected an integer from 4 to 730'],
      ['a total retention that is not a whole year', { tables: { AuditLogs: { totalRetentionInDays: 1000 } } }, 'tables.AuditLogs.totalRetentionInDays: got 1000; expected an integer from 4 to 730, or one of 1095'],
      ['total retention below interactive', { tables: { AuditLogs: { retentionInDays: 90, totalRetentionInDays: 30 } } }, 'tables.AuditLogs.totalRetentionInDays: got 30; expected at least the interactive retention (90)'],
      ['interactive retention on a Basic table', { tables: { AADNonInteractiveUserSignInLogs: { plan: 'Basic' as const, retentionInDays: 30 } } }, 'retentionInDays: got 30; expected unset: Basic tables'],
      ['a category name instead of a table name', { tables: { SignInLogs: {} } }, 'tables.SignInLogs: got "SignInLogs"; expected the table name "SigninLogs", not the category name'],
      ['a bad tableDefaults value', { tableDefaults: { totalRetentionInDays: 5000 } }, 'tableDefaults.totalRetentionInDays: got 5000'],
      ['a table total retention below the workspace retention it inherits', { retentionInDays: 365, tables: { AuditLogs: { totalRetentionInDays: 180 } } }, "tables.AuditLogs.totalRetentionInDays: got 180; expected at least the interactive retention the table inherits from the workspace (365 days, the workspace retentionInDays): raise it, or set the table's retentionInDays"],
      ['a table total retention below the default workspace retention', { tables: { AuditLogs: { totalRetentionInDays: 60 } } }, 'tables.AuditLogs.totalRetentionInDays: got 60; expected at least the interactive retention the table inherits from the workspace (90 days, the default)'],
      ['a tag name with a character Azure refuses', { tags: { 'cost/center': 'x' } }, 'tags["cost/center"]: got "cost/center"; expected a tag name without "/"'],
      ['a malformed existing workspace id', { existingWorkspaceId: '/subscriptions/x/workspaces/y' }, 'existingWorkspaceId: got "/subscriptions/x/workspaces/y"; expected an ARM id'],
    ])('on %s', (_name, props, message) => {
      const error = errorOf(() => synth(props));
      expect(error).toContain('[stack/LogAnalytics] InvalidProps');
      expect(error).toContain(message);
    });

    test('once, at tableDefaults, when the default total retention is below the workspace retention every table inherits', () => {
      const error = errorOf(() => synth({ retentionInDays: 365, tableDefaults: { totalRetentionInDays: 90 }, tables: { AuditLogs: {}, SigninLogs: {}, AADNonInteractiveUserSignInLogs: {} } }));
      expect(error).toContain('tableDefaults.totalRetentionInDays: got 90; expected at least the interactive retention tables inherit from the workspace (365 days, the workspace retentionInDays): raise it, or set retentionInDays in tableDefaults');
      expect(error).toContain('1 problem(s)');
    });

    test('once, at tableDefaults, when both retentions come from there', () => {
      const error = errorOf(() => synth({ tableDefaults: { retentionInDays: 180, totalRetentionInDays: 90 }, tables: { AuditLogs: {}, SigninLogs: {} } }));
      expect(error).toContain('tableDefaults.totalRetentionInDays: got 90; expected at least the interactive retention (180)');
      expect(error).toContain('1 problem(s)');
    });

    test('without a name, resource group and location for a new workspace', () => {
      const error = errorOf(() => synthConstructs((scope) => new LogAnalyticsDestination(scope, 'LogAnalytics', {})));
      expect(error).toContain('name: got nothing; expected a workspace name (or set existingWorkspaceId)');
      expect(error).toContain('resourceGroupName: got nothing');
      expect(error).toContain('location: got nothing');
    });
  });
});

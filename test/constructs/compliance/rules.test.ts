/** Each compliance rule: a compliant case and each non-compliant case, with the finding it produces. */
import {
  AuditTrailImmutable,
  AuditTrailRetained,
  COMPLIANCE_RULES,
  CoreCategoriesArchived,
  CoreCategoriesInWorkspace,
  DeleteLocksInProduction,
  EntraActivityLogsExported,
  GraphActivityLogsExported,
  PipelineHealthDetections,
  ReaderSecretLifetime,
  RecentAuditTrailAvailable,
} from '../../../constructs/compliance/rules';
import { CONTROLS } from '../../../constructs/compliance/controls';
import { category, compliantFacts, detection } from './support';

const base = compliantFacts();

describe('the rule pack', () => {
  test('ids are EAL1 to EAL10 in order, each rule with a name, a description, why, a fix and known controls', () => {
    expect(COMPLIANCE_RULES.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `EAL${i + 1}`));
    for (const rule of COMPLIANCE_RULES) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.why.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(20);
      for (const id of rule.controls) expect(CONTROLS[id]).toBeDefined();
    }
  });

  test('every rule passes the compliant facts', () => {
    for (const rule of COMPLIANCE_RULES) expect({ rule: rule.id, findings: rule.check(base, rule.threshold?.stricter === 'lower' ? 180 : rule.id === 'EAL7' ? 90 : 365) }).toEqual({ rule: rule.id, findings: [] });
  });
});

describe('EAL1 CoreCategoriesInWorkspace', () => {
  test('fails when a core category does not reach the workspace, naming its routing', () => {
    const facts = compliantFacts({ categories: base.categories.map((c) => (c.category === 'SignInLogs' ? category('SignInLogs', ['storage']) : c)) });
    expect(CoreCategoriesInWorkspace.check(facts)).toEqual([
      { constructPath: 'contoso-prod/DiagnosticSettings', setting: 'routing.SignInLogs', got: { SignInLogs: ['storage'] }, found: 'SignInLogs does not reach the workspace', fix: 'add logAnalytics to the routing of SignInLogs' },
    ]);
  });

  test('a risk category is required only once it is routed', () => {
    expect(CoreCategoriesInWorkspace.check(base)).toEqual([]);
    const facts = compliantFacts({ categories: [...base.categories, category('RiskyUsers', ['storage'])] });
    expect(CoreCategoriesInWorkspace.check(facts)).toEqual([expect.objectContaining({ setting: 'routing.RiskyUsers', found: 'RiskyUsers does not reach the workspace' })]);
  });

  test('fails when the stack has no workspace, pointing at logAnalytics.enabled', () => {
    expect(CoreCategoriesInWorkspace.check(compliantFacts({ logAnalytics: undefined }))).toEqual([expect.objectContaining({ constructPath: 'contoso-prod', setting: 'logAnalytics.enabled', got: false })]);
  });
});

describe('EAL2 CoreCategoriesArchived', () => {
  test('fails when core categories are not archived, in one finding', () => {
    const facts = compliantFacts({ categories: base.categories.map((c) => (['AuditLogs', 'ProvisioningLogs'].includes(c.category) ? category(c.category, ['logAnalytics']) : c)) });
    expect(CoreCategoriesArchived.check(facts)).toEqual([
      expect.objectContaining({ setting: 'routing', found: 'AuditLogs and ProvisioningLogs are not archived', fix: 'add storage to the routing of AuditLogs and ProvisioningLogs' }),
    ]);
  });

  test('fails when the stack has no archive', () => {
    expect(CoreCategoriesArchived.check(compliantFacts({ storage: undefined }))).toEqual([expect.objectContaining({ setting: 'storage.enabled', got: false })]);
  });
});

describe('EAL3 PipelineHealthDetections', () => {
  test('fails when a pipeline-health detection is not deployed, saying which table it needs', () => {
    const facts = compliantFacts({ alerts: { path: 'contoso-prod/Alerts', detections: [detection('no-audit-logs-ingested')] }, categories: base.categories.filter((c) => c.category !== 'SignInLogs') });
    expect(PipelineHealthDetections.check(facts)).toEqual([
      {
        constructPath: 'contoso-prod/Alerts',
        setting: 'alerts.disabled',
        got: ['no-sign-in-logs-ingested'],
        found: 'no-sign-in-logs-ingested is not deployed',
        fix: 'remove no-sign-in-logs-ingested from alerts.disabled; no-sign-in-logs-ingested needs SignInLogs routed to logAnalytics first',
      },
    ]);
  });

  test('fails when one is deployed switched off, at its override', () => {
    const facts = compliantFacts({ alerts: { path: 'contoso-prod/Alerts', detections: [detection('no-audit-logs-ingested', false), detection('no-sign-in-logs-ingested')] } });
    expect(PipelineHealthDetections.check(facts)).toEqual([
      { constructPath: 'contoso-prod/Alerts/Rules/no-audit-logs-ingested', setting: 'alerts.overrides.no-audit-logs-ingested.enabled', got: false, found: 'no-audit-logs-ingested is deployed switched off', fix: 'remove alerts.overrides.no-audit-logs-ingested.enabled: false' },
    ]);
  });

  test('fails when no alert rules are deployed, at alerts.enabled, or at logAnalytics.enabled without a workspace', () => {
    expect(PipelineHealthDetections.check(compliantFacts({ alerts: undefined }))).toEqual([expect.objectContaining({ setting: 'alerts.enabled', found: 'no alert rules are deployed' })]);
    expect(PipelineHealthDetections.check(compliantFacts({ alerts: undefined, logAnalytics: undefined }))).toEqual([expect.objectContaining({ setting: 'logAnalytics.enabled' })]);
  });
});

describe('EAL4 DeleteLocksInProduction', () => {
  test('fails when a production destination has no lock, naming every one in one finding', () => {
    const facts = compliantFacts({ eventHub: { ...base.eventHub!, lock: 'none' }, storage: { ...base.storage!, lock: 'none' } });
    expect(DeleteLocksInProduction.check(facts)).toEqual([
      {
        constructPath: 'contoso-prod/EventHub',
        setting: 'protection.lock',
        got: false,
        found: 'contoso-prod/EventHub and contoso-prod/Storage have no delete lock in a production environment',
        fix: 'remove protection.lock: false (production turns the locks on), or set it to true',
      },
    ]);
  });

  test('a suspended lock counts, and a non-production environment needs none', () => {
    expect(DeleteLocksInProduction.check(compliantFacts({ storage: { ...base.storage!, lock: 'suspended', lockSuspensionReason: 'replacing a container' } }))).toEqual([]);
    expect(DeleteLocksInProduction.check(compliantFacts({ production: false, storage: { ...base.storage!, lock: 'none' } }))).toEqual([]);
  });
});

describe('EAL5 ReaderSecretLifetime', () => {
  const secret = (lifetimeInDays: number) => compliantFacts({ readerApp: { ...base.readerApp!, credential: { type: 'secret', lifetimeInDays, intervalInDays: lifetimeInDays / 2, maxLifetimeInDays: 365, keyVault: false } } });

  test('fails when a secret lives longer than the figure, suggesting an even lifetime', () => {
    expect(ReaderSecretLifetime.check(secret(364), 180)).toEqual([
      {
        constructPath: 'contoso-prod/ReaderApp',
        setting: 'readerApp.credential.lifetimeInDays',
        got: 364,
        found: 'each reader secret is valid 364 days, more than 180',
        fix: 'set readerApp.credential.lifetimeInDays to 180 or less (a new secret is issued every lifetimeInDays / 2), or use credential type federated',
      },
    ]);
    expect(ReaderSecretLifetime.check(secret(100), 91)[0].fix).toContain('to 90 or less');
  });

  test('passes at the figure, and with federated credentials or none', () => {
    expect(ReaderSecretLifetime.check(secret(180), 180)).toEqual([]);
    expect(ReaderSecretLifetime.check(compliantFacts({ readerApp: { ...base.readerApp!, credential: { type: 'federated', subjects: ['repo:a/b:environment:prod'] } } }), 1)).toEqual([]);
    expect(ReaderSecretLifetime.check(compliantFacts({ readerApp: undefined }), 1)).toEqual([]);
  });
});

describe('EAL6 AuditTrailRetained', () => {
  const short = compliantFacts({
    storage: { ...base.storage!, retentionInDays: 90 },
    logAnalytics: { ...base.logAnalytics!, tables: Object.fromEntries(Object.entries(base.logAnalytics!.tables).map(([t, r]) => [t, { ...r, totalRetentionInDays: 180 }])) },
  });

  test('fails when no destination keeps archived categories long enough: one finding at the archive retention', () => {
    expect(AuditTrailRetained.check(short, 365)).toEqual([
      {
        constructPath: 'contoso-prod/Storage',
        setting: 'storage.retentionInDays',
        got: 90,
        found:
          '7 archived categories are kept less than 365 days by any destination (longest kept, 180 days: AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, ProvisioningLogs, MicrosoftGraphActivityLogs)',
        fix: 'raise storage.retentionInDays to 365 or more, or keep them 365 days in the workspace (logAnalytics.tableDefaults.totalRetentionInDays)',
      },
    ]);
  });

  test('either destination counts: the archive alone, or the workspace total alone', () => {
    expect(AuditTrailRetained.check(compliantFacts({ logAnalytics: short.logAnalytics }), 365)).toEqual([]);
    expect(AuditTrailRetained.check(compliantFacts({ storage: short.storage }), 365)).toEqual([]);
  });

  test('a category only in the workspace is fixed at the setting that sets its total, to a value the table accepts', () => {
    const facts = compliantFacts({
      categories: base.categories.map((c) => (c.category === 'AuditLogs' ? category('AuditLogs', ['logAnalytics']) : c)),
      logAnalytics: { ...base.logAnalytics!, tables: { ...base.logAnalytics!.tables, AuditLogs: { plan: 'Analytics', retentionInDays: 90, totalRetentionInDays: 730, totalRetentionSetting: 'tables.AuditLogs.totalRetentionInDays' } } },
    });
    expect(AuditTrailRetained.check(facts, 1000)).toEqual([
      expect.objectContaining({ setting: 'storage.retentionInDays' }),
      expect.objectContaining({ constructPath: 'contoso-prod/LogAnalytics', setting: 'logAnalytics.tables.AuditLogs.totalRetentionInDays', got: 730, fix: expect.stringMatching(/^set logAnalytics\.tables\.AuditLogs\.totalRetentionInDays to 1095 or more, /) }),
    ]);
  });

  test('an existing workspace whose retention synth cannot read does not count, and says so', () => {
    const facts = compliantFacts({
      storage: undefined,
      categories: [category('AuditLogs', ['logAnalytics'])],
      logAnalytics: { ...base.logAnalytics!, existing: true, workspaceRetentionInDays: undefined, tables: { AuditLogs: { plan: 'Analytics' } } },
    });
    expect(AuditTrailRetained.check(facts, 365)).toEqual([
      expect.objectContaining({ setting: 'logAnalytics.tableDefaults.totalRetentionInDays', got: undefined, found: expect.stringContaining('which synth cannot read') }),
    ]);
  });

  test('a category only streamed is fixed in its routing; an archive policy managed elsewhere is named', () => {
    const streamed = compliantFacts({ categories: [...base.categories, category('RiskyUsers', ['eventHub'])] });
    expect(AuditTrailRetained.check(streamed, 365)).toEqual([expect.objectContaining({ setting: 'routing.RiskyUsers', got: { RiskyUsers: ['eventHub'] } })]);
    const unmanaged = compliantFacts({ storage: { ...base.storage!, retentionInDays: undefined }, logAnalytics: short.logAnalytics });
    expect(AuditTrailRetained.check(unmanaged, 365)).toEqual([expect.objectContaining({ setting: 'storage.manageLifecyclePolicy', got: false })]);
  });
});

describe('EAL7 RecentAuditTrailAvailable', () => {
  test('fails when neither the interactive retention nor the archive covers the days, at the interactive setting', () => {
    const facts = compliantFacts({
      storage: { ...base.storage!, retentionInDays: 30 },
      logAnalytics: { ...base.logAnalytics!, tables: Object.fromEntries(Object.entries(base.logAnalytics!.tables).map(([t, r]) => [t, { ...r, retentionInDays: 30 }])) },
    });
    expect(RecentAuditTrailAvailable.check(facts, 90)).toEqual([
      expect.objectContaining({
        constructPath: 'contoso-prod/LogAnalytics',
        setting: 'logAnalytics.retentionInDays',
        got: 30,
        fix: 'raise logAnalytics.retentionInDays to 90 or more, or raise storage.retentionInDays to 90 or more',
      }),
    ]);
  });

  test('the archive counts as immediately available', () => {
    const facts = compliantFacts({ logAnalytics: { ...base.logAnalytics!, tables: Object.fromEntries(Object.entries(base.logAnalytics!.tables).map(([t, r]) => [t, { ...r, retentionInDays: 30 }])) } });
    expect(RecentAuditTrailAvailable.check(facts, 90)).toEqual([]);
  });

  test('a Basic table not archived is fixed at its plan', () => {
    const facts = compliantFacts({
      categories: [category('AuditLogs'), category('ManagedIdentitySignInLogs', ['logAnalytics'])],
      logAnalytics: { ...base.logAnalytics!, tables: { ...base.logAnalytics!.tables, AADManagedIdentitySignInLogs: { plan: 'Basic', totalRetentionInDays: 365 } } },
    });
    expect(RecentAuditTrailAvailable.check(facts, 90)).toEqual([expect.objectContaining({ setting: 'logAnalytics.tables.AADManagedIdentitySignInLogs.plan', got: 'Basic' })]);
  });
});

describe('EAL8 AuditTrailImmutable', () => {
  test('fails without immutability on the archive', () => {
    expect(AuditTrailImmutable.check(compliantFacts({ storage: { ...base.storage!, immutability: undefined } }))).toEqual([
      {
        constructPath: 'contoso-prod/Storage',
        setting: 'storage.immutability',
        got: undefined,
        found: 'the archive containers have no immutability policy: archived records can be changed or deleted',
        fix: 'add storage.immutability: { periodInDays: <days> }, a period no longer than storage.retentionInDays (now 365)',
      },
    ]);
  });

  test('fails for categories kept out of the immutable archive, and without an archive', () => {
    const facts = compliantFacts({ categories: [...base.categories, category('RiskyUsers', ['logAnalytics'])] });
    expect(AuditTrailImmutable.check(facts)).toEqual([expect.objectContaining({ setting: 'routing.RiskyUsers', found: 'RiskyUsers is not in the immutable archive' })]);
    expect(AuditTrailImmutable.check(compliantFacts({ storage: undefined }))).toEqual([expect.objectContaining({ setting: 'storage.enabled' })]);
  });
});

describe('EAL9 EntraActivityLogsExported and EAL10 GraphActivityLogsExported', () => {
  test('EAL9 fails for a core category routed nowhere, and any destination counts', () => {
    const facts = compliantFacts({ categories: base.categories.filter((c) => c.category !== 'ProvisioningLogs').map((c) => (c.category === 'AuditLogs' ? category('AuditLogs', ['eventHub']) : c)) });
    expect(EntraActivityLogsExported.check(facts)).toEqual([
      { constructPath: 'contoso-prod/DiagnosticSettings', setting: 'routing.ProvisioningLogs', got: { ProvisioningLogs: 'not routed' }, found: 'ProvisioningLogs is not exported', fix: 'route ProvisioningLogs to at least one destination (logAnalytics, eventHub or storage)' },
    ]);
  });

  test('EAL10 fails without MicrosoftGraphActivityLogs, passes with it anywhere', () => {
    expect(GraphActivityLogsExported.check(compliantFacts({ categories: base.categories.filter((c) => c.category !== 'MicrosoftGraphActivityLogs') }))).toEqual([
      expect.objectContaining({ setting: 'routing.MicrosoftGraphActivityLogs', found: 'MicrosoftGraphActivityLogs is not exported' }),
    ]);
    expect(GraphActivityLogsExported.check(compliantFacts({ categories: [category('MicrosoftGraphActivityLogs', ['eventHub'])] }))).toEqual([]);
  });
});

/**
 * Relating synth-diff changes to configuration settings (scripts/lib/review/config-attribution.ts).
 * The real in-memory synthesis is exercised end to end in synth-diff-example.test.ts; here a small
 * stand-in synthesizes three resources from a plan, so that every path (measured alone, measured as
 * the head without it, measured together, not measurable, budget, stacks added or removed) is fast
 * and exact.
 */
import { findAuditRisks } from '../../scripts/lib/review/audit-risk';
import type { StackChanges } from '../../scripts/lib/review/change-model';
import { applySettings, attributeToSettings, settingDiffs, type AttributionInput } from '../../scripts/lib/review/config-attribution';
import { diffSynthStacks } from '../../scripts/lib/review/synth-changes';
import type { TerraformJson } from '../../scripts/lib/review/synth-output';
import { ConfigError, parseConfig, type StackPlan } from '../../stacks/config';

const BASE = `
tenants:
  contoso:
    tenantId: 00000000-0000-4000-8000-00000000c001
    displayName: Contoso Ltd
    environments:
      dev:
        subscriptionId: 11111111-1111-4111-8111-111111111111
        location: westeurope
        logAnalytics: { retentionInDays: 90 }
        eventHub: { partitionCount: 2 }
        storage: { retentionInDays: 400 }
        readerApp: { enabled: false }
        alerts: { enabled: false }
`;

const edit = (text: string, from: string, to: string) => {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`no ${from}`);
  return out;
};

/** Three resources standing for the stack: enough to see which setting changes which. */
function fakeSynth(plan: StackPlan): TerraformJson {
  return {
    resource: {
      azurerm_log_analytics_workspace: { law: { name: 'law', retention_in_days: plan.logAnalytics?.retentionInDays ?? 30 } },
      azurerm_eventhub: { hub: { name: 'hub', partition_count: plan.eventHub?.partitionCount ?? 1 } },
      azurerm_storage_management_policy: {
        lifecycle: { rule: [{ name: 'r', enabled: true, actions: { base_blob: { delete_after_days_since_modification_greater_than: plan.storage?.retentionInDays ?? 365 } } }] },
      },
    },
  };
}

/** The real diff and findings of two configurations, as the command would have them, and the attribution. */
function attribute(baseText: string, headText: string, options: Partial<AttributionInput> = {}, synth = fakeSynth) {
  const outputs = (text: string) => new Map(parseConfig(text).map((plan) => [plan.id, synth(plan)]));
  const baseOut = outputs(baseText);
  const headOut = options.headOutput ?? outputs(headText);
  const ids = [...new Set([...baseOut.keys(), ...headOut.keys()])].sort();
  const real: StackChanges[] = ids.map((id) => diffSynthStacks(id, baseOut.get(id), headOut.get(id)));
  const findings = findAuditRisks(real);
  const stacks = attributeToSettings(real, findings, {
    base: { file: 'base.yaml', text: baseText },
    head: { file: 'head.yaml', text: headText },
    headOutput: headOut,
    synthesize: synth,
    ...options,
  });
  return { stacks, findings, stack: (id: string) => stacks.find((s) => s.stack === id)! };
}

describe('settingDiffs', () => {
  it('compares maps key by key, lists of maps item by item and other lists whole, in document order', () => {
    const base = { a: { x: 1, y: [1, 2], z: [{ k: 'p', v: 1 }], gone: true }, b: 'same' };
    const head = { a: { x: 2, y: [1], z: [{ k: 'p', v: 2 }], added: { deep: 1 } }, b: 'same' };
    expect(settingDiffs(base, head)).toEqual([
      { segments: ['a', 'x'], path: 'a.x', before: 1, after: 2 },
      { segments: ['a', 'y'], path: 'a.y', before: [1, 2], after: [1] },
      { segments: ['a', 'z', 0, 'v'], path: 'a.z[0].v', before: 1, after: 2 },
      { segments: ['a', 'gone'], path: 'a.gone', before: true, after: undefined },
      { segments: ['a', 'added'], path: 'a.added', before: undefined, after: { deep: 1 } },
    ]);
  });

  it('writes keys that are not plain names quoted, as configuration errors do', () => {
    expect(settingDiffs({ tags: { 'cost.center': 'a' } }, { tags: { 'cost.center': 'b' } })[0].path).toBe('tags["cost.center"]');
  });

  it('finds nothing in equal documents, and the whole file when one is not a map', () => {
    expect(settingDiffs({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(settingDiffs(null, { a: 1 })).toEqual([{ segments: [], path: '(the whole file)', before: null, after: { a: 1 } }]);
  });
});

describe('applySettings', () => {
  it('sets and removes settings on a copy', () => {
    const base = { a: { x: 1, gone: true, list: [{ v: 1 }] } };
    const settings = settingDiffs(base, { a: { x: 2, list: [{ v: 3 }], added: 'n' } });
    expect(applySettings(base, settings)).toEqual({ a: { x: 2, list: [{ v: 3 }], added: 'n' } });
    expect(applySettings(base, settings.slice(0, 1))).toEqual({ a: { x: 2, gone: true, list: [{ v: 1 }] } });
    expect(base).toEqual({ a: { x: 1, gone: true, list: [{ v: 1 }] } });
  });
});

describe('attributeToSettings', () => {
  it('puts each change and finding under the one setting that causes it, and lists a setting that changes no resource', () => {
    const head = edit(edit(edit(BASE, 'retentionInDays: 90', 'retentionInDays: 30'), 'partitionCount: 2', 'partitionCount: 4'), 'Contoso Ltd', 'Contoso Limited');
    const { stack, findings } = attribute(BASE, head);
    expect(findings.map((f) => [f.ruleId, f.address])).toEqual([['AR8', 'azurerm_log_analytics_workspace.law']]);
    expect(stack('contoso-dev').attribution).toEqual({
      effects: [
        { settings: [{ path: 'tenants.contoso.displayName', before: 'Contoso Ltd', after: 'Contoso Limited' }], addresses: [], findings: [] },
        {
          settings: [{ path: 'tenants.contoso.environments.dev.logAnalytics.retentionInDays', before: 90, after: 30 }],
          addresses: ['azurerm_log_analytics_workspace.law'],
          findings: [{ ruleId: 'AR8', address: 'azurerm_log_analytics_workspace.law' }],
        },
        { settings: [{ path: 'tenants.contoso.environments.dev.eventHub.partitionCount', before: 2, after: 4 }], addresses: ['azurerm_eventhub.hub'], findings: [] },
      ],
      unexplained: [],
      notes: [],
    });
  });

  it('keeps a finding with the other changes when it may come from the part of a resource no setting explains', () => {
    // The partition count is also written on the workspace as a tag; the head output also cuts the
    // workspace's retention, which no setting does (a code change).
    const tagged = (plan: StackPlan): TerraformJson => {
      const tf = fakeSynth(plan);
      const law = tf.resource!.azurerm_log_analytics_workspace.law;
      return { resource: { ...tf.resource, azurerm_log_analytics_workspace: { law: { ...law, tags: { partitions: String(plan.eventHub?.partitionCount) } } } } };
    };
    const head = edit(BASE, 'partitionCount: 2', 'partitionCount: 4');
    const headTf = tagged(parseConfig(head)[0]);
    const law = headTf.resource!.azurerm_log_analytics_workspace.law;
    const headOutput = new Map([['contoso-dev', { resource: { ...headTf.resource, azurerm_log_analytics_workspace: { law: { ...law, retention_in_days: 7 } } } }]]);
    const { stack, findings } = attribute(BASE, head, { headOutput }, tagged);
    expect(findings.map((f) => f.ruleId)).toEqual(['AR8']);
    const attribution = stack('contoso-dev').attribution!;
    expect(attribution.effects).toEqual([
      {
        settings: [{ path: 'tenants.contoso.environments.dev.eventHub.partitionCount', before: 2, after: 4 }],
        addresses: ['azurerm_eventhub.hub', 'azurerm_log_analytics_workspace.law'],
        findings: [],
      },
    ]);
    expect(attribution.unexplained).toEqual(['azurerm_log_analytics_workspace.law']);
    expect(attribution.notes).toEqual([expect.stringMatching(/^The head configuration head\.yaml synthesizes to something else than the head output for this stack \(1 resource\(s\) differ\)/)]);
  });

  it('measures a setting that is not valid on its own as the head without it', () => {
    // Retention below the immutability period is refused; with the period lowered in the same change it is valid.
    const base = edit(BASE, 'storage: { retentionInDays: 400 }', 'storage: { retentionInDays: 400, immutability: { periodInDays: 365 } }');
    const head = edit(base, 'retentionInDays: 400, immutability: { periodInDays: 365 }', 'retentionInDays: 100, immutability: { periodInDays: 90 }');
    const { stack } = attribute(base, head);
    const effects = stack('contoso-dev').attribution!.effects;
    expect(effects.map((e) => [e.settings.map((s) => s.path), e.addresses, e.findings.map((f) => f.ruleId)])).toEqual([
      [['tenants.contoso.environments.dev.storage.retentionInDays'], ['azurerm_storage_management_policy.lifecycle'], ['AR9']],
      [['tenants.contoso.environments.dev.storage.immutability.periodInDays'], [], []],
    ]);
    expect(stack('contoso-dev').attribution!.notes).toEqual([]);
  });

  /** Refuses a plan in which exactly one of two linked settings changed. */
  const linked = (plan: StackPlan) => {
    if ((plan.logAnalytics?.retentionInDays !== 90) !== (plan.eventHub?.partitionCount !== 2)) throw new Error('these two go together');
    return fakeSynth(plan);
  };

  it('measures settings that are valid only together, together', () => {
    const head = edit(edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60'), 'partitionCount: 2', 'partitionCount: 4');
    const { stack } = attribute(BASE, head, {}, linked);
    expect(stack('contoso-dev').attribution!.effects).toEqual([
      {
        settings: [
          { path: 'tenants.contoso.environments.dev.logAnalytics.retentionInDays', before: 90, after: 60 },
          { path: 'tenants.contoso.environments.dev.eventHub.partitionCount', before: 2, after: 4 },
        ],
        addresses: ['azurerm_eventhub.hub', 'azurerm_log_analytics_workspace.law'],
        findings: [{ ruleId: 'AR8', address: 'azurerm_log_analytics_workspace.law' }],
      },
    ]);
  });

  it('lists as other changes what settings do that cannot be measured, and says which settings', () => {
    const head = edit(edit(edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60'), 'partitionCount: 2', 'partitionCount: 4'), 'retentionInDays: 400', 'retentionInDays: 500');
    // The two linked settings are valid only with the third: not alone, not undone alone, not together.
    const needsAll = (plan: StackPlan) => {
      const changed = [plan.logAnalytics?.retentionInDays !== 90, plan.eventHub?.partitionCount !== 2, plan.storage?.retentionInDays !== 400];
      if ((changed[0] || changed[1]) && !changed.every(Boolean)) throw new Error('all three go together');
      return fakeSynth(plan);
    };
    const { stack } = attribute(BASE, head, {}, needsAll);
    const attribution = stack('contoso-dev').attribution!;
    expect(attribution.effects.map((e) => e.settings.map((s) => s.path))).toEqual([['tenants.contoso.environments.dev.storage.retentionInDays']]);
    expect(attribution.unexplained).toEqual(['azurerm_eventhub.hub', 'azurerm_log_analytics_workspace.law']);
    expect(attribution.notes).toEqual([
      'tenants.contoso.environments.dev.logAnalytics.retentionInDays, tenants.contoso.environments.dev.eventHub.partitionCount: not valid changes of the base configuration ' +
        'on their own or together, nor are they valid to undo alone, so what they change could not be measured; their effects are listed as other changes.',
    ]);
  });

  it('stops measuring at the synthesis budget and says how many settings were left out', () => {
    const head = edit(edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60'), 'partitionCount: 2', 'partitionCount: 4');
    const { stack } = attribute(BASE, head, { maxSynths: 3 });
    const attribution = stack('contoso-dev').attribution!;
    expect(attribution.effects).toHaveLength(1);
    expect(attribution.unexplained).toEqual(['azurerm_eventhub.hub']);
    expect(attribution.notes).toEqual(['1 setting(s) not measured: a synth diff runs at most 3 in-memory syntheses; their effects are listed as other changes.']);
  });

  it('reports progress as it synthesizes', () => {
    const calls: [number, number][] = [];
    attribute(BASE, edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60'), { progress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('relates nothing, and says so, when this version cannot synthesize the stack', () => {
    const head = edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60');
    const failing = (plan: StackPlan) => {
      if (plan.logAnalytics?.retentionInDays === 60) throw new Error('refused');
      return fakeSynth(plan);
    };
    const headOutput = new Map(parseConfig(head).map((p) => [p.id, fakeSynth(p)]));
    const { stack } = attribute(BASE, head, { headOutput }, failing);
    expect(stack('contoso-dev').attribution).toEqual({
      effects: [],
      unexplained: ['azurerm_log_analytics_workspace.law'],
      notes: ['The configuration of this stack could not be synthesized in memory, so its changes are not related to settings.'],
    });
  });

  it('puts a new environment, and an environment removed, under the setting that adds or removes it', () => {
    const test = `      test:
        subscriptionId: 22222222-2222-4222-8222-222222222222
        location: westeurope
        readerApp: { enabled: false }
        alerts: { enabled: false }
`;
    const added = attribute(BASE, `${BASE}${test}`).stack('contoso-test');
    expect(added.presence).toBe('added');
    expect(added.attribution!.effects).toHaveLength(1);
    expect(added.attribution!.effects[0].settings.map((s) => s.path)).toEqual(['tenants.contoso.environments.test']);
    expect(added.attribution!.effects[0].addresses).toHaveLength(3);
    const removed = attribute(`${BASE}${test}`, BASE).stack('contoso-test');
    expect(removed.presence).toBe('removed');
    expect(removed.attribution!.effects[0].findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AR1']));
    expect(removed.attribution!.unexplained).toEqual([]);
  });

  it('says when an output has a stack the configurations do not explain', () => {
    const base = new Map<string, TerraformJson>();
    const headOutput = new Map([['contoso-dev', fakeSynth(parseConfig(BASE)[0])]]);
    const real = [diffSynthStacks('contoso-dev', base.get('contoso-dev'), headOutput.get('contoso-dev'))];
    // The base output is empty (the base branch did not synthesize) although the base configuration has the stack.
    const [stack] = attributeToSettings(real, findAuditRisks(real), { base: { file: 'b', text: BASE }, head: { file: 'h', text: BASE }, headOutput, synthesize: fakeSynth });
    expect(stack.attribution!.unexplained).toHaveLength(3);
    expect(stack.attribution!.notes).toEqual([
      'The stack is new in the synthesized output but already in the base configuration: the base output was probably not synthesized, so its changes are not related to settings.',
    ]);
    const other = attributeToSettings([{ ...real[0], stack: 'fabrikam-prod' }], [], { base: { file: 'b', text: BASE }, head: { file: 'h', text: BASE }, headOutput, synthesize: fakeSynth });
    expect(other[0].attribution!.notes).toEqual(['Stack fabrikam-prod is in neither configuration file given, so its changes are not related to settings.']);
  });

  it('throws the configuration error of a head configuration that is not valid', () => {
    expect(() => attribute(BASE, edit(BASE, 'location: westeurope', 'location: West Europe'))).toThrow(ConfigError);
  });

  it('relates nothing when the base configuration cannot be read, and says why', () => {
    const real = [diffSynthStacks('contoso-dev', fakeSynth(parseConfig(BASE)[0]), fakeSynth(parseConfig(edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60'))[0]))];
    const [stack] = attributeToSettings(real, findAuditRisks(real), {
      base: { file: 'base.yaml', text: 'tenants: [unclosed' },
      head: { file: 'head.yaml', text: edit(BASE, 'retentionInDays: 90', 'retentionInDays: 60') },
      headOutput: new Map(),
      synthesize: fakeSynth,
    });
    expect(stack.attribution!.effects).toEqual([]);
    expect(stack.attribution!.unexplained).toEqual(['azurerm_log_analytics_workspace.law']);
    expect(stack.attribution!.notes).toEqual([expect.stringMatching(/^The base configuration base\.yaml cannot be read \(base\.yaml:1:\d+: YAML syntax: .*\), so changes are not related to settings\.$/)]);
  });
});

/**
 * The pure building blocks of the review tooling: plan JSON checks, the masked change model,
 * attribute diffs and markdown escaping.
 */
import { applyMirrors, diffAttributes } from '../../scripts/lib/review/attribute-diff';
import { UsageError, parseArgs } from '../../scripts/lib/review/cli';
import { escapeInline, marker } from '../../scripts/lib/review/markdown-text';
import { SecretMask, maskForDisplay } from '../../scripts/lib/review/masking';
import { PlanFormatError, checkPlanJson } from '../../scripts/lib/review/plan-json';
import { actionOf, planToStackChanges } from '../../scripts/lib/review/plan-changes';
import { defaultStackName, summarisePlans } from '../../scripts/lib/review/summarise';
import { diffSynthStacks } from '../../scripts/lib/review/synth-changes';
import { MASKED, UNKNOWN } from '../../scripts/lib/review/values';

describe('plan JSON checks', () => {
  it('accepts any 1.x format version', () => {
    for (const v of ['1.0', '1.2', '1.99']) expect(checkPlanJson({ format_version: v, resource_changes: [] }, 'p').format_version).toBe(v);
  });

  it('refuses an unknown major version, naming the version and the supported one', () => {
    expect(() => checkPlanJson({ format_version: '2.0', resource_changes: [] }, 'p.json')).toThrow(
      new PlanFormatError('p.json: plan format_version 2.0 is not supported: this tool reads format 1.x (Terraform 1.x `terraform show -json`); a new major version may change the meaning of fields, so it is refused rather than misread'),
    );
    expect(() => checkPlanJson({ format_version: '0.2' }, 'p.json')).toThrow(/format_version 0.2 is not supported/);
  });

  it('fails on a missing format_version, a malformed one and an unknown action', () => {
    expect(() => checkPlanJson({}, 'p')).toThrow(/no "format_version" string/);
    expect(() => checkPlanJson({ format_version: 'one' }, 'p')).toThrow(/is not "<major>.<minor>"/);
    const rc = { address: 'a.b', type: 'a', change: { actions: ['explode'] } };
    expect(() => checkPlanJson({ format_version: '1.2', resource_changes: [rc] }, 'p')).toThrow(/unknown actions \["explode"\]; expected one of \[no-op\], \[create\]/);
  });

  it('maps Terraform actions to reviewer actions', () => {
    expect(actionOf(['delete', 'create'])).toBe('replace');
    expect(actionOf(['create', 'delete'])).toBe('replace');
    expect(actionOf(['no-op'])).toBeUndefined();
    expect(actionOf(['no-op'], 'old.address')).toBe('move');
    expect(actionOf(['read'])).toBeUndefined();
    expect(actionOf(['forget'])).toBe('forget');
    expect(actionOf(['create', 'forget'])).toBe('replace');
    expect(actionOf(['forget', 'create'])).toBe('replace');
  });

  it('accepts every action list Terraform writes, forget included, and refuses any other', () => {
    const withActions = (actions: unknown[]) => ({ format_version: '1.2', resource_changes: [{ address: 'a.b', type: 'a', change: { actions } }] });
    for (const actions of [['no-op'], ['create'], ['read'], ['update'], ['delete'], ['delete', 'create'], ['create', 'delete'], ['forget'], ['create', 'forget'], ['forget', 'create']]) {
      expect(() => checkPlanJson(withActions(actions), 'p')).not.toThrow();
    }
    for (const actions of [[], ['update', 'update'], ['delete', 'forget'], [7]]) {
      expect(() => checkPlanJson(withActions(actions), 'p')).toThrow(/has unknown actions/);
    }
  });

  it('skips data sources and no-ops but keeps moves', () => {
    const plan = checkPlanJson(
      {
        format_version: '1.2',
        resource_changes: [
          { address: 'data.x.y', mode: 'data', type: 'x', change: { actions: ['read'], before: null, after: {} } },
          { address: 'x.same', mode: 'managed', type: 'x', change: { actions: ['no-op'], before: {}, after: {} } },
          { address: 'x.new', previous_address: 'x.old', mode: 'managed', type: 'x', change: { actions: ['no-op'], before: {}, after: {} } },
        ],
      },
      'p',
    );
    expect(planToStackChanges(plan, 's').changes.map((c) => [c.address, c.action])).toEqual([['x.new', 'move']]);
  });
});

describe('masking in the change model', () => {
  it('replaces sensitive positions by MASKED and unknown ones by UNKNOWN', () => {
    expect(applyMirrors({ a: 'x', b: { c: 's', d: 'p' }, e: ['1', '2'] }, { b: { c: true }, e: [false, true] }, { f: true })).toEqual({
      a: 'x',
      b: { c: MASKED, d: 'p' },
      e: ['1', MASKED],
      f: UNKNOWN,
    });
  });

  it('masks a short secret (below the text-scrub length) wherever it is copied whole', () => {
    const plan = {
      format_version: '1.2',
      variables: { pin: { value: 'k9x' } },
      configuration: { root_module: { variables: { pin: { sensitive: true } } } },
      resource_changes: [
        { address: 'x.a', mode: 'managed', type: 'x', change: { actions: ['update'], before: { note: 'old' }, after: { note: 'k9x' }, before_sensitive: {}, after_sensitive: {}, after_unknown: {} } },
      ],
    };
    const { markdown } = summarisePlans([{ text: JSON.stringify(plan), label: 'p', stack: 's' }]);
    expect(markdown).toContain('| <code>note</code> | <code>"old"</code> | <code>(sensitive)</code> |');
    expect(markdown).not.toContain('k9x');
  });

  it('does not reveal even the keys of a sensitive map: one change for the whole map, masked whole', () => {
    const diff = diffAttributes({ m: { secretKey: 'a' } }, { m: { secretKey: 'b', other: 'c' } }, { beforeSensitive: { m: true }, afterSensitive: { m: true } });
    expect(diff).toEqual([{ path: 'm', before: { secretKey: 'a' }, after: { secretKey: 'b', other: 'c' }, beforeSensitive: true, afterSensitive: true }]);
    const mask = new SecretMask([]);
    expect(diff.map((a) => [mask.value(a.before, a.beforeSensitive), mask.value(a.after, a.afterSensitive)])).toEqual([[MASKED, MASKED]]);
  });

  it('reports no change for an unchanged sensitive value and treats null like absent', () => {
    expect(diffAttributes({ s: 'x', n: null }, { s: 'x' }, { beforeSensitive: { s: true }, afterSensitive: { s: true } })).toEqual([]);
  });

  it('addresses nested blocks by index', () => {
    expect(diffAttributes({ rule: [{ actions: [{ days: 1 }] }] }, { rule: [{ actions: [{ days: 2 }] }] })).toEqual([
      { path: 'rule[0].actions[0].days', before: 1, after: 2 },
    ]);
  });
});

describe('synth diff model', () => {
  it('compares ${...} references as text and ignores cdktf metadata', () => {
    const tf = (ref: string, path: string) => ({ resource: { azurerm_x: { a: { '//': { metadata: { path } }, id_ref: ref } } } });
    expect(diffSynthStacks('s', tf('${a.b.id}', 'p1'), tf('${a.b.id}', 'p2')).changes).toEqual([]);
    expect(diffSynthStacks('s', tf('${a.b.id}', 'p1'), tf('${a.c.id}', 'p1')).changes.map((c) => c.action)).toEqual(['update']);
  });

  it('masks strings built with sensitive() and reports a replacement only for known force-new arguments', () => {
    const lock = (level: string, notes: string) => ({ resource: { azurerm_management_lock: { l: { lock_level: level, notes } } } });
    expect(diffSynthStacks('s', lock('CanNotDelete', 'a'), lock('ReadOnly', 'a')).changes[0]).toMatchObject({ action: 'replace', replacePaths: ['lock_level'] });
    const pw = (v: string) => ({ resource: { azuread_application_password: { p: { value: v } } } });
    const stack = diffSynthStacks('s', pw('${sensitive("aaaa")}'), pw('${sensitive("bbbb")}'));
    expect(stack.changes[0].attributes).toEqual([
      { path: 'value', before: '${sensitive("aaaa")}', after: '${sensitive("bbbb")}', beforeSensitive: true, afterSensitive: true },
    ]);
    expect(maskForDisplay([stack], []).stacks[0].changes[0].attributes).toEqual([{ path: 'value', before: MASKED, after: MASKED }]);
  });
});

describe('markdown text', () => {
  it('escapes everything that could break a table cell, start HTML, render math or mention someone', () => {
    const text = escapeInline('a|b <script> `x` *y* _z_ ${var.k} @admin #1 [l](u) snake_case\nnext');
    expect(text.replace(/&#?\w+;/g, '')).not.toMatch(/[|<>`*$@#[\]]/);
    expect(text).toContain('snake_case');
    expect(text).not.toContain('\n');
  });

  it('builds markers that stay inside one HTML comment', () => {
    expect(marker('plan', 'contoso-prod')).toBe('<!-- entra-audit-plan:contoso-prod -->');
    expect(marker('plan', 'a-->b c')).toBe('<!-- entra-audit-plan:a-_b_c -->');
    expect(marker('synth-diff')).toBe('<!-- entra-audit-synth-diff -->');
  });
});

describe('command-line helpers', () => {
  it('names a stack after its plan file, or its folder for generic file names', () => {
    expect(defaultStackName('plans/contoso-prod.json')).toBe('contoso-prod');
    expect(defaultStackName('cdktf.out/stacks/contoso-dev/plan.json')).toBe('contoso-dev');
    expect(defaultStackName('cdktf.out/stacks/contoso-dev/tfplan.json')).toBe('contoso-dev');
  });

  it('parses repeated options, --name=value and flags, and rejects unknown options', () => {
    const args = parseArgs(['a.json', '--stack', 'x', '--stack=y', 'b.json', '--fail-on-risk'], { flags: ['--fail-on-risk'], options: ['--stack'] });
    expect(args.positionals).toEqual(['a.json', 'b.json']);
    expect(args.options.get('--stack')).toEqual(['x', 'y']);
    expect(args.flags.has('--fail-on-risk')).toBe(true);
    expect(() => parseArgs(['--nope'], { flags: [], options: [] })).toThrow(UsageError);
    expect(() => parseArgs(['--stack'], { flags: [], options: ['--stack'] })).toThrow('--stack needs a value');
  });
});

describe('long lists of scalars', () => {
  it('are shown as the items removed and added, so a change in depends_on stays readable', () => {
    const refs = Array.from({ length: 8 }, (_, i) => `azurerm_storage_container.Storage_Containers_Category${i}_0123ABCD`);
    expect(diffAttributes({ depends_on: refs }, { depends_on: [...refs.slice(0, 7), 'azurerm_eventhub.New_1'] })).toEqual([
      { path: 'depends_on (removed → added)', before: [refs[7]], after: ['azurerm_eventhub.New_1'] },
    ]);
  });

  it('are shown whole when short', () => {
    expect(diffAttributes({ t: ['a'] }, { t: ['b'] })).toEqual([{ path: 't', before: ['a'], after: ['b'] }]);
  });
});

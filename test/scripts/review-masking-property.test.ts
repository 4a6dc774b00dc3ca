/**
 * Property test for masking in plan-summary and synth-diff (issues 9 and 10): random secrets drawn from every
 * character class (markdown and HTML specials such as ~ $ @ # | * [ ] \ ` < > & " ', whitespace,
 * control characters, non-ASCII and astral characters) are put in every position a plan or a
 * synthesized stack can hold them (and, for synth-diff, every place of the configuration settings a
 * change is put under). No output (the markdown, the text for a terminal, the findings and stacks as
 * JSON, and the command's stdout and stderr in both formats) may contain a secret, or any 8 consecutive characters of one, in any
 * reading: raw, HTML entities decoded, markdown escapes removed, JSON escapes decoded, in any order.
 *
 * The generator is seeded, so every run checks the same cases; a failure names the seed, the case and
 * the position.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { palette } from '../../scripts/lib/io/colour';
import type { StackChanges } from '../../scripts/lib/review/change-model';
import { SecretMask } from '../../scripts/lib/review/masking';
import type { Finding } from '../../scripts/lib/review/rules';
import { summarisePlans, summariseSynthDiff } from '../../scripts/lib/review/summarise';
import { parseTerraformJson, type TerraformJson } from '../../scripts/lib/review/synth-output';
import { MASKED, UNKNOWN } from '../../scripts/lib/review/values';
import { runScript } from '../support/run-script';

const SEED = 0x9e3779b9;
const CASES = 60;

/** mulberry32: small, seeded, good enough to spread test cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES: readonly (readonly string[])[] = [
  [...'abcdefghijklmnopqrstuvwxyz'],
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  [...'0123456789'],
  [...'~$@#|*[]\\`<>&"\'_(){}!-+.=:;,/?%^'], // markdown, HTML, JSON, URL and shell specials; Entra secrets contain ~
  [' ', '\t', '\n', '\r', '\u00a0'],
  ['é', 'ß', 'Ω', 'ж', '中', 'ﬁ', '\u200b', '\u202e', '🔑', '𝔘'], // accents, ligature, zero-width, bidi, astral
];

function secretGenerator(random: () => number): () => string {
  const seen = new Set<string>();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  return () => {
    for (;;) {
      const length = 8 + Math.floor(random() * 33);
      const chars = CLASSES.map(pick); // every class at least once
      while (chars.length < length) chars.push(pick(pick(CLASSES)));
      for (let i = chars.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [chars[i], chars[j]] = [chars[j], chars[i]];
      }
      const secret = chars.join('');
      if (!seen.has(secret)) {
        seen.add(secret);
        return secret;
      }
    }
  };
}

// ---- ways an output can be read --------------------------------------------------------------

function decodeHtml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') return String.fromCodePoint(body[1].toLowerCase() === 'x' ? parseInt(body.slice(2), 16) : Number(body.slice(1)));
    return named[body.toLowerCase()] ?? entity;
  });
}

function removeMarkdownEscapes(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function decodeJsonEscapes(text: string): string {
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
  return text.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_m, body: string) => (body[0] === 'u' ? String.fromCharCode(parseInt(body.slice(1), 16)) : simple[body]));
}

/** Every reading of `text` reachable by up to three decoding steps in any order. */
function readings(text: string): Set<string> {
  const decoders = [decodeHtml, removeMarkdownEscapes, decodeJsonEscapes];
  const all = new Set([text]);
  let frontier = [text];
  for (let round = 0; round < 3; round += 1) {
    const next: string[] = [];
    for (const t of frontier) {
      for (const decode of decoders) {
        const d = decode(t);
        if (!all.has(d)) {
          all.add(d);
          next.push(d);
        }
      }
    }
    frontier = next;
  }
  return all;
}

/** Windows of `size` code points of `secret` (the whole secret when shorter). */
function windows(secret: string, size = 8): string[] {
  const chars = [...secret];
  if (chars.length <= size) return [secret];
  return Array.from({ length: chars.length - size + 1 }, (_, i) => chars.slice(i, i + size).join(''));
}

/** The first leak found: which secret (by position name), which window, in which output. */
function findLeak(outputs: Record<string, string>, secrets: Record<string, string>): string | undefined {
  for (const [outputName, output] of Object.entries(outputs)) {
    for (const reading of readings(output)) {
      for (const [position, secret] of Object.entries(secrets)) {
        for (const window of windows(secret)) {
          if (reading.includes(window)) return `secret of position "${position}" (${JSON.stringify(secret)}) shows ${JSON.stringify(window)} in ${outputName}`;
        }
      }
    }
  }
  return undefined;
}

const asJson = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (v === MASKED ? '(masked marker)' : v === UNKNOWN ? '(unknown marker)' : v));

// ---- plans holding secrets everywhere ------------------------------------------------------------

/** A plan with one secret per position; returns the plan text and the secrets by position. */
function planWithSecrets(next: () => string): { text: string; secrets: Record<string, string> } {
  const s = {
    markedAttribute: next(),
    markedBefore: next(),
    markedListItem: next(),
    markedMapValue: next(),
    markedMapKey: next(),
    markedNested: next(),
    variable: next(),
    outputChange: next(),
    plannedOutput: next(),
    priorOutput: next(),
  };
  const long = `${'x'.repeat(285)}${s.variable}${'y'.repeat(120)}`; // straddles the 300-character cut of a table cell
  const before = {
    name: 'app-public-name',
    password: s.markedBefore,
    scopes: ['public-scope'],
    tags: { team: 'secops' },
    secret_map: { 'old-key': 'v' },
    rule: [{ actions: [{ secret: 'old' }] }],
    note: 'old note',
    list: ['a'],
    blocks: [{ inner: { deep: ['old'] } }],
    uri: 'https://hooks.example/old',
    copies: ['none'],
    long: 'short',
  };
  const after = {
    name: 'app-public-name-v2',
    password: s.markedAttribute,
    scopes: ['public-scope', s.markedListItem],
    tags: { team: 'secops', token: s.markedMapValue, [s.variable]: 'copied as a key' },
    secret_map: { [s.markedMapKey]: 'v' },
    rule: [{ actions: [{ secret: s.markedNested }] }],
    note: s.variable,
    list: ['a', s.variable],
    blocks: [{ inner: { deep: [`pre-${s.variable}-post`] } }],
    uri: `https://hooks.example/hook?code=${s.variable}&x=1`,
    copies: [s.outputChange, `${s.plannedOutput}/${s.priorOutput}`],
    long,
  };
  const sensitiveAfter = { password: true, scopes: [false, true], tags: { token: true }, secret_map: true, rule: [{ actions: [{ secret: true }] }] };
  const resource = (address: string, actions: string[], b: object | null, a: object | null, extra: object = {}) => {
    const [type, name] = address.split('.');
    return { address, mode: 'managed', type, name, change: { actions, before: b, after: a, after_unknown: {}, before_sensitive: b ? { password: true } : false, after_sensitive: a ? sensitiveAfter : false, ...extra } };
  };
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    variables: { reader_secret: { value: s.variable } },
    configuration: { root_module: { variables: { reader_secret: { sensitive: true } } } },
    output_changes: { out: { actions: ['update'], before: 'old', after: s.outputChange, before_sensitive: false, after_sensitive: true } },
    planned_values: { outputs: { planned: { sensitive: true, value: s.plannedOutput } } },
    prior_state: { values: { outputs: { prior: { sensitive: true, value: s.priorOutput } } } },
    resource_changes: [
      resource('azuread_application.reader', ['update'], before, after),
      resource(`azurerm_storage_account.copy["${s.variable}"]`, ['delete', 'create'], before, after, { replace_paths: [['tags', s.variable]] }),
      resource('azuread_application_federated_identity_credential.ci', ['create'], null, { subject: `repo:contoso/${s.variable}:pull_request`, issuer: 'https://token.actions.githubusercontent.com' }),
      resource('azurerm_monitor_action_group.soc', ['update'], { webhook_receiver: [{ name: s.variable, service_uri: 'https://a.example' }] }, { webhook_receiver: [] }),
      resource('azurerm_log_analytics_workspace.gone', ['forget'], { name: s.variable, retention_in_days: 90 }, null),
    ],
  };
  return { text: JSON.stringify(plan), secrets: s };
}

// ---- synthesized stacks holding secrets everywhere -----------------------------------------------

function synthWithSecrets(next: () => string): { base: Map<string, TerraformJson>; head: Map<string, TerraformJson>; secrets: Record<string, string> } {
  const s = { variableDefault: next(), sensitiveOutput: next(), sensitiveFunction: next() };
  const v = s.variableDefault;
  const common = {
    variable: { hook_code: { type: 'string', sensitive: true, default: v } },
    output: { reader_secret: { value: s.sensitiveOutput, sensitive: true } },
  };
  const base = {
    ...common,
    resource: {
      azurerm_monitor_action_group: { soc: { name: 'soc', webhook_receiver: [{ name: v, service_uri: 'https://siem.example/hook' }] } },
      azurerm_storage_account: { [`copy_${v}`]: { name: 'stcopy', tags: { team: 'it' } } },
    },
  };
  const head = {
    ...common,
    resource: {
      azurerm_monitor_action_group: {
        soc: { name: 'soc', webhook_receiver: [{ name: 'siem-public-name', service_uri: `https://siem.example/hook?code=${v}` }], tags: { [v]: 'key copy', other: [v, { deep: [`x${s.sensitiveOutput}y`] }] } },
      },
      azurerm_storage_account: { [`copy_${v}`]: { name: 'stcopy', tags: { team: v } } },
      azuread_application_federated_identity_credential: { ci: { subject: `repo:contoso/${v}:environment:prod`, issuer: 'https://token.actions.githubusercontent.com' } },
      azuread_application_password: { reader: { display_name: 'reader', value: `\${sensitive("${s.sensitiveFunction}")}` } },
    },
  };
  // Through the parser, as the command reads them.
  const parse = (tf: object) => new Map([['dev', parseTerraformJson(JSON.stringify(tf), 'cdk.tf.json')]]);
  return { base: parse(base), head: parse(head), secrets: s };
}

describe(`masking property (seed ${SEED.toString(16)}, ${CASES} cases per command)`, () => {
  const next = secretGenerator(prng(SEED));

  it('plan-summary: no secret from any position reaches the markdown, the findings or the stacks', () => {
    for (let i = 0; i < CASES; i += 1) {
      const { text, secrets } = planWithSecrets(next);
      const result = summarisePlans([{ text, label: 'plan.json', stack: 'prod' }], { fullPlanUrl: 'https://ci.example/run/1', palette: palette(true) });
      // Not vacuous: the summary is there, with the public values, the masks and the risks, in both formats.
      for (const output of [result.markdown, result.text]) {
        expect(output).toContain('app-public-name-v2');
        expect(output).toContain('(sensitive)');
      }
      expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AR1', 'AR12', 'AR13']));
      const leak = findLeak({ markdown: result.markdown, text: result.text, findings: asJson(result.findings), stacks: asJson(result.stacks) }, secrets);
      expect({ case: i, leak }).toEqual({ case: i, leak: undefined });
    }
  });

  it('synth-diff: no secret from any position reaches the markdown, the findings or the stacks', () => {
    for (let i = 0; i < CASES; i += 1) {
      const { base, head, secrets } = synthWithSecrets(next);
      const result = summariseSynthDiff(base, head, { palette: palette(true) });
      for (const output of [result.markdown, result.text]) {
        expect(output).toContain('siem-public-name');
        expect(output).toContain('(sensitive)');
      }
      expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AR12', 'AR13']));
      const leak = findLeak({ markdown: result.markdown, text: result.text, findings: asJson(result.findings), stacks: asJson(result.stacks) }, secrets);
      expect({ case: i, leak }).toEqual({ case: i, leak: undefined });
    }
  });

  it('synth-diff: no secret reaches the configuration settings changes are put under, in either format', () => {
    for (let i = 0; i < CASES; i += 1) {
      const { base, head, secrets } = synthWithSecrets(next);
      const v = secrets.variableDefault;
      // The settings a change is put under, holding the known secrets as values, inside values, as map keys, in paths and notes.
      const attribute = (stacks: readonly StackChanges[], findings: readonly Finding[]): StackChanges[] =>
        stacks.map((stack) => ({
          ...stack,
          attribution: {
            effects: [
              {
                settings: [
                  { path: 'tenants.contoso.environments.dev.alerts.webhook', before: v, after: `https://siem.example/hook?code=${secrets.sensitiveOutput}` },
                  { path: `tenants.contoso.environments.dev.tags.${v}`, before: undefined, after: { [v]: 'key', list: [v, 'public-setting-value'] } },
                ],
                addresses: stack.changes.map((c) => c.address),
                findings: findings.filter((f) => f.stack === stack.stack).map((f) => ({ ruleId: f.ruleId, address: f.address })),
              },
              // Known secrets only: the literal inside sensitive(...) is not collected (docs/security.md, Known limits).
              { settings: [{ path: 'tenants.contoso.displayName', before: `a ${secrets.sensitiveOutput} b`, after: v }], addresses: [], findings: [] },
            ],
            unexplained: [],
            notes: [`The head configuration ${v}.yaml synthesizes to something else`],
          },
        }));
      const result = summariseSynthDiff(base, head, { attribute, palette: palette(true) });
      for (const output of [result.markdown, result.text]) {
        expect(output).toContain('tenants.contoso.environments.dev.alerts.webhook');
        expect(output).toContain('public-setting-value');
        expect(output).toContain('(sensitive)');
      }
      const leak = findLeak({ markdown: result.markdown, text: result.text, findings: asJson(result.findings), stacks: asJson(result.stacks) }, secrets);
      expect({ case: i, leak }).toEqual({ case: i, leak: undefined });
    }
  });

  describe('through the commands (stdout and stderr)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'masking-property-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('plan-summary', () => {
      const { text, secrets } = planWithSecrets(next);
      const file = join(dir, 'plan.json');
      writeFileSync(file, text);
      for (const format of ['markdown', 'text']) {
        const result = runScript('scripts/plan-summary.ts', [file, '--stack', 'prod', '--format', format], undefined, undefined, { FORCE_COLOR: '1' });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('app-public-name-v2');
        expect(findLeak({ stdout: result.stdout, stderr: result.stderr }, secrets)).toBeUndefined();
      }
    });

    it('synth-diff', () => {
      const { base, head, secrets } = synthWithSecrets(next);
      const tree = (name: string, stacks: Map<string, TerraformJson>) => {
        mkdirSync(join(dir, name, 'stacks', 'dev'), { recursive: true });
        writeFileSync(join(dir, name, 'stacks', 'dev', 'cdk.tf.json'), JSON.stringify(stacks.get('dev')));
        return join(dir, name);
      };
      const [baseDir, headDir] = [tree('base', base), tree('head', head)];
      for (const format of ['markdown', 'text']) {
        const result = runScript('scripts/synth-diff.ts', [baseDir, headDir, '--format', format], undefined, undefined, { FORCE_COLOR: '1' });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('siem-public-name');
        expect(findLeak({ stdout: result.stdout, stderr: result.stderr }, secrets)).toBeUndefined();
      }
    });
  });

  it('the leak finder finds a secret hidden by each escaping (so the property can fail)', () => {
    const secret = 'Ab8Q~x$y@z|*[]\\`<>&"\'é🔑';
    const escaped = {
      html: secret.replace(/[~$@|*[\]\\`<>&"']/g, (c) => `&#${c.charCodeAt(0)};`),
      markdown: secret.replace(/[~$@|*[\]\\`<>&"']/g, (c) => `\\${c}`),
      json: JSON.stringify(secret).slice(1, -1).replace(/[^\x20-\x7e]/gu, (c) => [...c].map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')),
      partial: `…${[...secret].slice(3, 11).join('')}…`,
    };
    for (const [name, text] of Object.entries(escaped)) expect([name, findLeak({ out: text }, { s: secret })]).toEqual([name, expect.stringContaining('shows')]);
    expect(findLeak({ out: '(sensitive) and ordinary text' }, { s: secret })).toBeUndefined();
  });
});

describe('SecretMask', () => {
  it('masks overlapping secrets as one, so no fragment of either survives', () => {
    const mask = new SecretMask(['abcd1234', '1234wxyz']);
    expect(mask.text('<abcd1234wxyz>')).toBe('<(sensitive)>');
    expect(mask.text('abcd1234 and 1234wxyz')).toBe('(sensitive) and (sensitive)');
  });

  it('masks a short secret only where it is a whole value or key', () => {
    const mask = new SecretMask(['30']);
    expect(mask.value({ days: 30, label: '30', text: 'after 30 days', ['30']: 1 }, undefined)).toEqual({ days: MASKED, label: MASKED, text: 'after 30 days', '(sensitive)': 1 });
  });

  it('masks the user name and password of any URL, marked sensitive or not', () => {
    const mask = new SecretMask([]);
    expect(mask.text('webhook https://user:p%40ss@siem.example/hook?x=1 and ftp://anon@files.example')).toBe(
      'webhook https://(sensitive)@siem.example/hook?x=1 and ftp://(sensitive)@files.example',
    );
    expect(mask.text('https://siem.example/a@b and git@github.com:org/repo')).toBe('https://siem.example/a@b and git@github.com:org/repo');
  });

  it('keeps map keys distinct when two of them mask to the same text', () => {
    const mask = new SecretMask(['first-secret', 'second-secret']);
    expect(mask.value({ 'first-secret': 1, 'second-secret': 2 }, undefined)).toEqual({ '(sensitive)': 1, '(sensitive) 2': 2 });
  });

  it('masks what a mirror marks, whole, and leaves UNKNOWN alone elsewhere', () => {
    const mask = new SecretMask([]);
    expect(mask.value({ a: { k: 'v' }, b: ['x', 'y'], c: UNKNOWN }, { a: true, b: [false, true] })).toEqual({ a: MASKED, b: ['x', MASKED], c: UNKNOWN });
  });
});

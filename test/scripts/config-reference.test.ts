import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  cell,
  childRows,
  configSections,
  headingAnchor,
  JsonSchema,
  PAGE_PATH,
  renderConfigReference,
  splitDescription,
  typeText,
  undocumentedSettings,
} from '../../scripts/lib/docs/config-reference';
import { configJsonSchema } from '../../stacks/config-schema';
import { REPO_ROOT, runScript } from '../support/run-script';

const schemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
const real = configJsonSchema() as JsonSchema;

/** A whole-file schema shaped like the real one, around the given environment settings. */
function fileSchema(environment: z.core.$ZodLooseShape): JsonSchema {
  return schemaOf(
    z.strictObject({
      tenants: z
        .record(z.string(), z.strictObject({ tenantId: z.string().describe('Tenant id.'), environments: z.record(z.string(), z.strictObject(environment)).describe('Environments.') }))
        .describe('Tenants.'),
    }),
  );
}

describe('the configuration reference (docs/configuration-reference.md)', () => {
  test('the committed page is current (npm run docs:config)', () => {
    expect(readFileSync(join(REPO_ROOT, PAGE_PATH), 'utf8')).toBe(renderConfigReference(real));
  });

  test('every setting of the configuration has a description', () => {
    expect(undocumentedSettings(configSections(real))).toEqual([]);
  });

  test('it has a section for each environment setting that has settings of its own, in the contents list', () => {
    const page = renderConfigReference(real);
    for (const key of ['logAnalytics', 'eventHub', 'storage', 'readerApp', 'protection', 'backend', 'alerts', 'canary']) {
      expect(page).toContain(`\n## \`${key}\`\n`);
      expect(page).toContain(`- [\`${key}\`](#${key.toLowerCase()})`);
    }
  });

  test('a row states the type, default, allowed values and description of a real setting', () => {
    const rows = configSections(real).flatMap((s) => s.rows);
    expect(rows.find((r) => r.path === 'logAnalytics.retentionInDays')).toEqual({
      path: 'logAnalytics.retentionInDays',
      type: 'number',
      default: '`90`',
      allowed: '30–730',
      description: 'Interactive retention of the workspace, in days.',
    });
    expect(rows.find((r) => r.path === 'eventHub.sku')).toMatchObject({ default: '`Standard`', allowed: '`Standard`, `Premium`' });
    expect(rows.find((r) => r.path === 'alerts.overrides.<detection>.severity')).toMatchObject({ type: 'integer', allowed: '0–4', default: "the catalog's" });
    expect(rows.find((r) => r.path === 'subscriptionId')).toMatchObject({ default: 'required', allowed: 'a GUID' });
    expect(rows.find((r) => r.path === 'backend.storageAccountName')).toMatchObject({ default: 'required', description: 'With `type: azurerm`. Storage account holding the state.' });
  });
});

describe('splitDescription', () => {
  test('separates the Allowed and Default sentences from the text', () => {
    expect(splitDescription('Days kept. Allowed: 1–7. Default: `7`.')).toEqual({ description: 'Days kept.', allowed: '1–7', default: '`7`' });
  });

  test('takes a Default without an Allowed', () => {
    expect(splitDescription('Name. Default: `siem`.')).toEqual({ description: 'Name.', allowed: undefined, default: '`siem`' });
  });

  test('leaves a plain description alone', () => {
    expect(splitDescription('Free text.')).toEqual({ description: 'Free text.', allowed: undefined, default: undefined });
  });

  test('an absent description is empty', () => {
    expect(splitDescription(undefined)).toEqual({ description: '' });
  });
});

describe('rows generated from a schema', () => {
  const schema = schemaOf(
    z.strictObject({
      retention: z.number().int().min(1).max(7).optional().describe('Days. Default: `7`.'),
      sku: z.enum(['Standard', 'Premium']).describe('Tier.'),
      name: z.string().min(1).max(12).optional().describe('Name. Allowed: letters only.'),
      mail: z.email().describe('Mail.'),
      list: z.array(z.string()).default([]).describe('A list.'),
      tables: z.record(z.string(), z.strictObject({ plan: z.enum(['Analytics', 'Basic']).optional().describe('Plan.') })).optional().describe('Tables.'),
      routing: z.record(z.string(), z.array(z.enum(['a', 'b']))).optional().describe('Routing.'),
      groups: z.array(z.strictObject({ key: z.string().describe('Key.') })).optional().describe('Groups.'),
      backend: z
        .discriminatedUnion('type', [
          z.strictObject({ type: z.literal('local').describe('On disk.'), path: z.string().optional().describe('Path.') }),
          z.strictObject({ type: z.literal('remote').describe('In a blob.'), account: z.string().describe('Account.') }),
        ])
        .optional()
        .describe('State.'),
    }),
  );
  const rows = childRows(schema, '');
  const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));

  test('lists every setting with its path, nested maps, lists and unions included', () => {
    expect(rows.map((r) => r.path)).toEqual([
      'retention',
      'sku',
      'name',
      'mail',
      'list',
      'tables',
      'tables.<Table>.plan',
      'routing',
      'groups',
      'groups[].key',
      'backend',
      'backend.type',
      'backend.path',
      'backend.account',
    ]);
  });

  test('an integer range, with the default from the description', () => {
    expect(byPath.retention).toEqual({ path: 'retention', type: 'integer', default: '`7`', allowed: '1–7', description: 'Days.' });
  });

  test('an enum without default is required when the schema requires it', () => {
    expect(byPath.sku).toMatchObject({ type: 'string', default: 'required', allowed: '`Standard`, `Premium`' });
  });

  test('length limits and the Allowed sentence are both shown', () => {
    expect(byPath.name).toMatchObject({ default: '–', allowed: '1–12 characters; letters only' });
  });

  test('a format is named instead of its pattern', () => {
    expect(byPath.mail.allowed).toBe('an email address');
  });

  test('a zod default is shown as written in YAML', () => {
    expect(byPath.list).toMatchObject({ type: 'list of string', default: '`[]`' });
  });

  test('a map names its key and the allowed values of its entries', () => {
    expect(byPath.tables.type).toBe('map of `<Table>` → object');
    expect(byPath.routing).toMatchObject({ type: 'map of `<category>` → list of string', allowed: '`a`, `b`' });
  });

  test('a union tagged by type gets a type row and each variant setting says its type', () => {
    expect(byPath.backend.type).toBe('object, by `type`');
    expect(byPath['backend.type']).toMatchObject({ default: 'required', allowed: '`local`, `remote`', description: '`local`: On disk. `remote`: In a blob.' });
    expect(byPath['backend.path']).toMatchObject({ default: '–', description: 'With `type: local`. Path.' });
    expect(byPath['backend.account']).toMatchObject({ default: 'required', description: 'With `type: remote`. Account.' });
  });

  test('types of unions that are not tagged are joined', () => {
    expect(typeText(schemaOf(z.union([z.string(), z.number(), z.array(z.string())])))).toBe('string or number or list of string');
  });
});

describe('renderConfigReference', () => {
  test('fails naming each setting without a description and where to add one', () => {
    const schema = fileSchema({ subscriptionId: z.string().describe('Sub.'), location: z.string(), logAnalytics: z.strictObject({ name: z.string().optional() }).optional().describe('LA.') });
    expect(() => renderConfigReference(schema)).toThrow(
      "2 setting(s) have no description: location, logAnalytics.name; add .describe('…') to each in stacks/config-schema.ts or stacks/alerts-config.ts",
    );
  });

  test('fails on a schema without tenants and environments, saying which schema it expects', () => {
    expect(() => renderConfigReference(schemaOf(z.strictObject({ other: z.string() })))).toThrow('the configuration JSON Schema has no tenants.<tenant>.environments.<environment> object');
  });

  test('renders the tenant rows, the environment table with links to nested sections, and one table per section', () => {
    const page = renderConfigReference(fileSchema({ subscriptionId: z.string().describe('Sub. Allowed: a GUID.'), storage: z.strictObject({ enabled: z.boolean().optional().describe('On. Default: `true`.') }).optional().describe('Archive.') }));
    expect(page).toContain('| `tenants.<tenant>.tenantId` | string | required | – | Tenant id. |');
    expect(page).toContain('| `subscriptionId` | string | required | a GUID | Sub. |');
    expect(page).toContain('| `storage` | object | – | – | Archive. Settings: [`storage`](#storage). |');
    expect(page).toContain('## `storage`\n\nArchive.\n\n| Setting | Type | Default | Allowed | Description |\n|---|---|---|---|---|\n| `storage.enabled` | boolean | `true` | – | On. |\n');
  });
});

describe('cell', () => {
  test('escapes pipes everywhere and angle brackets outside code spans', () => {
    expect(cell('a | b `x|<y>` <tenant>')).toBe('a \\| b `x\\|<y>` &lt;tenant&gt;');
  });
});

describe('headingAnchor', () => {
  test('drops punctuation and code marks like GitHub', () => {
    expect(headingAnchor('`logAnalytics`')).toBe('loganalytics');
    expect(headingAnchor('Reader secret rotation')).toBe('reader-secret-rotation');
    expect(headingAnchor('Checking KQL: `kql:check`')).toBe('checking-kql-kqlcheck');
  });
});

describe('npm run docs:config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-reference-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('--check passes on the committed page', () => {
    const run = runScript('scripts/config-reference.ts', ['--check']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('--check fails on a stale page and says how to regenerate it', () => {
    const stale = join(dir, 'stale.md');
    writeFileSync(stale, '# Configuration reference\n');
    const run = runScript('scripts/config-reference.ts', ['--check', stale]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${stale} is out of date: run npm run docs:config\n`);
  });

  test('--check fails on a missing page', () => {
    const run = runScript('scripts/config-reference.ts', ['--check', join(dir, 'missing.md')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cannot read .*missing\.md: .*; run npm run docs:config\n$/);
  });

  test('an unknown option is a usage error', () => {
    const run = runScript('scripts/config-reference.ts', ['--chek']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm run docs:config [-- --check [<file>]]; got --chek');
  });
});

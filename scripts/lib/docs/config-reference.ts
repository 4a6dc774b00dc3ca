/**
 * Renders docs/configuration-reference.md from the JSON Schema of the configuration file, which is
 * itself generated from the zod schemas (stacks/config-schema.ts, stacks/alerts-config.ts). Pure: the
 * command-line entry is scripts/config-reference.ts.
 *
 * Each setting's description comes from its `.describe()` text, which ends with optional
 * `Allowed: …` and `Default: …` sentences for what the schema itself cannot say (Azure's ranges are
 * checked by the constructs, computed defaults are resolved in stacks/config.ts). Allowed values the
 * schema does carry (enums, literal types, integer ranges, lengths, formats) and zod `.default()`
 * values are read from the schema.
 */

/** The subset of JSON Schema that z.toJSONSchema produces for the configuration. */
export interface JsonSchema {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  /** zod 4.6 writes a discriminated union as `oneOf` (earlier releases: `anyOf`). */
  readonly oneOf?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly pattern?: string;
  readonly format?: string;
}

/** One row of the reference: a setting as the user writes its path. */
export interface SettingRow {
  readonly path: string;
  readonly type: string;
  readonly default: string;
  readonly allowed: string;
  readonly description: string;
}

/** A section of the page: a heading and the rows under it. */
export interface Section {
  readonly title: string;
  readonly intro: string;
  readonly rows: readonly SettingRow[];
}

/** How the key of a map is shown in a path (`logAnalytics.tables.<Table>.plan`). */
const KEY_PLACEHOLDERS: Readonly<Record<string, string>> = {
  tenants: '<tenant>',
  environments: '<environment>',
  tables: '<Table>',
  routing: '<category>',
  tags: '<name>',
  overrides: '<detection>',
  parameters: '<parameter>',
};

export const PAGE_PATH = 'docs/configuration-reference.md';
export const REGENERATE_COMMAND = 'npm run docs:config';

/** Splits `What it does. Allowed: 1–7. Default: `4`.` into its three parts. */
export function splitDescription(text: string | undefined): { description: string; allowed?: string; default?: string } {
  if (text === undefined) return { description: '' };
  const match = /^(.*?)(?:\s*Allowed: (.*?))?(?:\s*Default: (.*))?$/s.exec(text.trim());
  const clean = (part: string | undefined) => (part === undefined ? undefined : part.trim().replace(/\.$/, ''));
  return { description: (match?.[1] ?? text).trim(), allowed: clean(match?.[2]), default: clean(match?.[3]) };
}

function placeholder(key: string): string {
  return KEY_PLACEHOLDERS[key] ?? '<key>';
}

function lastSegment(path: string): string {
  return path.replace(/\[\]$/, '').split('.').pop() ?? path;
}

/** The alternatives of a union, whichever keyword holds them. */
function alternatives(schema: JsonSchema): readonly JsonSchema[] | undefined {
  return schema.oneOf ?? schema.anyOf;
}

/** A tagged union (`{ type: 'local', … } | { type: 'azurerm', … }`): every variant is an object with a literal `type`. */
function taggedVariants(schema: JsonSchema): { tag: string; schema: JsonSchema }[] | undefined {
  const options = alternatives(schema);
  if (!options || options.length === 0) return undefined;
  const variants = options.map((v) => ({ tag: v.properties?.type?.const, schema: v }));
  return variants.every((v) => typeof v.tag === 'string') ? (variants as { tag: string; schema: JsonSchema }[]) : undefined;
}

function recordValue(schema: JsonSchema): JsonSchema | undefined {
  return schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** The type as a reader says it: `integer`, `list of string`, `map of <Table> → object`. */
export function typeText(schema: JsonSchema, key = ''): string {
  if (taggedVariants(schema)) return 'object, by `type`';
  const options = alternatives(schema);
  if (options) return [...new Set(options.map((s) => typeText(s)))].join(' or ');
  if (schema.const !== undefined) return typeof schema.const;
  if (schema.type === 'array') return `list of ${schema.items ? typeText(schema.items) : 'any'}`;
  const value = recordValue(schema);
  if (value) return `map of \`${placeholder(key)}\` → ${typeText(value)}`;
  return schema.type ?? 'any';
}

function code(value: unknown): string {
  return `\`${inline(value)}\``;
}

/** A value written the way it would be in the YAML file. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${k}: ${inline(v)}`).join(', ')} }`;
  }
  return String(value);
}

const FORMATS: Readonly<Record<string, string>> = { email: 'an email address', uri: 'an absolute URL' };

/** Allowed values the schema itself states. */
function schemaAllowed(schema: JsonSchema): string[] {
  const out: string[] = [];
  const values = schema.enum ?? (schema.type === 'array' ? schema.items?.enum : undefined);
  if (values) out.push(values.map(code).join(', '));
  if (schema.const !== undefined) out.push(code(schema.const));
  if (schema.minimum !== undefined && schema.maximum !== undefined) out.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined) out.push(`at least ${schema.minimum}`);
  else if (schema.maximum !== undefined) out.push(`at most ${schema.maximum}`);
  if (schema.maxLength !== undefined) out.push(schema.minLength ? `${schema.minLength}–${schema.maxLength} characters` : `at most ${schema.maxLength} characters`);
  if (schema.format && FORMATS[schema.format]) out.push(FORMATS[schema.format]);
  else if (schema.pattern) out.push(`matches ${code(schema.pattern)}`);
  if (schema.minItems !== undefined && schema.minItems > 0) out.push(`at least ${schema.minItems} ${schema.minItems === 1 ? 'entry' : 'entries'}`);
  const value = recordValue(schema);
  if (value) out.push(...schemaAllowed(value));
  return out;
}

function row(path: string, schema: JsonSchema, required: boolean, extra: { description?: string; prefix?: string } = {}): SettingRow {
  const text = splitDescription(extra.description ?? schema.description);
  const allowed = [...schemaAllowed(schema), ...(text.allowed ? [text.allowed] : [])].join('; ');
  let defaultText = '–';
  if (schema.default !== undefined) defaultText = code(schema.default);
  else if (text.default !== undefined) defaultText = text.default;
  else if (required) defaultText = 'required';
  return { path, type: typeText(schema, lastSegment(path)), default: defaultText, allowed, description: `${extra.prefix ?? ''}${text.description}` };
}

/** The rows under `schema` (not including a row for `schema` itself), paths starting with `path`. */
export function childRows(schema: JsonSchema, path: string): SettingRow[] {
  const join = (key: string) => (path ? `${path}.${key}` : key);
  const variants = taggedVariants(schema);
  if (variants) {
    const out: SettingRow[] = [];
    const typeSchema: JsonSchema = { type: 'string', enum: variants.map((v) => v.tag) };
    const typeDescription = variants.map((v) => `\`${v.tag}\`: ${splitDescription(v.schema.properties?.type?.description).description}`).join(' ');
    out.push(row(join('type'), typeSchema, true, { description: typeDescription }));
    for (const variant of variants) {
      for (const [key, child] of Object.entries(variant.schema.properties ?? {})) {
        if (key === 'type') continue;
        const required = variant.schema.required?.includes(key) ?? false;
        out.push(row(join(key), child, required, { prefix: `With \`type: ${variant.tag}\`. ` }));
        out.push(...childRows(child, join(key)));
      }
    }
    return out;
  }
  if (schema.properties) {
    const out: SettingRow[] = [];
    for (const [key, child] of Object.entries(schema.properties)) {
      out.push(row(join(key), child, schema.required?.includes(key) ?? false));
      out.push(...childRows(child, join(key)));
    }
    return out;
  }
  if (schema.type === 'array' && schema.items && (schema.items.properties || taggedVariants(schema.items))) {
    return childRows(schema.items, `${path}[]`);
  }
  const value = recordValue(schema);
  if (value && (value.properties || taggedVariants(value))) return childRows(value, `${path}.${placeholder(lastSegment(path))}`);
  return [];
}

/** Settings without a description: each needs a `.describe()` in the zod schema. */
export function undocumentedSettings(sections: readonly Section[]): string[] {
  return sections.flatMap((s) => s.rows.filter((r) => r.description.trim() === '').map((r) => r.path));
}

/** Whether a setting has settings of its own, and so its own section. */
function hasChildren(schema: JsonSchema): boolean {
  return Boolean(schema.properties || taggedVariants(schema));
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The sections of the page, from the JSON Schema of the whole file. */
export function configSections(root: JsonSchema): Section[] {
  const tenants = root.properties?.tenants;
  const tenant = tenants ? recordValue(tenants) : undefined;
  const environments = tenant?.properties?.environments;
  const environment = environments ? recordValue(environments) : undefined;
  if (!tenants || !tenant || !environments || !environment?.properties) {
    throw new Error('the configuration JSON Schema has no tenants.<tenant>.environments.<environment> object; expected the schema of stacks/config-schema.ts configJsonSchema()');
  }
  const sections: Section[] = [];
  const tenantRows = [row('tenants', tenants, root.required?.includes('tenants') ?? false)];
  for (const [key, child] of Object.entries(tenant.properties ?? {})) {
    tenantRows.push(row(`tenants.<tenant>.${key}`, child, tenant.required?.includes(key) ?? false));
  }
  sections.push({ title: 'Tenants', intro: 'The top level of the file: one entry per Entra tenant.', rows: tenantRows });

  const nested = Object.entries(environment.properties).filter(([, s]) => hasChildren(s));
  const environmentRows = Object.entries(environment.properties).map(([key, child]) => {
    const base = row(key, child, environment.required?.includes(key) ?? false);
    return hasChildren(child) ? { ...base, description: `${base.description} Settings: [\`${key}\`](#${headingAnchor(key)}).` } : base;
  });
  sections.push({
    title: 'Environment',
    intro: 'Settings of one environment, `tenants.<tenant>.environments.<environment>`; each environment becomes one stack, id `<tenant>-<environment>`. All paths below are relative to the environment.',
    rows: environmentRows,
  });
  for (const [key, child] of nested) {
    sections.push({ title: `\`${key}\``, intro: splitDescription(child.description).description, rows: childRows(child, key) });
  }
  return sections;
}

/** Text for a table cell: pipes escaped, and `<…>` outside code spans escaped so it is not read as HTML. */
export function cell(text: string): string {
  return text
    .replace(/\n/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;').replace(/>/g, '&gt;') : part))
    .join('`')
    .replace(/\|/g, '\\|');
}

/** The whole page. */
export function renderConfigReference(root: JsonSchema): string {
  const sections = configSections(root);
  const missing = undocumentedSettings(sections);
  if (missing.length > 0) {
    throw new Error(`${missing.length} setting(s) have no description: ${missing.join(', ')}; add .describe('…') to each in stacks/config-schema.ts or stacks/alerts-config.ts`);
  }
  const lines: string[] = [
    '# Configuration reference',
    '',
    `<!-- Generated by \`${REGENERATE_COMMAND}\` from the zod schemas in stacks/config-schema.ts and stacks/alerts-config.ts. Do not edit by hand: a test fails when this page is stale. -->`,
    '',
    'Every setting of the configuration file (`stacks/environments.yaml`, or the file named by `ENTRA_AUDIT_CONFIG`), generated from the schemas that validate it. How the file is read and checked, log categories and routing, and examples: [Configuration](configuration.md). Unknown keys are errors.',
    '',
    '"Default" is what applies when the setting is left out; "required" means it must be set; "–" means unset. Names in angle brackets are computed: `<tenant>` and `<environment>` are the keys in the file, `<hash>` a short hash of the tenant, subscription and keys.',
    '',
    '## Contents',
    '',
    ...sections.map((s) => `- [${s.title}](#${headingAnchor(s.title)})`),
  ];
  for (const section of sections) {
    lines.push('', `## ${section.title}`, '', section.intro, '', '| Setting | Type | Default | Allowed | Description |', '|---|---|---|---|---|');
    for (const r of section.rows) {
      lines.push(`| ${cell(`\`${r.path}\``)} | ${cell(r.type)} | ${cell(r.default)} | ${cell(r.allowed) || '–'} | ${cell(r.description)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

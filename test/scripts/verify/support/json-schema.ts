/**
 * A small JSON Schema checker for the keywords report.schema.json uses (type, const, enum, required,
 * properties, additionalProperties: false, items, $ref to #/$defs, oneOf, minimum, format date-time).
 * Enough to hold the --json output to its documented schema without another dependency.
 */
type Schema = Record<string, unknown>;

const typeOk = (type: string, v: unknown): boolean =>
  type === 'null' ? v === null
    : type === 'integer' ? Number.isInteger(v)
    : type === 'number' ? typeof v === 'number' && Number.isFinite(v)
    : type === 'array' ? Array.isArray(v)
    : type === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
    : typeof v === type;

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  walkInto(root, root, value, '$', errors);
  return errors;
}

function walkInto(root: Schema, top: Schema, value: unknown, path: string, errors: string[]): void {
  const walk = (schema: Schema, v: unknown, at: string): void => {
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/$defs/', '');
      walk((root.$defs as Record<string, Schema>)[name] as Schema, v, at);
    }
    if ('const' in schema && v !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(v)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(schema.enum)}`);
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeOk(t, v))) {
        errors.push(`${at}: expected ${types.join('|')}, got ${JSON.stringify(v)}`);
        return;
      }
    }
    if (Array.isArray(schema.oneOf)) {
      const matching = (schema.oneOf as Schema[]).filter((s) => {
        const sub: string[] = [];
        walkInto(root, s, v, at, sub);
        return sub.length === 0;
      });
      if (matching.length !== 1) errors.push(`${at}: matches ${matching.length} of oneOf`);
    }
    if (typeof schema.minimum === 'number' && typeof v === 'number' && v < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.format === 'date-time' && typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v)) errors.push(`${at}: not a date-time: ${v}`);
    if (typeOk('object', v)) {
      const obj = v as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in obj)) errors.push(`${at}: missing ${key}`);
      const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, child] of Object.entries(obj)) {
        if (props[key]) walk(props[key] as Schema, child, `${at}.${key}`);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
      }
    }
    if (Array.isArray(v) && schema.items) v.forEach((item, i) => walk(schema.items as Schema, item, `${at}[${i}]`));
  };
  walk(top, value, path);
}

/**
 * The floor of the synth benchmark is a bare cdktf app that declares, stack for stack, the resources
 * this project's app synthesizes, with nothing of this project in between (no configuration, no
 * constructs, no validation). Its input is a "shape" per stack, read from the app's own output:
 * providers, backend, resources and data sources in dependency order, and outputs. Property names are
 * turned back into the camelCase the provider classes take, and a value that is exactly a reference
 * to another element of the stack (`${azurerm_x.name.id}`) becomes a reference again, so the floor
 * creates tokens as the app does.
 */

/** A value with references encoded as `{ $ref: <address>, attr: <attribute> }`. */
export type ShapeValue = string | number | boolean | null | ShapeValue[] | { [key: string]: ShapeValue };

export interface ShapeElement {
  readonly kind: 'resource' | 'data';
  /** Terraform type, e.g. `azurerm_log_analytics_workspace`. */
  readonly type: string;
  /** Name in the app's output, used as construct id. */
  readonly name: string;
  readonly props: Record<string, ShapeValue>;
  /** Addresses (`type.name`, `data.type.name`) of the elements this one depends on explicitly. */
  readonly dependsOn: readonly string[];
}

export interface StackShape {
  /** Provider name (`azurerm`) to its configurations. */
  readonly providers: Readonly<Record<string, readonly Record<string, ShapeValue>[]>>;
  readonly backend?: { readonly type: string; readonly config: Record<string, ShapeValue> };
  /** Resources and data sources, each after everything it refers to. */
  readonly elements: readonly ShapeElement[];
  readonly outputs: Readonly<Record<string, { readonly value: ShapeValue; readonly description?: string; readonly sensitive?: boolean }>>;
}

/** The input of the floor app: the shapes, one entry per stack, and where to write. */
export interface FloorInput {
  readonly outdir: string;
  /** Import providers through their package barrel (`@cdktf/provider-azurerm`), as cdktf's templates do. */
  readonly barrel: boolean;
  readonly shapes: readonly StackShape[];
  readonly stacks: readonly { readonly id: string; readonly shape: number }[];
}

const REF = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/** `retention_in_days` → `retentionInDays`. */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function convert(value: unknown, known: ReadonlySet<string>, refs: Set<string>): ShapeValue {
  if (typeof value === 'string') {
    const m = REF.exec(value);
    if (m && known.has(m[1])) {
      refs.add(m[1]);
      return { $ref: m[1], attr: m[2] };
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, known, refs));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, ShapeValue> = {};
    for (const [k, v] of Object.entries(value)) if (k !== '//') out[camel(k)] = convert(v, known, refs);
    return out;
  }
  return value as ShapeValue;
}

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

/** The shape of one synthesized stack (`cdk.tf.json`, parsed). */
export function stackShape(tf: Record<string, unknown>): StackShape {
  const json = tf as Json & { provider?: Record<string, Record<string, unknown>[]>; terraform?: { backend?: Record<string, Record<string, unknown>> }; output?: Record<string, Record<string, unknown>> };
  const raw: { kind: 'resource' | 'data'; type: string; name: string; body: Record<string, unknown> }[] = [];
  for (const kind of ['data', 'resource'] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, body] of Object.entries(byName)) raw.push({ kind, type, name, body });
    }
  }
  const address = (e: { kind: string; type: string; name: string }) => (e.kind === 'data' ? `data.${e.type}.${e.name}` : `${e.type}.${e.name}`);
  const known = new Set(raw.map(address));
  const converted = raw.map((e) => {
    const refs = new Set<string>();
    const { depends_on: dependsOn, ...body } = e.body as { depends_on?: string[] } & Record<string, unknown>;
    const props = convert(body, known, refs) as Record<string, ShapeValue>;
    const explicit = (dependsOn ?? []).filter((d) => known.has(d));
    for (const d of explicit) refs.add(d);
    return { element: { kind: e.kind, type: e.type, name: e.name, props, dependsOn: explicit }, address: address(e), needs: refs };
  });
  // Dependency order (Terraform's graph is acyclic); ties keep the output's order.
  const done = new Set<string>();
  const ordered: ShapeElement[] = [];
  let pending = converted;
  while (pending.length > 0) {
    const ready = pending.filter((c) => [...c.needs].every((n) => done.has(n) || n === c.address));
    if (ready.length === 0) throw new Error(`a reference cycle among ${pending.map((c) => c.address).join(', ')}`);
    for (const c of ready) {
      ordered.push(c.element);
      done.add(c.address);
    }
    pending = pending.filter((c) => !done.has(c.address));
  }
  const providers: Record<string, Record<string, ShapeValue>[]> = {};
  for (const [name, configs] of Object.entries(json.provider ?? {})) providers[name] = configs.map((c) => convert(c, new Set(), new Set()) as Record<string, ShapeValue>);
  const backends = Object.entries(json.terraform?.backend ?? {});
  const outputs: Record<string, { value: ShapeValue; description?: string; sensitive?: boolean }> = {};
  for (const [name, o] of Object.entries(json.output ?? {})) {
    outputs[name] = { value: convert(o.value, known, new Set()), description: o.description as string | undefined, sensitive: o.sensitive as boolean | undefined };
  }
  return {
    providers,
    backend: backends.length > 0 ? { type: backends[0][0], config: convert(backends[0][1], new Set(), new Set()) as Record<string, ShapeValue> } : undefined,
    elements: ordered,
    outputs,
  };
}

/** Resource and data source counts per Terraform type, for checking that the floor declares what the app does. */
export function elementCounts(tf: Record<string, unknown>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of ['resource', 'data']) {
    for (const [type, byName] of Object.entries((tf as Json)[kind] ?? {})) counts[`${kind === 'data' ? 'data.' : ''}${type}`] = Object.keys(byName).length;
  }
  return counts;
}

/**
 * The floor of the synth benchmark: a bare cdktf app, run compiled (`dist/scripts/lib/bench/floor-app.js
 * <input.json>`), that declares the stacks described in its input (see floor-shape.ts) with the
 * provider classes themselves: by deep import (`@cdktf/provider-azurerm/lib/<resource>`), or through
 * the package barrels (`require('@cdktf/provider-azurerm')`) with `"barrel": true`, the way cdktf's
 * project template imports them. No configuration file, no constructs, no validation: what synth costs
 * when cdktf and the providers are all there is.
 */
import { readFileSync } from 'node:fs';
import { App, AzurermBackend, LocalBackend, TerraformElement, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import type { FloorInput, ShapeValue, StackShape } from './floor-shape';

type Constructor = new (scope: TerraformStack, id: string, config: Record<string, unknown>) => TerraformElement;

const PACKAGES: Record<string, string> = { azurerm: '@cdktf/provider-azurerm', azuread: '@cdktf/provider-azuread', time: '@cdktf/provider-time' };

const camelOf = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The provider class of a Terraform type: the class with that `tfResourceType` in its module,
 * `azurerm_log_analytics_workspace` → `@cdktf/provider-azurerm/lib/log-analytics-workspace`
 * (`LogAnalyticsWorkspace`; a few classes carry a suffix, such as `ApplicationPasswordA`).
 */
function classOf(kind: 'resource' | 'data' | 'provider', type: string, barrel: boolean, cache: Map<string, Constructor>): Constructor {
  const key = `${kind}:${type}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const provider = kind === 'provider' ? type : type.slice(0, type.indexOf('_'));
  const pkg = PACKAGES[provider];
  if (!pkg) throw new Error(`no provider package known for ${type}`);
  const module = kind === 'provider' ? 'provider' : kind === 'data' ? `data-${type.replace(/_/g, '-')}` : type.slice(provider.length + 1).replace(/_/g, '-');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  // The barrel is loaded on purpose, only for the barrel baseline issue 13 asks the benchmark to time,
  // in its own child process; the app and the deep-import floor never load it.
  const exports = barrel ? (require(pkg) as Record<string, Record<string, unknown>>)[camelOf(module)] : (require(`${pkg}/lib/${module}`) as Record<string, unknown>);
  const cls = Object.values(exports ?? {}).find((v) => typeof v === 'function' && (v as { tfResourceType?: string }).tfResourceType === type) as Constructor | undefined;
  if (!cls) throw new Error(`${pkg}: no class for ${type}${barrel ? ` in the barrel's ${camelOf(module)}` : ` in lib/${module}`}`);
  cache.set(key, cls);
  return cls;
}

function value(v: ShapeValue, objects: ReadonlyMap<string, TerraformElement>): unknown {
  if (Array.isArray(v)) return v.map((x) => value(x, objects));
  if (v !== null && typeof v === 'object') {
    if (typeof v.$ref === 'string' && typeof v.attr === 'string') {
      const target = objects.get(v.$ref) as (TerraformElement & { getStringAttribute(a: string): string }) | undefined;
      if (!target) throw new Error(`reference to ${v.$ref} before it was declared`);
      return target.getStringAttribute(v.attr);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = value(x, objects);
    return out;
  }
  return v;
}

function declare(app: App, id: string, shape: StackShape, barrel: boolean, cache: Map<string, Constructor>): void {
  const stack = new TerraformStack(app, id);
  for (const [provider, configs] of Object.entries(shape.providers)) {
    const cls = classOf('provider', provider, barrel, cache);
    configs.forEach((config, i) => new cls(stack, i === 0 ? provider : `${provider}${i}`, value(config, new Map()) as Record<string, unknown>));
  }
  if (shape.backend?.type === 'azurerm') new AzurermBackend(stack, shape.backend.config as never);
  else if (shape.backend?.type === 'local') new LocalBackend(stack, shape.backend.config as never);
  const objects = new Map<string, TerraformElement>();
  for (const e of shape.elements) {
    const cls = classOf(e.kind, e.type, barrel, cache);
    const config = value(e.props, objects) as Record<string, unknown>;
    if (e.dependsOn.length > 0) config.dependsOn = e.dependsOn.map((a) => objects.get(a) as TerraformResource);
    objects.set(e.kind === 'data' ? `data.${e.type}.${e.name}` : `${e.type}.${e.name}`, new cls(stack, e.name, config));
  }
  for (const [name, o] of Object.entries(shape.outputs)) {
    new TerraformOutput(stack, name, { value: value(o.value, objects), description: o.description, sensitive: o.sensitive });
  }
}

/** Builds and synthesizes the floor app described by `input`. */
export function runFloor(input: FloorInput): void {
  const app = new App({ outdir: input.outdir, stackTraces: false });
  const cache = new Map<string, Constructor>();
  for (const s of input.stacks) declare(app, s.id, input.shapes[s.shape], input.barrel, cache);
  app.synth();
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/scripts/lib/bench/floor-app.js <input.json>\n');
    process.exitCode = 2;
  } else {
    runFloor(JSON.parse(readFileSync(file, 'utf8')) as FloorInput);
  }
}

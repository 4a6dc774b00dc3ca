/**
 * Reading a synthesized cdktf output tree: `<dir>/stacks/<stack>/cdk.tf.json`, plain Terraform JSON.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export class SynthFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthFormatError';
  }
}

/** The parts of Terraform JSON a synth diff reads. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable?: Record<string, { readonly sensitive?: boolean; readonly default?: unknown }>;
  readonly output?: Record<string, { readonly sensitive?: boolean; readonly value?: unknown }>;
}

/**
 * Reads every stack of a cdktf output directory. An existing empty directory has no stacks (CI
 * creates one when the base branch cannot be synthesized); a missing directory is an error.
 */
export function readSynthOutput(dir: string): Map<string, TerraformJson> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SynthFormatError(`${dir}: not a directory; expected a synthesized cdktf output (e.g. cdktf.out) containing stacks/<stack>/cdk.tf.json`);
  }
  const stacksDir = join(dir, 'stacks');
  const stacks = new Map<string, TerraformJson>();
  if (!existsSync(stacksDir)) {
    if (readdirSync(dir).length === 0) return stacks;
    throw new SynthFormatError(`${dir}: has no stacks/ folder; expected a synthesized cdktf output (run \`npm run synth\`) containing stacks/<stack>/cdk.tf.json`);
  }
  for (const stack of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, stack, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    stacks.set(stack, parseTerraformJson(readFileSync(file, 'utf8'), file));
  }
  return stacks;
}

export function parseTerraformJson(text: string, label: string): TerraformJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SynthFormatError(`${label}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SynthFormatError(`${label}: expected a Terraform JSON object, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const resource = (data as Record<string, unknown>).resource;
  if (resource !== undefined) {
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
      throw new SynthFormatError(`${label}: "resource" must be an object of resource types, got ${Array.isArray(resource) ? 'an array' : typeof resource}`);
    }
    for (const [type, byName] of Object.entries(resource)) {
      if (typeof byName !== 'object' || byName === null || Array.isArray(byName)) {
        throw new SynthFormatError(`${label}: resource.${type} must be an object of named resources`);
      }
    }
  }
  return data as TerraformJson;
}

/**
 * Reading a synthesized cdktf output tree: `<dir>/stacks/<stack>/cdk.tf.json`, plain Terraform JSON.
 *
 * Bounded: each cdk.tf.json is a regular file of at most MAX_STACK_FILE_BYTES, all of them together
 * (base and head) at most MAX_SYNTH_TOTAL_BYTES, nested at most MAX_SYNTH_DEPTH levels.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonInput } from '../io/json-input';
import { describeFsError, formatBytes, readInputFile } from '../io/read-input';

/** The largest cdk.tf.json read; a stack of this toolkit synthesizes to well under 1 MiB. */
export const MAX_STACK_FILE_BYTES = 16 * 1024 * 1024;
/** The most read from all stacks of both outputs together. */
export const MAX_SYNTH_TOTAL_BYTES = 64 * 1024 * 1024;
/** The deepest nesting of arrays and objects accepted in a cdk.tf.json. */
export const MAX_SYNTH_DEPTH = 256;

const EXPECTED = 'Terraform JSON written by `cdktf synth`';

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

/** What a path is, or undefined when nothing is there; other failures are SynthFormatErrors. */
function kind(path: string): 'directory' | 'file' | 'other' | undefined {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SynthFormatError(`${path}: cannot be read: ${describeFsError(error)}`);
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    throw new SynthFormatError(`${dir}: cannot be read: ${describeFsError(error)}`);
  }
}

/** Counts the bytes read across calls, so that base and head together stay within MAX_SYNTH_TOTAL_BYTES. */
export class ReadBudget {
  private used = 0;
  constructor(readonly maxBytes: number = MAX_SYNTH_TOTAL_BYTES) {}

  spend(bytes: number, what: string): void {
    this.used += bytes;
    if (this.used > this.maxBytes) {
      throw new SynthFormatError(`${what}: the stacks read so far add up to more than ${formatBytes(this.maxBytes)}, the limit for one synth diff`);
    }
  }
}

/**
 * Reads every stack of a cdktf output directory. An existing empty directory has no stacks (CI
 * creates one when the base branch cannot be synthesized); a missing directory is an error.
 */
export function readSynthOutput(dir: string, budget: ReadBudget = new ReadBudget()): Map<string, TerraformJson> {
  if (kind(dir) !== 'directory') {
    throw new SynthFormatError(`${dir}: not a directory; expected a synthesized cdktf output (e.g. cdktf.out) containing stacks/<stack>/cdk.tf.json`);
  }
  const stacksDir = join(dir, 'stacks');
  const stacks = new Map<string, TerraformJson>();
  const stacksKind = kind(stacksDir);
  if (stacksKind === undefined) {
    if (list(dir).length === 0) return stacks;
    throw new SynthFormatError(`${dir}: has no stacks/ folder; expected a synthesized cdktf output (run \`npm run synth\`) containing stacks/<stack>/cdk.tf.json`);
  }
  if (stacksKind !== 'directory') {
    throw new SynthFormatError(`${stacksDir}: is not a directory; expected a synthesized cdktf output containing stacks/<stack>/cdk.tf.json`);
  }
  for (const stack of list(stacksDir)) {
    const file = join(stacksDir, stack, 'cdk.tf.json');
    if (kind(join(stacksDir, stack)) !== 'directory' || kind(file) === undefined) continue;
    const text = readInputFile(file, { maxBytes: MAX_STACK_FILE_BYTES, expected: EXPECTED });
    budget.spend(Buffer.byteLength(text, 'utf8'), file);
    stacks.set(stack, parseTerraformJson(text, file));
  }
  return stacks;
}

export function parseTerraformJson(text: string, label: string): TerraformJson {
  const data = parseJsonInput(text, { label, maxDepth: MAX_SYNTH_DEPTH, expected: EXPECTED });
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
        throw new SynthFormatError(`${label}: resource.${brief(type)} must be an object of named resources`);
      }
    }
  }
  // The sections secrets are read from: a malformed one would let a secret through unmasked.
  for (const section of ['variable', 'output'] as const) {
    const entries = (data as Record<string, unknown>)[section];
    if (entries === undefined) continue;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      throw new SynthFormatError(`${label}: "${section}" must be an object of named ${section}s`);
    }
    for (const [name, entry] of Object.entries(entries)) {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new SynthFormatError(`${label}: ${section}.${brief(name)} must be an object`);
      }
    }
  }
  return data as TerraformJson;
}

/** Input echoed in a message is cut short. */
function brief(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

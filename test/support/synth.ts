import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/** Synthesized Terraform JSON of a stack, as a plain object. */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { value: unknown }>;
  readonly provider?: Record<string, unknown[]>;
  readonly terraform?: Record<string, unknown>;
}

/** Builds constructs in a fresh test stack and returns the synthesized JSON. */
export function synthConstructs(build: (scope: Construct) => void): SynthJson {
  return JSON.parse(Testing.synthScope((scope) => build(scope)));
}

/** Synthesizes a whole stack. */
export function synthStack(stack: TerraformStack): SynthJson {
  return JSON.parse(Testing.synth(stack));
}

/** All resources of a type, in synthesis order (keys are logical ids). */
export function resources(json: SynthJson, type: string): Record<string, unknown>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The one resource of a type; fails the test if there is not exactly one. */
export function onlyResource(json: SynthJson, type: string): Record<string, unknown> {
  const all = resources(json, type);
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** How many resources of a type there are. */
export function countOf(json: SynthJson, type: string): number {
  return resources(json, type).length;
}

/** Logical ids of a resource type (its Terraform addresses without the type). */
export function addresses(json: SynthJson, type: string): string[] {
  return Object.keys(json.resource?.[type] ?? {});
}

/** Runs `build` and returns the error message it throws (fails if it does not throw). */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

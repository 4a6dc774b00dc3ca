/** Helpers shared by the rules: where a category goes, and the construct a finding points at. */
import type { DestinationKind } from '../../entra-diagnostic-settings';
import type { AuditFacts, CategoryFacts } from '../facts';

/** The routed category of that name, if any. */
export function routed(facts: AuditFacts, category: string): CategoryFacts | undefined {
  return facts.categories.find((c) => c.category === category);
}

/** Of `required`, the categories that do not reach `kind`, in the order given. */
export function notRoutedTo(facts: AuditFacts, kind: DestinationKind, required: readonly string[]): string[] {
  return required.filter((category) => !routed(facts, category)?.destinations.includes(kind));
}

/** The diagnostic settings' construct, or the stack: where a routing finding points. */
export function routingPath(facts: AuditFacts): string {
  return facts.diagnostics?.path ?? facts.path;
}

/** `routing.AuditLogs` for one category, `routing` for several. */
export function routingSetting(categories: readonly string[]): string {
  return categories.length === 1 ? `routing.${categories[0]}` : 'routing';
}

/** The routing a finding shows as found: each category with its destinations, or `not routed`. */
export function routingOf(facts: AuditFacts, categories: readonly string[]): Record<string, readonly DestinationKind[] | 'not routed'> {
  return Object.fromEntries(categories.map((c) => [c, routed(facts, c)?.destinations ?? 'not routed']));
}

/** The smallest value in `allowed` that is at least `days`, or `days` itself. */
export function atLeast(days: number, allowed: readonly number[]): number {
  return allowed.find((d) => d >= days) ?? days;
}

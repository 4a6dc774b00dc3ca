/**
 * Legal but costly or temporary configuration, reported at every synth (stderr) without failing it.
 */
import { joinPath } from '../constructs/internal/validation';
import type { StackPlan } from './config';

/** The path of an environment in the file, for messages. */
const envPath = (plan: StackPlan) => joinPath(`${joinPath('tenants', plan.tenantKey)}.environments`, plan.environmentKey);

/**
 * Entra diagnostic settings are tenant-wide: every environment of one tenant receives the whole tenant's
 * logs for each category it routes. Categories routed by more than one environment of a tenant are ingested
 * (and paid for) once per environment, and each environment uses settings of the tenant's five.
 */
export function sharedTenantWarnings(plans: readonly StackPlan[]): string[] {
  const byTenant = new Map<string, StackPlan[]>();
  for (const plan of plans) byTenant.set(plan.tenantId.toLowerCase(), [...(byTenant.get(plan.tenantId.toLowerCase()) ?? []), plan]);
  const out: string[] = [];
  for (const [tenantId, group] of byTenant) {
    if (group.length < 2) continue;
    const routedBy = new Map<string, string[]>();
    for (const plan of group) for (const category of Object.keys(plan.diagnostics.routing)) routedBy.set(category, [...(routedBy.get(category) ?? []), plan.id]);
    // Categories grouped by the environments that share them: "AuditLogs, SignInLogs (contoso-dev, contoso-prod)".
    const byEnvironments = new Map<string, string[]>();
    for (const [category, ids] of routedBy) if (ids.length > 1) byEnvironments.set(ids.join(', '), [...(byEnvironments.get(ids.join(', ')) ?? []), category]);
    if (byEnvironments.size === 0) continue;
    out.push(
      `tenant ${tenantId}: Entra diagnostic settings are tenant-wide, so several environments receive the whole tenant's ` +
        `${[...byEnvironments].map(([ids, categories]) => `${categories.join(', ')} (${ids})`).join('; ')}. ` +
        'Each copy is ingested and billed again. Route only what a non-production environment needs (e.g. routing: { AuditLogs: [logAnalytics] }), see docs/configuration.md, "Several environments in one tenant".',
    );
  }
  return out;
}

/** Delete locks switched off for a change: a reminder at every synth until the setting is removed. */
export function lockSuspensionWarnings(plans: readonly StackPlan[]): string[] {
  return plans
    .filter((plan) => plan.protection.lockSuspension)
    .map(
      (plan) =>
        `${envPath(plan)}.protection.lockSuspension: the delete locks of ${plan.id} are off (reason: ${plan.protection.lockSuspension!.reason}); ` +
        'the next apply removes them before the change. Remove the setting and apply again to put them back.',
    );
}

/** Every warning for a configuration, one line each. */
export function configWarnings(plans: readonly StackPlan[]): string[] {
  return [...lockSuspensionWarnings(plans), ...sharedTenantWarnings(plans)];
}

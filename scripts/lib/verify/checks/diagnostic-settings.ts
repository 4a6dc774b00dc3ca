import { z } from 'zod';
import type { CheckContext } from '../context';
import { MalformedResponseError } from '../errors';
import { type DestinationKind, type ExpectedSetting, isTerraformReference } from '../expectations';
import { armName } from '../outputs';
import { type CheckResult, result } from '../report';
import { withRetry } from '../retry';

/**
 * Check 1: the tenant's Entra diagnostic settings match the stack.
 * `GET {arm}/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01`: the Microsoft.AADIAM
 * API version the azurerm provider uses (import id `/providers/Microsoft.AADIAM/diagnosticSettings/<name>`)
 * (Azure/azure-rest-api-specs `specification/azureactivedirectory/resource-manager/Microsoft.Aadiam/stable/2017-04-01/`,
 * operation `DiagnosticSettings_List` on `/providers/microsoft.aadiam/diagnosticSettings`; Azure/bicep-types-az
 * `generated/azureactivedirectory/microsoft.aadiam/2017-04-01/types.md`, scope Tenant). Unset destinations
 * come back as empty strings (the spec's `listDiagnosticSettings.json` example).
 */
export const AADIAM_API_VERSION = '2017-04-01';

const listSchema = z.object({
  value: z.array(
    z.object({
      name: z.string(),
      properties: z.object({
        workspaceId: z.string().nullish(),
        eventHubAuthorizationRuleId: z.string().nullish(),
        eventHubName: z.string().nullish(),
        storageAccountId: z.string().nullish(),
        logs: z.array(z.object({ category: z.string().nullish(), categoryGroup: z.string().nullish(), enabled: z.boolean() }).passthrough()).nullish(),
      }).passthrough(),
    }).passthrough(),
  ),
}).passthrough();

type ActualSetting = z.infer<typeof listSchema>['value'][number];

const same = (a: string, b: string): boolean => a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/** `…/namespaces/<ns>/authorizationRules/<rule>` → `<ns>`; other ids → their last segment. */
function describe(kind: DestinationKind, id: string, hub?: string): string {
  if (kind !== 'event-hub') return armName(id);
  const namespace = /\/namespaces\/([^/]+)/i.exec(id)?.[1] ?? armName(id);
  return `${namespace}, ${hub ? `hub ${hub}` : 'one hub per category'}`;
}

/** How one destination of one setting compares; `expected` undefined: the stack routes nothing there. */
interface DestinationState {
  readonly kind: DestinationKind;
  readonly routed: boolean;
  readonly found: boolean;
  /** False when the stack's value is a reference whose output is missing: presence is all that can be checked. */
  readonly comparable: boolean;
  readonly matches: boolean;
  readonly expectedText: string;
  readonly actualText: string;
}

function destinationStates(setting: ExpectedSetting, actual: ActualSetting, ctx: CheckContext): DestinationState[] {
  const { locations } = ctx;
  const resolve = (value: string, fromOutputs: string | undefined): string | undefined => (isTerraformReference(value) ? fromOutputs : value);
  // ARM returns "" for an unset destination (azure-rest-api-specs listDiagnosticSettings.json example).
  const set = (v: string | null | undefined): string | undefined => (v ? v : undefined);
  const p = actual.properties;
  const states: DestinationState[] = [];

  const simple = (kind: DestinationKind, stackValue: string | undefined, fromOutputs: string | undefined, found: string | undefined): void => {
    if (stackValue === undefined && found === undefined) return;
    const expected = stackValue === undefined ? undefined : resolve(stackValue, fromOutputs);
    states.push({
      kind,
      routed: stackValue !== undefined,
      found: found !== undefined,
      comparable: expected !== undefined,
      matches: expected !== undefined && found !== undefined && same(expected, found),
      expectedText: expected === undefined ? '' : describe(kind, expected),
      actualText: found === undefined ? '' : describe(kind, found),
    });
  };
  simple('log-analytics', setting.logAnalyticsWorkspaceId, locations.workspaceResourceId, set(p.workspaceId));

  const foundRule = set(p.eventHubAuthorizationRuleId);
  const foundHub = set(p.eventHubName);
  if (setting.eventHubAuthorizationRuleId !== undefined || foundRule !== undefined) {
    const stackRule = setting.eventHubAuthorizationRuleId;
    const literalRule = stackRule === undefined || isTerraformReference(stackRule) ? undefined : stackRule;
    // A referenced rule is known through its namespace only (output eventhub_namespace_id): compare that prefix.
    const namespace = literalRule ?? locations.eventHubNamespaceId;
    const hub = setting.eventHubName === undefined ? undefined : resolve(setting.eventHubName, locations.eventHubName);
    const hubKnown = setting.eventHubName === undefined || hub !== undefined;
    const ruleMatches = (rule: string): boolean =>
      literalRule !== undefined ? same(literalRule, rule) : namespace !== undefined && rule.toLowerCase().startsWith(`${namespace.replace(/\/+$/, '').toLowerCase()}/`);
    states.push({
      kind: 'event-hub',
      routed: stackRule !== undefined,
      found: foundRule !== undefined,
      comparable: namespace !== undefined && hubKnown,
      matches: foundRule !== undefined && ruleMatches(foundRule) && (setting.eventHubName === undefined ? foundHub === undefined : hub === foundHub),
      expectedText: namespace === undefined ? '' : describe('event-hub', namespace, hub),
      actualText: foundRule === undefined ? '' : describe('event-hub', foundRule, foundHub),
    });
  }
  simple('storage', setting.storageAccountId, locations.storageAccountId, set(p.storageAccountId));
  return states;
}

export async function checkDiagnosticSettings(ctx: CheckContext): Promise<CheckResult[]> {
  const url = `${ctx.clients.armEndpoint}/providers/microsoft.aadiam/diagnosticSettings?api-version=${AADIAM_API_VERSION}`;
  const response = await withRetry('list Entra diagnostic settings', (signal) => ctx.clients.arm.request('GET', url, undefined, signal), ctx.retry);
  const parsed = listSchema.safeParse(response.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedResponseError('Azure Resource Manager', `the microsoft.aadiam diagnosticSettings list is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const actualByName = new Map(parsed.data.value.map((s) => [s.name.toLowerCase(), s]));
  const results: CheckResult[] = [];
  for (const setting of ctx.expectations.settings) {
    const base = { check: 'diagnostic-settings', destination: 'tenant', setting: setting.name } as const;
    const actual = actualByName.get(setting.name.toLowerCase());
    if (!actual) {
      results.push(result({ ...base, status: 'fail', message: `setting "${setting.name}" is missing from the tenant (${parsed.data.value.length} setting(s) found); run the deployment again` }));
      continue;
    }
    const enabled = new Set((actual.properties.logs ?? []).filter((l) => l.enabled && l.category).map((l) => l.category as string));
    for (const category of setting.categories) {
      results.push(
        enabled.has(category)
          ? result({ ...base, category, status: 'pass', message: 'category enabled' })
          : result({ ...base, category, status: 'fail', message: `category ${category} is not enabled in "${setting.name}"` }),
      );
    }
    for (const d of destinationStates(setting, actual, ctx)) {
      const line = { ...base, target: d.kind };
      if (!d.routed) {
        results.push(result({ ...line, status: 'fail', message: `unexpected destination ${d.actualText}: the stack routes nothing to ${d.kind}` }));
      } else if (!d.found) {
        results.push(result({ ...line, status: 'fail', message: `destination ${d.kind} is missing from "${setting.name}"` }));
      } else if (!d.comparable) {
        results.push(result({ ...line, status: 'pass', message: `routes to ${d.actualText} (not compared: its id is a stack output; pass --outputs <file> to compare it)` }));
      } else if (!d.matches) {
        results.push(result({ ...line, status: 'fail', message: `destination different: expected ${d.expectedText}, found ${d.actualText}` }));
      } else {
        results.push(result({ ...line, status: 'pass', message: `routes to ${d.actualText}` }));
      }
    }
  }
  return results;
}

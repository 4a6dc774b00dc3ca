import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * What the synthesized stack says must be true: which Entra diagnostic settings exist, which
 * categories each routes, and to which destinations. Read from `cdktf.out/stacks/<stack>/cdk.tf.json`
 * (plain Terraform JSON; every setting is `resource.azurerm_monitor_aad_diagnostic_setting.<id>`).
 * Destination values are literal ARM ids or Terraform references (`${azurerm_x.y.id}`); references are
 * resolved later from the stack outputs.
 */
export type DestinationKind = 'log-analytics' | 'event-hub' | 'storage';

export const DESTINATION_KINDS: readonly DestinationKind[] = ['log-analytics', 'event-hub', 'storage'];

export interface ExpectedSetting {
  /** The Terraform resource name (`azurerm_monitor_aad_diagnostic_setting.<id>`), for messages. */
  readonly address: string;
  /** The setting's name in the tenant. */
  readonly name: string;
  /** Categories in the order the stack lists them. */
  readonly categories: readonly string[];
  /** Literal ARM id or Terraform reference of the workspace. */
  readonly logAnalyticsWorkspaceId?: string;
  /** Literal ARM id or Terraform reference of the namespace-level authorization rule. */
  readonly eventHubAuthorizationRuleId?: string;
  /** Literal hub name or Terraform reference; absent when Azure creates one hub per category. */
  readonly eventHubName?: string;
  /** Literal ARM id or Terraform reference of the storage account. */
  readonly storageAccountId?: string;
}

export interface Expectations {
  readonly settings: readonly ExpectedSetting[];
  /**
   * The reader-app check applies: the stack has a reader app (it declares the output
   * `reader_app_client_id`), or `--reader-app-client-id` / `--reader-credential` named one. @default false
   */
  readonly readerApp?: boolean;
  /**
   * Outputs whose value the synth already holds (no `${...}` in it, e.g. `tenant_id`): known without
   * `terraform output`, in the shape `terraform output -json` prints. @default {}
   */
  readonly literalOutputs?: Readonly<Record<string, { readonly value: string }>>;
}

const settingSchema = z.object({
  name: z.string().min(1),
  enabled_log: z.array(z.object({ category: z.string().min(1) }).passthrough()).min(1),
  log_analytics_workspace_id: z.string().optional(),
  eventhub_authorization_rule_id: z.string().optional(),
  eventhub_name: z.string().optional(),
  storage_account_id: z.string().optional(),
}).passthrough();

const documentSchema = z.object({
  resource: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  output: z.record(z.string(), z.object({ value: z.unknown() }).passthrough()).optional(),
}).passthrough();

/** True for a Terraform interpolation such as `${azurerm_log_analytics_workspace.main.id}`. */
export function isTerraformReference(value: string): boolean {
  return value.includes('${');
}

/** Parses the text of a `cdk.tf.json`; `source` names the file in error messages. */
export function readExpectations(json: string, source: string): Expectations {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new ConfigError('SynthInvalid', `${source} is not JSON (${(error as Error).message}); run \`npm run synth\` again`);
  }
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) throw new ConfigError('SynthInvalid', `${source} is not Terraform JSON: ${parsed.error.issues[0]?.message}`);
  const raw = parsed.data.resource?.azurerm_monitor_aad_diagnostic_setting ?? {};
  const problems: string[] = [];
  const settings: ExpectedSetting[] = [];
  for (const [id, value] of Object.entries(raw)) {
    const address = `azurerm_monitor_aad_diagnostic_setting.${id}`;
    const setting = settingSchema.safeParse(value);
    if (!setting.success) {
      const issue = setting.error.issues[0];
      problems.push(`${address}.${issue?.path.join('.') ?? ''}: ${issue?.message}`);
      continue;
    }
    const s = setting.data;
    if (!s.log_analytics_workspace_id && !s.eventhub_authorization_rule_id && !s.storage_account_id) {
      problems.push(`${address}: no destination (log_analytics_workspace_id, eventhub_authorization_rule_id or storage_account_id)`);
      continue;
    }
    settings.push({
      address,
      name: s.name,
      categories: [...new Set(s.enabled_log.map((l) => l.category))],
      logAnalyticsWorkspaceId: s.log_analytics_workspace_id,
      eventHubAuthorizationRuleId: s.eventhub_authorization_rule_id,
      eventHubName: s.eventhub_name,
      storageAccountId: s.storage_account_id,
    });
  }
  if (problems.length > 0) throw new ConfigError('SynthInvalid', `${source}: ${problems.join('; ')}`);
  if (settings.length === 0) {
    throw new ConfigError('NoDiagnosticSettings', `${source} declares no azurerm_monitor_aad_diagnostic_setting; is this the right stack?`);
  }
  const outputs = parsed.data.output ?? {};
  const literalOutputs = Object.fromEntries(
    Object.entries(outputs).flatMap(([name, o]) => (typeof o.value === 'string' && o.value !== '' && !isTerraformReference(o.value) ? [[name, { value: o.value }]] : [])),
  );
  return { settings, readerApp: 'reader_app_client_id' in outputs, literalOutputs };
}

/** The categories routed to one kind of destination, across all settings, each once, in stack order. */
export function categoriesFor(expectations: Expectations, kind: DestinationKind): string[] {
  const out = new Set<string>();
  for (const s of expectations.settings) {
    if (routesTo(s, kind)) s.categories.forEach((c) => out.add(c));
  }
  return [...out];
}

export function routesTo(setting: ExpectedSetting, kind: DestinationKind): boolean {
  switch (kind) {
    case 'log-analytics':
      return setting.logAnalyticsWorkspaceId !== undefined;
    case 'event-hub':
      return setting.eventHubAuthorizationRuleId !== undefined;
    case 'storage':
      return setting.storageAccountId !== undefined;
  }
}

import { z } from 'zod';
import { ConfigError } from './errors';

/**
 * Where things are: the stack's outputs (`terraform output -json`), each overridable by a flag.
 * Output names are the foundation's contract; an output is absent when its destination is not configured.
 */
export interface Locations {
  readonly tenantId?: string;
  /** Workspace GUID (the Logs query API takes this, not the ARM id). */
  readonly workspaceId?: string;
  readonly workspaceResourceId?: string;
  readonly eventHubNamespaceId?: string;
  readonly eventHubName?: string;
  readonly storageAccountId?: string;
  readonly diagnosticSettingNames?: readonly string[];
  readonly canaryApplicationObjectId?: string;
  readonly canaryWriterClientId?: string;
  /** The reader app's application (client) id. */
  readonly readerAppClientId?: string;
}

export type LocationOverrides = Partial<Pick<Locations,
  'tenantId' | 'workspaceId' | 'eventHubNamespaceId' | 'eventHubName' | 'storageAccountId' | 'canaryApplicationObjectId' | 'readerAppClientId'>>;

const outputSchema = z.record(z.string(), z.object({ value: z.unknown() }).passthrough());

const OUTPUT_NAMES: Readonly<Record<Exclude<keyof Locations, 'diagnosticSettingNames'>, string>> = {
  tenantId: 'tenant_id',
  workspaceId: 'log_analytics_workspace_id',
  workspaceResourceId: 'log_analytics_workspace_resource_id',
  eventHubNamespaceId: 'eventhub_namespace_id',
  eventHubName: 'eventhub_name',
  storageAccountId: 'storage_account_id',
  canaryApplicationObjectId: 'canary_application_object_id',
  canaryWriterClientId: 'canary_writer_client_id',
  readerAppClientId: 'reader_app_client_id',
};

/** The output that holds a location, for messages. */
export function outputNameOf(key: Exclude<keyof Locations, 'diagnosticSettingNames'>): string {
  return OUTPUT_NAMES[key];
}

/** Parses `terraform output -json` text. Unknown outputs are ignored; a wrongly typed known one is an error. */
export function parseOutputs(json: string, source: string): Locations {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new ConfigError('OutputsInvalid', `${source} is not JSON (${(error as Error).message}); expected the text of \`terraform output -json\``);
  }
  const parsed = outputSchema.safeParse(document);
  if (!parsed.success) {
    throw new ConfigError('OutputsInvalid', `${source} is not \`terraform output -json\` output: expected { "<name>": { "value": ... } }`);
  }
  const outputs = parsed.data;
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(OUTPUT_NAMES)) {
    const value = outputs[name]?.value;
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') problems.push(`${name} should be a string, got ${JSON.stringify(value)}`);
    else result[key] = value;
  }
  const names = outputs.diagnostic_setting_names?.value;
  if (names !== undefined && names !== null) {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) problems.push(`diagnostic_setting_names should be a list of strings, got ${JSON.stringify(names)}`);
    else result.diagnosticSettingNames = names as string[];
  }
  if (problems.length > 0) throw new ConfigError('OutputsInvalid', `${source}: ${problems.join('; ')}`);
  return result as Locations;
}

/** Flags win over outputs. */
export function applyOverrides(locations: Locations, overrides: LocationOverrides): Locations {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined && v !== ''));
  return { ...locations, ...defined };
}

/**
 * Runs a program and returns its stdout; injected so tests never need terraform. A failure is
 * thrown as `execFile` throws it: `code` (exit code, or `ENOENT`), `stderr`, `killed`.
 */
export type ExecFile = (file: string, args: readonly string[], options: { cwd: string; timeoutMs: number }) => Promise<string>;

/** The longest `terraform output -json` may take (reading remote state included), and never past --timeout. */
export const TERRAFORM_OUTPUT_TIMEOUT_MS = 120_000;

/** A location the checks to run need, with the flag that gives it. */
export interface LocationNeed {
  readonly key: keyof LocationOverrides;
  readonly flag: string;
  /** What it is, for messages: "the Log Analytics workspace GUID". */
  readonly what: string;
}

/** Terraform's own words from its stderr: colours and the box it draws around diagnostics removed, on one line. */
export function terraformMessage(stderr: string): string {
  const text = stderr
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .replace(/[╷╵│]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/**
 * `terraform output -json` in the stack directory, run only because `needed` are given by no flag.
 * When it fails, the error carries Terraform's own message and says which flags would make it unnecessary.
 */
export async function readTerraformOutputs(stackDir: string, exec: ExecFile, needed: readonly LocationNeed[], timeoutMs = TERRAFORM_OUTPUT_TIMEOUT_MS): Promise<Locations> {
  let stdout: string;
  try {
    stdout = await exec('terraform', ['output', '-json'], { cwd: stackDir, timeoutMs });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: unknown; killed?: boolean; signal?: string | null };
    const reason =
      e.code === 'ENOENT'
        ? 'terraform is not installed (not found on PATH)'
        : e.killed || (e.signal !== undefined && e.signal !== null)
          ? `it did not finish within ${Math.round(timeoutMs / 1000)} s`
          : (typeof e.stderr === 'string' && terraformMessage(e.stderr)) || (e.message ?? String(error)).split('\n')[0];
    const flags = needed.map((n) => `${n.what} (${n.flag})`).join(', ');
    throw new ConfigError(
      'OutputsUnavailable',
      `\`terraform output -json\` failed in ${stackDir}: ${reason}. It was run for ${flags}, which no flag gave: pass ${needed.length === 1 ? 'that flag' : 'those flags'}, or --outputs <file> holding the JSON of \`terraform output -json\``,
    );
  }
  return parseOutputs(stdout, `terraform output -json (${stackDir})`);
}

/** The last segment of an ARM id (`.../storageAccounts/<name>` → `<name>`). */
export function armName(id: string): string {
  return id.replace(/\/+$/, '').split('/').pop() ?? id;
}

/** The subscription GUID in an ARM id, if any. */
export function armSubscription(id: string): string | undefined {
  return /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
}

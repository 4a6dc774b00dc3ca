/**
 * Runs the verify command in-process against the fake Azure server and Azurite, with a fake clock
 * (sleep moves time forward, nothing really waits) and an injected credential (no credential chain,
 * no managed-identity probe).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import { main } from '../../../../scripts/lib/verify/main';
import type { ExecFile } from '../../../../scripts/lib/verify/outputs';
import type { VerifyReport } from '../../../../scripts/lib/verify/report';
import type { FakeAzure, Scenario } from './fake-azure';
import type { FakePasswordCredential } from './fake-graph';

export const STACK = 'test-env';
export const SETTING = 'entra-audit-test';
export const WORKSPACE_GUID = '6c9d6f5e-2b1a-4c3d-9e8f-0a1b2c3d4e5f';
export const SUB = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
export const WORKSPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-audit/providers/Microsoft.OperationalInsights/workspaces/law-audit`;
export const NAMESPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-audit/providers/Microsoft.EventHub/namespaces/ehns-audit`;
export const STORAGE_ID = `/subscriptions/${SUB}/resourceGroups/rg-audit/providers/Microsoft.Storage/storageAccounts/staudit`;
export const HUB = 'entra-logs';
export const CANARY_APP = '9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19';
export const FAKE_TOKEN = 'fake-in-process-token-0123456789';
export const CATEGORIES = ['AuditLogs', 'SignInLogs'] as const;
export const READER_CLIENT_ID = '1a2b3c4d-0000-4000-8000-000000000001';
export const READER_OBJECT_ID = '2b3c4d5e-0000-4000-8000-0000000000a1';
const DAY = 86_400_000;

/**
 * The synthesized stack: one setting, both categories, all three destinations as Terraform references;
 * the tenant id as the literal output the stack declares, and with `readerApp` the reader app's output.
 */
export function synthJson(categories: readonly string[] = CATEGORIES, options: { tenantId?: string; readerApp?: boolean } = {}): unknown {
  return {
    output: {
      ...(options.tenantId ? { tenant_id: { description: 'Entra tenant (directory) id.', value: options.tenantId } } : {}),
      diagnostic_setting_names: { value: [SETTING] },
      log_analytics_workspace_id: { value: '${azurerm_log_analytics_workspace.Workspace.workspace_id}' },
      ...(options.readerApp ? { reader_app_client_id: { description: 'Client id of the SIEM reader app registration.', value: '${azuread_application.ReaderApp_7FA63290.client_id}' } } : {}),
    },
    '//': { metadata: { backend: 'local', stackName: STACK, version: '0.21.0' } },
    resource: {
      azurerm_log_analytics_workspace: { Workspace: { name: 'law-audit' } },
      azurerm_monitor_aad_diagnostic_setting: {
        EntraDiagnosticSettings_Setting_0A1B2C3D: {
          name: SETTING,
          enabled_log: categories.map((category) => ({ category })),
          log_analytics_workspace_id: '${azurerm_log_analytics_workspace.Workspace.id}',
          eventhub_authorization_rule_id: '${azurerm_eventhub_namespace_authorization_rule.Diagnostics.id}',
          eventhub_name: '${azurerm_eventhub.Entra.name}',
          storage_account_id: '${azurerm_storage_account.Archive.id}',
        },
      },
    },
  };
}

export function outputsJson(tenantId: string, extra: Record<string, unknown> = {}): unknown {
  const out = (value: unknown): unknown => ({ value, type: Array.isArray(value) ? ['list', 'string'] : 'string', sensitive: false });
  return {
    tenant_id: out(tenantId),
    log_analytics_workspace_id: out(WORKSPACE_GUID),
    log_analytics_workspace_resource_id: out(WORKSPACE_ID),
    eventhub_namespace_id: out(NAMESPACE_ID),
    eventhub_name: out(HUB),
    storage_account_id: out(STORAGE_ID),
    diagnostic_setting_names: out([SETTING]),
    reader_app_client_id: out('1a2b3c4d-0000-4000-8000-000000000001'),
    reader_app_token_url: out(`https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`),
    canary_application_object_id: out(CANARY_APP),
    canary_writer_client_id: out('1a2b3c4d-0000-4000-8000-000000000002'),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, out(v)])),
  };
}

/** The tenant's setting as ARM returns it, healthy unless told otherwise. */
export function actualSetting(categories: readonly string[] = CATEGORIES, overrides: Record<string, unknown> = {}): unknown {
  return {
    id: `/providers/microsoft.aadiam/diagnosticSettings/${SETTING}`,
    type: 'microsoft.aadiam/diagnosticSettings',
    name: SETTING,
    properties: {
      storageAccountId: STORAGE_ID,
      serviceBusRuleId: null,
      workspaceId: WORKSPACE_ID,
      eventHubAuthorizationRuleId: `${NAMESPACE_ID}/authorizationrules/diagnostics`,
      eventHubName: HUB,
      logs: categories.map((category) => ({ category, categoryGroup: null, enabled: true, retentionPolicy: { days: 0, enabled: false } })),
      ...overrides,
    },
  };
}

export function healthyScenario(now: Date): Scenario {
  const newest = new Date(now.getTime() - 4 * 60_000).toISOString();
  return {
    diagnosticSettings: [actualSetting()],
    logTables: {
      AuditLogs: { rows: 1280, newest, p50: 95.2, p95: 171.9 },
      SigninLogs: { rows: 5312, newest, p50: 64.4, p95: 133.1 },
    },
    missingTables: [],
    hubMessages: { [HUB]: 744 },
    canaryLogAnalyticsFromPoll: 1,
    graph: {
      readerApp: {
        appId: READER_CLIENT_ID,
        objectId: READER_OBJECT_ID,
        displayName: 'Entra audit reader (test-env)',
        // the two slots: a issued 100 days ago, b 10 days ago, each for 180 days
        passwordCredentials: [readerSecret('a', now, -100, 80), readerSecret('b', now, -10, 170)],
        federatedIdentityCredentials: [],
      },
      readerServicePrincipal: true,
      granted: ['AuditLog.Read.All', 'Directory.Read.All'],
      premium: true,
    },
  };
}

/** A reader secret of slot `slot`, valid from `startDays` to `endDays` days from `now`. */
export function readerSecret(slot: 'a' | 'b', now: Date, startDays: number, endDays: number): FakePasswordCredential {
  return {
    displayName: `entra-audit-reader-${slot}`,
    keyId: slot === 'a' ? '0c1d2e3f-0000-4000-8000-00000000000a' : '0c1d2e3f-0000-4000-8000-00000000000b',
    startDateTime: new Date(now.getTime() + startDays * DAY).toISOString(),
    endDateTime: new Date(now.getTime() + endDays * DAY).toISOString(),
  };
}

/** The reader app's credential as tests inject it: a token as the fake's authority would issue it. */
export function fakeReaderCredential(fake: FakeAzure): TokenCredential {
  return { getToken: async () => ({ token: fake.readerToken(), expiresOnTimestamp: Date.now() + 3_600_000 }) };
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function blobPath(tenantId: string, at: Date): string {
  return `tenantId=${tenantId}/y=${at.getUTCFullYear()}/m=${pad(at.getUTCMonth() + 1)}/d=${pad(at.getUTCDate())}/h=${pad(at.getUTCHours())}/m=00/PT1H.json`;
}

/** Appends Entra-style JSON lines to the hourly append blob of a category (creating container and blob). */
export async function appendRecords(connectionString: string, category: string, tenantId: string, at: Date, records: readonly unknown[]): Promise<void> {
  const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(`insights-logs-${category.toLowerCase()}`);
  await container.createIfNotExists();
  const blob = container.getAppendBlobClient(blobPath(tenantId, at));
  await blob.createIfNotExists();
  if (records.length > 0) {
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    await blob.appendBlock(text, Buffer.byteLength(text));
  }
}

export async function ensureContainer(connectionString: string, category: string): Promise<void> {
  await BlobServiceClient.fromConnectionString(connectionString).getContainerClient(`insights-logs-${category.toLowerCase()}`).createIfNotExists();
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: VerifyReport | undefined;
  readonly sleeps: number[];
}

export interface Workspace {
  readonly dir: string;
  readonly tenantId: string;
  readonly outputsFile: string;
}

const workspaces: string[] = [];

/** Removes every directory `makeWorkspace` made (call in afterAll). */
export function removeWorkspaces(): void {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh directory with cdktf.out/stacks/<stack>/cdk.tf.json and outputs.json; a fresh tenant id isolates storage blobs. */
export function makeWorkspace(options: { categories?: readonly string[]; outputs?: unknown; readerApp?: boolean } = {}): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'verify-ws-'));
  workspaces.push(dir);
  const tenantId = randomUUID();
  mkdirSync(join(dir, 'cdktf.out', 'stacks', STACK), { recursive: true });
  writeFileSync(join(dir, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), JSON.stringify(synthJson(options.categories, { tenantId, readerApp: options.readerApp }), null, 2));
  const outputsFile = join(dir, 'outputs.json');
  writeFileSync(outputsFile, JSON.stringify(options.outputs ?? outputsJson(tenantId), null, 2));
  return { dir, tenantId, outputsFile };
}

export function endpointArgs(fake: FakeAzure): string[] {
  return ['--arm-endpoint', fake.origin, '--logs-endpoint', `${fake.origin}/v1`, '--graph-endpoint', fake.origin];
}

export async function runVerify(
  fake: FakeAzure,
  ws: Workspace,
  options: {
    args?: string[]; connectionString: string | undefined; ca: string; start: Date; format?: 'json' | 'table' | 'markdown'; isTTY?: boolean; injectCredential?: boolean;
    /** The reader app's credential (`--reader-credential`); tests pass fakeReaderCredential(fake). */
    readerCredential?: TokenCredential;
    /** Leave out `--outputs` (location flags alone, or terraform). */
    noOutputs?: boolean;
    /** Stands in for `terraform output -json`; by default running terraform fails the test. */
    exec?: ExecFile;
    /** Every request's own deadline (tens of ms in the deadline tests). */
    requestTimeoutMs?: number | ((operation: string) => number);
    maxResponseBytes?: number;
    /** More environment variables (a client secret for the real credential). */
    env?: Record<string, string>;
  },
): Promise<Run> {
  let now = options.start.getTime();
  const sleeps: number[] = [];
  let stdout = '';
  let stderr = '';
  const format = options.format ?? 'json';
  const args = [
    '--stack', STACK, '--cdktf-out', join(ws.dir, 'cdktf.out'), ...(options.noOutputs ? [] : ['--outputs', ws.outputsFile]),
    ...endpointArgs(fake), ...(format === 'table' ? [] : [`--${format}`]), ...(options.args ?? []),
  ];
  let ids = 0;
  const code = await main(args, {
    env: { ...(options.connectionString === undefined ? {} : { AZURE_STORAGE_CONNECTION_STRING: options.connectionString }), ...options.env },
    cwd: ws.dir,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    isTTY: options.isTTY ?? false,
    readFile: (f) => readFile(f, 'utf8'),
    exec: options.exec ?? (async () => {
      throw new Error('terraform must not run in tests');
    }),
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    randomId: () => `run-${++ids}`,
    credential: options.injectCredential === false ? undefined : { getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    readerCredential: options.readerCredential,
    ca: options.ca,
    requestTimeoutMs: options.requestTimeoutMs,
    maxResponseBytes: options.maxResponseBytes,
  });
  return { code, stdout, stderr, sleeps, report: format === 'json' ? (JSON.parse(stdout) as VerifyReport) : undefined };
}

export function readSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'scripts', 'lib', 'verify', 'report.schema.json'), 'utf8')) as Record<string, unknown>;
}

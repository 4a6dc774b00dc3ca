/**
 * The verify command as a CI runner meets it: location flags instead of `terraform output`, Terraform's
 * own error when it is needed and fails, and a storage account that refuses the runner (its firewall, a
 * missing data role, shared keys off). In-process, against the local HTTPS fake Azure and Azurite.
 */
import { join } from 'node:path';
import type { ExecFile } from '../../../scripts/lib/verify/outputs';
import { type Azurite, AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from './support/azurite';
import { type FakeAzure, startFakeAzure } from './support/fake-azure';
import {
  appendRecords, CATEGORIES, HUB, healthyScenario, makeWorkspace, NAMESPACE_ID, outputsJson, READER_CLIENT_ID, removeWorkspaces, runVerify, STACK, STORAGE_ID,
  WORKSPACE_GUID, type Workspace,
} from './support/harness';
import { makeTestCertificates, type TestCertificates } from './support/tls';

const REPO_ROOT = join(__dirname, '..', '..', '..');

let tls: TestCertificates;
let fake: FakeAzure;
let azurite: Azurite;
let start: Date;
let ws: Workspace;

beforeAll(async () => {
  tls = makeTestCertificates();
  [fake, azurite] = await Promise.all([startFakeAzure(tls, healthyScenario(new Date())), startAzurite(REPO_ROOT)]);
});

afterAll(async () => {
  await Promise.all([fake?.close(), azurite?.stop()]);
  tls?.cleanup();
  removeWorkspaces();
});

beforeEach(async () => {
  start = new Date();
  ws = makeWorkspace({ readerApp: true });
  fake.reset(healthyScenario(start));
  for (const category of CATEGORIES) {
    await appendRecords(azurite.connectionString, category, ws.tenantId, start, [{ time: start.toISOString(), category, operationName: 'Sign-in activity' }]);
  }
});

const LOCATION_FLAGS = ['--workspace-id', WORKSPACE_GUID, '--eventhub-namespace-id', NAMESPACE_ID, '--eventhub-name', HUB, '--storage-account-id', STORAGE_ID];

/** A stand-in for terraform that records its calls. */
function terraform(answer: () => string): { exec: ExecFile; calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    exec: async (file, args, options) => {
      calls.push([file, args, options.cwd]);
      return answer();
    },
  };
}

describe('location flags alone are enough', () => {
  test('flags without --outputs: runs every check, terraform is never started (exit 0)', async () => {
    const tf = terraform(() => {
      throw new Error('terraform must not run');
    });
    const run = await runVerify(fake, ws, {
      args: [...LOCATION_FLAGS, '--reader-app-client-id', READER_CLIENT_ID], noOutputs: true, exec: tf.exec,
      connectionString: azurite.connectionString, ca: tls.caPem, start,
    });
    expect(tf.calls).toEqual([]);
    expect(run.report?.problems).toEqual([]);
    expect(run.code).toBe(0);
    expect([...new Set(run.report?.checks.map((c) => `${c.check}:${c.status}`))]).toEqual([
      'diagnostic-settings:pass', 'log-analytics:pass', 'event-hub:pass', 'storage:pass', 'reader-app:pass',
    ]);
    // the workspace ARM id is known only from outputs: that destination is reported, not compared
    expect(run.report?.checks.find((c) => c.check === 'diagnostic-settings' && c.target === 'log-analytics')?.message).toBe('routes to law-audit (not compared: its id is a stack output; pass --outputs <file> to compare it)');
  });

  test('a location no flag gives: terraform output -json runs in the stack directory, and its outputs are used', async () => {
    const tf = terraform(() => JSON.stringify(outputsJson(ws.tenantId)));
    const run = await runVerify(fake, ws, {
      args: ['--eventhub-namespace-id', NAMESPACE_ID], noOutputs: true, exec: tf.exec, connectionString: azurite.connectionString, ca: tls.caPem, start,
    });
    expect(tf.calls).toEqual([['terraform', ['output', '-json'], join(ws.dir, 'cdktf.out', 'stacks', STACK)]]);
    expect(run.code).toBe(0);
  });

  test("terraform needed and failing: exit 2 with Terraform's own error and the flags that would avoid it", async () => {
    const stderr = '\x1b[31m╷\x1b[0m\n\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[1mBackend initialization required, please run "terraform init"\x1b[0m\n│ \n│ Reason: Initial configuration of the requested backend "azurerm"\n╵\n';
    const tf = terraform(() => {
      throw Object.assign(new Error(`Command failed: terraform output -json\n${stderr}`), { code: 1, stderr });
    });
    const run = await runVerify(fake, ws, {
      args: ['--workspace-id', WORKSPACE_GUID, '--eventhub-namespace-id', NAMESPACE_ID, '--skip', 'reader-app'], noOutputs: true, exec: tf.exec,
      connectionString: undefined, ca: tls.caPem, start, format: 'table',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(
      'Problems:\n  - [OutputsUnavailable] `terraform output -json` failed in ' + join(ws.dir, 'cdktf.out', 'stacks', STACK) +
        ': Error: Backend initialization required, please run "terraform init" Reason: Initial configuration of the requested backend "azurerm". ' +
        'It was run for the event hub name (--eventhub-name), the storage account (--storage-account-id), which no flag gave: pass those flags, or --outputs <file> holding the JSON of `terraform output -json`\n\n' +
        'ERROR (exit 2): could not verify (configuration, authentication or permission). 1 problem(s); stack test-env.\n',
    );
    expect(fake.requests).toEqual([]);
  });
});

describe('storage that refuses the runner: which refusal, and what to do', () => {
  /** Storage read with the credential (a bearer token), through the fake's blob endpoint. */
  const storageOnly = (denial: 'AuthorizationFailure' | 'AuthorizationPermissionMismatch') => {
    fake.scenario.blobDenial = denial;
    return runVerify(fake, ws, {
      args: ['--skip', 'diagnostic-settings,log-analytics,event-hub,reader-app', '--blob-endpoint', `${fake.origin}/${AZURITE_ACCOUNT}`],
      connectionString: undefined, ca: tls.caPem, start,
    });
  };

  test('the account firewall (403 AuthorizationFailure): a network denial, not a missing role', async () => {
    const run = await storageOnly('AuthorizationFailure');
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([{
      code: 'StorageNetworkDenied',
      check: 'storage',
      requiredPermission: null,
      message:
        'the storage account refused the request (403 AuthorizationFailure): its firewall does not admit the network this runs from (the archive account denies public network access). ' +
        'Run verify from a network the account allows (a runner in its virtual network, or one that reaches its private endpoint, with --blob-endpoint), ' +
        "add this runner's public IP address to the account's firewall for the run and remove it afterwards, or leave storage out with --skip storage",
    }]);
    expect(fake.requests.filter((r) => r.path.startsWith('/devstoreaccount1')).every((r) => r.bearer && r.status === 403)).toBe(true);
  });

  test('a missing data role (403 AuthorizationPermissionMismatch) names Storage Blob Data Reader', async () => {
    const run = await storageOnly('AuthorizationPermissionMismatch');
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([expect.objectContaining({
      code: 'PermissionDenied',
      check: 'storage',
      requiredPermission: expect.stringMatching(/^Storage Blob Data Reader on the storage account/),
      message: expect.stringMatching(/^permission denied \(403 AuthorizationPermissionMismatch\): the request reached the storage account but the verifying identity has no data role on it; it needs Storage Blob Data Reader/),
    })]);
    expect(run.report?.problems[0]?.message).not.toContain('firewall');
  });

  test('a connection string against an account with shared keys off (403 KeyBasedAuthenticationNotPermitted)', async () => {
    fake.scenario.blobDenial = 'KeyBasedAuthenticationNotPermitted';
    const run = await runVerify(fake, ws, {
      args: ['--skip', 'diagnostic-settings,log-analytics,event-hub,reader-app'],
      connectionString: `DefaultEndpointsProtocol=https;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${fake.origin}/${AZURITE_ACCOUNT};`,
      ca: tls.caPem, start,
    });
    expect(run.code).toBe(2);
    expect(run.report?.problems).toEqual([expect.objectContaining({
      code: 'SharedKeyDisabled',
      message: expect.stringMatching(/^the storage account does not accept shared keys \(403 KeyBasedAuthenticationNotPermitted\), so AZURE_STORAGE_CONNECTION_STRING with an AccountKey cannot read it: unset it/),
    })]);
    expect(run.stdout).not.toContain(AZURITE_KEY);
  });

  test('the canary reading storage gets the same distinction', async () => {
    fake.scenario.blobDenial = 'AuthorizationFailure';
    const run = await runVerify(fake, ws, {
      args: ['--canary', '--skip', 'diagnostic-settings,log-analytics,event-hub,storage,reader-app', '--blob-endpoint', `${fake.origin}/${AZURITE_ACCOUNT}`],
      connectionString: undefined, ca: tls.caPem, start,
    });
    expect(run.report?.problems).toEqual([expect.objectContaining({ code: 'StorageNetworkDenied', check: 'canary' })]);
  });
});

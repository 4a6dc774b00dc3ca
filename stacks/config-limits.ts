/**
 * Configuration rules that span settings the constructs never see together: the tags the toolkit
 * sets itself, names Azure needs globally unique, and Terraform state shared by two environments.
 */
import { posix } from 'node:path';
import { defaultStateFile } from './state-paths';
import { MAX_STORAGE_ACCOUNT_TAG_NAME_CHARS, MAX_TAG_NAME_CHARS, tagProblems as azureTagProblems } from '../constructs/internal/tags';
import { joinPath, Problem, renderProblem, show } from '../constructs/internal/validation';
import type { StackPlan } from './config';
import type { ConfigProblem } from './config-error';

/** Tags the toolkit puts on every resource it creates; a configuration can't set or override them. */
export function toolkitTags(tenantKey: string, environmentKey: string): Record<string, string> {
  return { 'managed-by': 'entra-audit-logging', 'entra-audit-stack': `${tenantKey}-${environmentKey}` };
}
const TOOLKIT_TAG_NAMES = Object.keys(toolkitTags('t', 'e'));

/**
 * Problems with an environment's `tags`: Azure's limits (50 per resource including the toolkit's
 * own, name and value lengths, characters; 128-character names when a storage account is created)
 * and the toolkit's tag names, compared without case as Azure compares them.
 */
export function tagProblems(tags: Readonly<Record<string, string>> | undefined, createsStorageAccount: boolean): Problem[] {
  if (tags === undefined) return [];
  const problems = azureTagProblems(tags, {
    maxNameChars: createsStorageAccount ? MAX_STORAGE_ACCOUNT_TAG_NAME_CHARS : MAX_TAG_NAME_CHARS,
    reservedCount: TOOLKIT_TAG_NAMES.length,
  });
  for (const name of Object.keys(tags)) {
    const own = TOOLKIT_TAG_NAMES.find((t) => t === name.toLowerCase());
    if (own) problems.push({ path: joinPath('tags', name), got: name, expected: `a tag name other than ${show(own)}: the toolkit sets ${TOOLKIT_TAG_NAMES.map((t) => show(t)).join(' and ')} itself (scripts and reviewers find its resources by them)` });
  }
  return problems;
}

/** The Terraform state key an azurerm backend uses when the configuration sets none. */
export function defaultStateKey(stackId: string): string {
  return `entra-audit/${stackId}.tfstate`;
}

/**
 * Where a stack's state lives, as a comparable string. A relative local path is read from the project
 * folder (see state-paths.ts), so two environments naming the same relative file share one state.
 */
export function stateLocation(plan: Pick<StackPlan, 'id' | 'backend'>): string {
  const b = plan.backend;
  if (b.type === 'azurerm') {
    // Storage account names are globally unique, so the account, container and blob name identify the state.
    return `azurerm storage account ${b.storageAccountName.toLowerCase()}, container ${b.containerName}, key ${b.key ?? defaultStateKey(plan.id)}`;
  }
  const path = posix.normalize(b.path ?? defaultStateFile(plan.id));
  return `local file ${path}${posix.isAbsolute(path) ? '' : ' (in the project folder)'}`;
}

/**
 * Problems between environments: the same explicit storage account or Event Hubs namespace name
 * (both globally unique: learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules,
 * Microsoft.Storage; learn.microsoft.com/azure/templates/microsoft.eventhub/namespaces, "Resource
 * name must be unique across Azure"), and two stacks on one Terraform state (each plan would destroy
 * the other's resources). Each names both environments.
 */
export function crossEnvironmentProblems(plans: readonly StackPlan[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const claims = new Map<string, string>();
  const claim = (key: string, path: string, got: unknown, expected: (other: string) => string) => {
    const other = claims.get(key);
    if (other !== undefined) out.push({ path, text: renderProblem({ path, got, expected: expected(other) }) });
    else claims.set(key, path);
  };
  for (const plan of plans) {
    const at = `${joinPath(joinPath('tenants', plan.tenantKey) + '.environments', plan.environmentKey)}`;
    const account = plan.storage && plan.storage.existingAccountId === undefined ? plan.storage.accountName : undefined;
    if (account !== undefined) {
      claim(`storage ${account.toLowerCase()}`, `${at}.storage.accountName`, account, (other) => `a storage account name not used by ${other}: storage account names are globally unique in Azure`);
    }
    const namespace = plan.eventHub && plan.eventHub.existingNamespaceId === undefined ? plan.eventHub.namespaceName : undefined;
    if (namespace !== undefined) {
      claim(`namespace ${namespace.toLowerCase()}`, `${at}.eventHub.namespaceName`, namespace, (other) => `a namespace name not used by ${other}: Event Hubs namespace names are globally unique in Azure`);
    }
    const setting = plan.backend.type === 'azurerm' ? 'backend.key' : 'backend.path';
    claim(`state ${stateLocation(plan)}`, `${at}.backend`, stateLocation(plan), (other) => `a state of its own, not the one of ${other.replace(/\.backend$/, '')}: each stack's plan would destroy the other's resources; set ${setting} to a distinct value`);
  }
  return out;
}

#!/usr/bin/env node
// Who signs in, to which tenant and subscription, for one stack in one job.
//
//   VARS_JSON='${{ toJSON(vars) }}' node .github/scripts/stack-context.js --stack contoso-prod --role planner
//
// The tenant and subscription come from the synthesized stack (the azurerm provider block of
// cdktf.out/stacks/<stack>/cdk.tf.json), so many tenants need no per-tenant variables for them. The client id
// of the role's app registration comes from the GitHub variable AZURE_<ROLE>_CLIENT_ID_<TENANT> (tenant key in
// capitals, for a tenant with its own app) or else AZURE_<ROLE>_CLIENT_ID; a variable set on the job's GitHub
// environment takes precedence over a repository one (GitHub's own rule for the `vars` context).
//
// Writes tenant-id, subscription-id and client-id to $GITHUB_OUTPUT and ARM_TENANT_ID, ARM_SUBSCRIPTION_ID,
// ARM_CLIENT_ID to $GITHUB_ENV (for Terraform's azurerm/azuread providers and the azurerm backend).
// Exit 1 with one message per problem: no synthesized stack, no azurerm backend (state in a local file would
// be lost with the runner), no or malformed client id. Exit 2: usage error.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROLES = ['reader', 'planner', 'deployer'];
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STACK_RE = /^[a-z0-9]+-[a-z0-9]+$/;
/** cdk.tf.json of one stack is well under this (the review tools read up to 8 MiB per stack). */
const MAX_STACK_BYTES = 8 * 1024 * 1024;

/** The variable names tried for a role's client id, most specific first. */
function variableNames(role, stack) {
  const base = `AZURE_${role.toUpperCase()}_CLIENT_ID`;
  return [`${base}_${stack.split('-')[0].toUpperCase()}`, base];
}

/** Case-insensitive lookup: GitHub variable names are not case-sensitive. */
function lookup(vars, name) {
  const key = Object.keys(vars).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : vars[key];
}

/**
 * @returns `{ problems: string[], context?: { tenantId, subscriptionId, clientId, clientIdFrom } }`
 */
function stackContext({ stack, role, cdktfOut, vars }) {
  const problems = [];
  const file = path.join(cdktfOut, 'stacks', stack, 'cdk.tf.json');
  let config;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_STACK_BYTES) problems.push(`${file} is ${size} bytes, more than ${MAX_STACK_BYTES}; is it a synthesized stack?`);
    else config = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file} cannot be read (${e.code || e.message}): run \`npm run synth\` (the build job's cdktf-out artifact) before this step, and check that ${stack} is a stack of the configuration`);
  }
  let tenantId;
  let subscriptionId;
  if (config) {
    const provider = ((config.provider || {}).azurerm || [])[0] || {};
    tenantId = provider.tenant_id;
    subscriptionId = provider.subscription_id;
    if (!GUID_RE.test(String(tenantId))) problems.push(`${file}: provider.azurerm[0].tenant_id is ${JSON.stringify(tenantId)}, expected the tenant GUID`);
    if (!GUID_RE.test(String(subscriptionId))) problems.push(`${file}: provider.azurerm[0].subscription_id is ${JSON.stringify(subscriptionId)}, expected a subscription GUID`);
    const backend = (config.terraform || {}).backend || {};
    if (!backend.azurerm) {
      const kind = Object.keys(backend)[0] || 'local';
      problems.push(
        `${stack} keeps its Terraform state in a ${kind} backend, which a CI runner loses after the job: ` +
          `set backend: { type: azurerm, resourceGroupName, storageAccountName, containerName } for this environment in the configuration (docs/deployment.md#state)`,
      );
    }
  }
  const names = variableNames(role, stack);
  let clientId;
  let clientIdFrom;
  for (const name of names) {
    const value = lookup(vars, name);
    if (value !== undefined && value !== '') {
      clientId = value;
      clientIdFrom = name;
      break;
    }
  }
  if (clientId === undefined) {
    problems.push(`no client id for the ${role} identity: set the GitHub variable ${names[1]} (or ${names[0]} for this tenant only) to the application (client) id of its app registration (docs/ci-cd.md#identities)`);
  } else if (!GUID_RE.test(clientId)) {
    problems.push(`the GitHub variable ${clientIdFrom} is ${JSON.stringify(clientId.slice(0, 60))}, expected an application (client) id (a GUID)`);
  }
  if (problems.length > 0) return { problems };
  return { problems, context: { tenantId, subscriptionId, clientId, clientIdFrom } };
}

function main(argv, env = process.env, log = (m) => process.stderr.write(`${m}\n`)) {
  const options = new Map();
  for (let i = 0; i < argv.length; i += 2) options.set(argv[i], argv[i + 1]);
  const stack = options.get('--stack') || '';
  const role = options.get('--role') || '';
  const usage = [];
  if (!STACK_RE.test(stack)) usage.push(`--stack must be a stack id like contoso-prod, got ${JSON.stringify(stack)}`);
  if (!ROLES.includes(role)) usage.push(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  let vars;
  try {
    vars = JSON.parse(env.VARS_JSON || '{}');
  } catch {
    usage.push('VARS_JSON must be the JSON of the vars context: env: { VARS_JSON: ${{ toJSON(vars) }} }');
  }
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV']) if (!env[name]) usage.push(`${name} is not set: this runs inside a GitHub Actions step`);
  if (usage.length > 0) {
    for (const u of usage) log(`stack-context: ${u}`);
    return 2;
  }
  const { problems, context } = stackContext({ stack, role, cdktfOut: options.get('--cdktf-out') || 'cdktf.out', vars: vars || {} });
  if (problems.length > 0) {
    for (const p of problems) log(`::error title=${stack}::${p}`);
    return 1;
  }
  fs.appendFileSync(env.GITHUB_OUTPUT, `tenant-id=${context.tenantId}\nsubscription-id=${context.subscriptionId}\nclient-id=${context.clientId}\n`);
  fs.appendFileSync(env.GITHUB_ENV, `ARM_TENANT_ID=${context.tenantId}\nARM_SUBSCRIPTION_ID=${context.subscriptionId}\nARM_CLIENT_ID=${context.clientId}\n`);
  log(`${stack}: ${role} identity from ${context.clientIdFrom}, tenant ${context.tenantId}, subscription ${context.subscriptionId}`);
  return 0;
}

module.exports = { stackContext, variableNames, main };

if (require.main === module) process.exitCode = main(process.argv.slice(2));

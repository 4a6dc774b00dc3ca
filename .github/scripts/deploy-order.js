#!/usr/bin/env node
// Dev before prod: a production stack is planned only after every non-production stack of the same tenant
// is at this commit in this workflow run: applied, or planned with nothing to change. Each apply job (and
// each plan job that found no changes) uploads `applied/<stack>` holding the commit; the production plan job
// downloads them all and runs
//
//   node .github/scripts/deploy-order.js --stack contoso-prod --non-production '["contoso-dev","fabrikam-test"]' \
//        --applied applied --sha <sha>
//
// Exit 0: every predecessor applied this commit (or the tenant has none); 1: one or more did not (each
// named); 2: usage error. Stack ids are `<tenant>-<environment>`, tenant keys have no hyphen.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const STACK_RE = /^[a-z0-9]+-[a-z0-9]+$/;

/** The non-production stacks of the stack's tenant. */
function predecessorsOf(stack, nonProduction) {
  const tenant = stack.split('-')[0];
  return nonProduction.filter((s) => s.split('-')[0] === tenant && s !== stack);
}

/** One message per predecessor that did not apply `sha` in this run. */
function missingPredecessors({ stack, nonProduction, appliedDir, sha }) {
  const problems = [];
  for (const before of predecessorsOf(stack, nonProduction)) {
    const file = path.join(appliedDir, before);
    let applied;
    try {
      applied = fs.readFileSync(file, 'utf8').trim();
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
      problems.push(`${before} was neither applied nor found unchanged in this run (its plan, gate or apply did not succeed), so ${stack} waits: fix ${before} first, then re-run this workflow`);
      continue;
    }
    if (applied !== sha) problems.push(`${before} applied commit ${applied.slice(0, 7)}, not ${sha.slice(0, 7)}: re-run this workflow`);
  }
  return problems;
}

function main(argv, log = (m) => process.stderr.write(`${m}\n`)) {
  const options = new Map();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      log(`deploy-order: expected --stack <id> --non-production <json> --applied <dir> --sha <sha>, got ${JSON.stringify(argv.join(' '))}`);
      return 2;
    }
    options.set(argv[i], argv[i + 1]);
  }
  const stack = options.get('--stack') || '';
  const sha = options.get('--sha') || '';
  const appliedDir = options.get('--applied') || '';
  let nonProduction;
  try {
    nonProduction = JSON.parse(options.get('--non-production') || '');
  } catch {
    nonProduction = undefined;
  }
  const usage = [];
  if (!STACK_RE.test(stack)) usage.push(`--stack must be a stack id like contoso-prod, got ${JSON.stringify(stack)}`);
  if (!/^[0-9a-f]{7,64}$/.test(sha)) usage.push(`--sha must be a commit SHA, got ${JSON.stringify(sha)}`);
  if (appliedDir === '') usage.push('--applied <dir> is required');
  if (!Array.isArray(nonProduction) || !nonProduction.every((s) => typeof s === 'string' && STACK_RE.test(s))) {
    usage.push(`--non-production must be a JSON array of stack ids, got ${JSON.stringify(options.get('--non-production'))}`);
  }
  if (usage.length > 0) {
    for (const u of usage) log(`deploy-order: ${u}`);
    return 2;
  }
  const before = predecessorsOf(stack, nonProduction);
  const problems = missingPredecessors({ stack, nonProduction, appliedDir, sha });
  for (const p of problems) log(p);
  if (problems.length === 0) log(before.length === 0 ? `${stack}: its tenant has no non-production stack to wait for.` : `${stack}: ${before.join(', ')} applied this commit first.`);
  return problems.length > 0 ? 1 : 0;
}

module.exports = { predecessorsOf, missingPredecessors, main };

if (require.main === module) process.exitCode = main(process.argv.slice(2));

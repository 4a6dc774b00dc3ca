#!/usr/bin/env node
// The audit-risk gate of the workflows: each plan (and the synth diff) records its outcome in a small JSON
// file; one gate job reads them all and decides. It is a required check on pull requests, and it decides
// which stacks of a deploy may go on to their apply job.
//
//   node .github/scripts/review-gate.js record --out gate/contoso-prod.json --name contoso-prod --sha <sha> \
//        [--detailed] --exit init=0 --exit plan=2 --exit summary=1
//   node .github/scripts/review-gate.js evaluate --results gate --expect '["synth-diff","contoso-prod"]' --sha <sha> \
//        [--accepted true|false] [--label audit-risk-accepted] [--summary <file>] [--apply-out <file>]
//
// `record` exits 1 when a step failed (after writing the file), so the job that ran the steps goes red.
// `evaluate` exits 1 when any expected result is missing, failed, or carries an audit risk that is not
// accepted; it still writes --summary and --apply-out (the stacks that may be applied) first.
// Exit 2: usage error. Plain CommonJS without dependencies.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const NAME_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SHA_RE = /^[0-9a-f]{7,64}$/;
/** The largest result file read; a real one is about 200 bytes. */
const MAX_RESULT_BYTES = 64 * 1024;

class UsageError extends Error {}

/**
 * What each step's exit code means. `plan` with -detailed-exitcode: 0 no changes, 2 changes.
 * `summary` (plan:summary or synth:diff with --fail-on-risk): 0 no risk, 1 audit risk.
 */
function stepOk(step, code, detailed) {
  if (step === 'plan') return code === 0 || (detailed && code === 2);
  if (step === 'summary') return code === 0 || code === 1;
  return code === 0;
}

/**
 * The outcome of one review from its steps' exit codes, in the order they ran. A step with no code
 * (empty: it did not run because an earlier one failed) ends the list.
 */
function outcome({ name, sha, detailed, exits }) {
  let failedStep;
  let changes = null;
  let risk = false;
  for (const [step, raw] of exits) {
    if (raw === '' || raw === undefined) {
      failedStep = failedStep || step;
      break;
    }
    const code = Number(raw);
    if (!Number.isInteger(code) || !stepOk(step, code, detailed)) {
      failedStep = step;
      break;
    }
    if (step === 'plan' && detailed) changes = code === 2;
    if (step === 'summary') risk = code === 1;
  }
  return { name, sha, status: failedStep ? 'failed' : 'ok', failedStep: failedStep || null, changes, risk: failedStep ? false : risk };
}

/**
 * The gate's decision over the recorded outcomes.
 * @param expected  names that must have a result (the synth diff, every stack planned)
 * @param results   parsed result files, by name
 * @param accepted  the acceptance label is set (audit risks do not block)
 * @returns `{ blocked: string[], apply: string[], rows }`
 */
function decide({ expected, results, sha, accepted, label }) {
  const blocked = [];
  const apply = [];
  const rows = [];
  for (const name of expected) {
    const r = results.get(name);
    let verdict;
    if (r === undefined) {
      verdict = 'no result: its job did not finish (cancelled, skipped or failed before recording)';
      blocked.push(`${name}: ${verdict}`);
    } else if (sha && r.sha !== sha) {
      verdict = `result is for commit ${String(r.sha).slice(0, 7)}, not ${sha.slice(0, 7)}: re-run the workflow`;
      blocked.push(`${name}: ${verdict}`);
    } else if (r.status !== 'ok') {
      verdict = `failed at \`${r.failedStep}\`: see its job`;
      blocked.push(`${name}: failed at ${r.failedStep}`);
    } else if (r.risk && !accepted) {
      verdict = `audit risk, not accepted: a maintainer who has read the risk adds the label \`${label}\``;
      blocked.push(`${name}: audit risk not accepted (label ${label})`);
    } else {
      verdict = r.risk ? `audit risk, accepted by the label \`${label}\`` : 'no audit risk';
      if (r.changes !== false) apply.push(name);
      if (r.changes === false) verdict += '; no changes';
    }
    rows.push({ name, verdict, ok: !blocked.some((b) => b.startsWith(`${name}:`)) });
  }
  return { blocked, apply, rows };
}

function renderSummary({ rows, blocked, accepted, label }) {
  const out = ['### Audit risk gate', '', '| Review | Verdict |', '|---|---|'];
  for (const row of rows) out.push(`| ${row.ok ? '✅' : '❌'} <code>${row.name}</code> | ${row.verdict} |`);
  out.push('');
  if (rows.length === 0) out.push('Nothing to check.', '');
  if (blocked.length > 0) out.push(`**Blocked:** ${blocked.length} of ${rows.length}.`, '');
  out.push(accepted ? `The label \`${label}\` is set: audit risks are accepted.` : `Audit risks block until the label \`${label}\` is set.`);
  return `${out.join('\n')}\n`;
}

function readResults(dir) {
  const results = new Map();
  if (!fs.existsSync(dir)) return results;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const full = path.join(dir, file);
    const size = fs.statSync(full).size;
    if (size > MAX_RESULT_BYTES) throw new UsageError(`${full} is ${size} bytes, more than a result file can be (${MAX_RESULT_BYTES}); it was not written by \`record\``);
    let parsed;
    try {
      parsed = JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (e) {
      throw new UsageError(`${full} is not JSON (${e.message}); it was not written by \`record\``);
    }
    if (!parsed || typeof parsed.name !== 'string') throw new UsageError(`${full} has no "name"; it was not written by \`record\``);
    results.set(parsed.name, parsed);
  }
  return results;
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const options = new Map();
  const exits = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--detailed') {
      options.set('--detailed', 'true');
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`);
    if (i + 1 >= rest.length) throw new UsageError(`${arg} needs a value`);
    const value = rest[++i];
    if (arg === '--exit') {
      const match = /^([a-z-]+)=(-?\d*)$/.exec(value);
      if (!match) throw new UsageError(`--exit takes <step>=<exit code>, got ${JSON.stringify(value)}`);
      exits.push([match[1], match[2]]);
    } else options.set(arg, value);
  }
  return { command, options, exits };
}

function required(options, name) {
  const value = options.get(name);
  if (value === undefined || value === '') throw new UsageError(`${name} is required`);
  return value;
}

function jsonList(text, name) {
  let list;
  try {
    list = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name} must be a JSON array of names, got ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (!Array.isArray(list) || !list.every((n) => typeof n === 'string' && NAME_RE.test(n))) {
    throw new UsageError(`${name} must be a JSON array of names (lowercase letters, digits, hyphens), got ${JSON.stringify(text.slice(0, 80))}`);
  }
  return list;
}

function main(argv, log = (m) => process.stderr.write(`${m}\n`)) {
  try {
    const { command, options, exits } = parseArgs(argv);
    if (command === 'record') {
      const name = required(options, '--name');
      if (!NAME_RE.test(name)) throw new UsageError(`--name must be a stack id or synth-diff, got ${JSON.stringify(name)}`);
      const sha = required(options, '--sha');
      if (!SHA_RE.test(sha)) throw new UsageError(`--sha must be a commit SHA, got ${JSON.stringify(sha)}`);
      if (exits.length === 0) throw new UsageError('give at least one --exit <step>=<code>');
      const result = outcome({ name, sha, detailed: options.has('--detailed'), exits });
      const out = required(options, '--out');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${JSON.stringify(result)}\n`);
      if (result.status !== 'ok') {
        log(`${name}: ${result.failedStep} failed; see that step's log above.`);
        return 1;
      }
      log(`${name}: ok${result.changes === null ? '' : result.changes ? ', changes' : ', no changes'}${result.risk ? ', audit risk' : ''}`);
      return 0;
    }
    if (command === 'evaluate') {
      const expected = jsonList(required(options, '--expect'), '--expect');
      const accepted = (options.get('--accepted') || 'false') === 'true';
      const label = options.get('--label') || 'audit-risk-accepted';
      const sha = options.get('--sha');
      const results = readResults(required(options, '--results'));
      const decision = decide({ expected, results, sha, accepted, label });
      const summary = renderSummary({ ...decision, accepted, label });
      if (options.has('--summary')) fs.appendFileSync(options.get('--summary'), summary);
      if (options.has('--apply-out')) fs.writeFileSync(options.get('--apply-out'), `${JSON.stringify(decision.apply)}\n`);
      for (const b of decision.blocked) log(`blocked: ${b}`);
      return decision.blocked.length > 0 ? 1 : 0;
    }
    throw new UsageError(`unknown command ${JSON.stringify(command)}; expected record or evaluate`);
  } catch (e) {
    if (e instanceof UsageError) {
      log(`review-gate: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/**
 * The labels of the pull request(s) merged as the given commit (for the deploy gate, which runs on the push
 * to main): `GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`, merged ones only.
 */
async function mergedPullRequestLabels({ github, context }, { sha }) {
  const { owner, repo } = context.repo;
  const { data } = await github.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha });
  const labels = new Set();
  for (const pr of data) {
    if (!pr.merged_at) continue;
    for (const l of pr.labels || []) labels.add(typeof l === 'string' ? l : l.name);
  }
  return [...labels].sort();
}

module.exports = { outcome, decide, renderSummary, main, mergedPullRequestLabels };

if (require.main === module) process.exitCode = main(process.argv.slice(2));

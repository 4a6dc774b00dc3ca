// One GitHub issue per stack for drift: opened, or updated if it is still open, when the nightly plan finds
// changes or fails; closed with a comment when the stack is clean again.
//
// An issue is the stack's when the first line of its body is `<!-- entra-audit-drift:<stack> -->`; only open
// issues are searched, so a closed one stays closed as history and a new drift opens a new issue.
// Loaded from actions/github-script:
//   const { driftIssue } = require(`${process.env.GITHUB_WORKSPACE}/.github/scripts/drift-issue.js`);
//   await driftIssue({ github, context, core }, { stack, status: 'drift' | 'clean' | 'failed', summaryFile, log });
'use strict';
const fs = require('node:fs');
const { firstErrorLines } = require('./sticky-comment.js');

/** An issue body is limited to 65,536 characters, like a comment. */
const MAX_BODY_CHARS = 65536;
const STATUSES = ['drift', 'clean', 'failed'];

const markerFor = (stack) => `<!-- entra-audit-drift:${stack} -->`;

function readOptional(file) {
  if (!file) return '';
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return '';
    throw e;
  }
}

function renderBody({ stack, status, summary, log, sha, runUrl, now }) {
  const head = [
    markerFor(stack),
    `**Stack:** <code>${stack}</code> · **checked:** ${now} · **commit:** <code>${String(sha).slice(0, 7)}</code> · [workflow run](${runUrl})`,
    '',
  ];
  if (status === 'drift') {
    head.push(
      'The nightly `terraform plan -detailed-exitcode` found differences between this stack\'s configuration on the default branch and what is deployed. ' +
        'Either someone changed the deployment outside Terraform (the portal, the CLI), or a change merged to the default branch has not been applied yet. ' +
        'Read the plan below; to restore the configuration, run the deploy workflow (docs/ci-cd.md#drift).',
      '',
    );
  } else {
    const excerpt = firstErrorLines(log);
    head.push('The nightly drift check could not plan this stack, so drift in it would go unnoticed until this is fixed.', '');
    if (excerpt) head.push('```text', excerpt.replace(/```/g, '` ` `'), '```', '');
  }
  const footer = `\n\nThis issue is updated by every drift run and closed by the first run that finds no drift.`;
  let middle = status === 'drift' ? summary.split('\n').slice(1).join('\n') : '';
  const budget = MAX_BODY_CHARS - head.join('\n').length - footer.length - 200;
  if (middle.length > budget) middle = `${middle.slice(0, budget)}\n\n… cut to fit an issue: the whole plan summary is in the workflow run.`;
  return `${head.join('\n')}${middle}${footer}\n`;
}

/**
 * @param options.stack        stack id
 * @param options.status       drift (plan exit 2), clean (exit 0) or failed (anything else)
 * @param options.summaryFile  plan:summary markdown (for drift)
 * @param options.log          the plan log (for failed)
 * @param options.now          ISO time of the check @default the current time
 * @returns `{ action: 'created' | 'updated' | 'closed' | 'none', number? }`
 */
async function driftIssue({ github, context, core }, options) {
  const { stack, status } = options;
  if (!/^[a-z0-9]+-[a-z0-9]+$/.test(String(stack)) || !STATUSES.includes(status)) {
    core.setFailed(`drift issue: expected a stack id and a status of ${STATUSES.join(', ')}, got ${JSON.stringify({ stack, status })}`);
    return undefined;
  }
  const { owner, repo } = context.repo;
  const runUrl = options.runUrl || `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const now = options.now || new Date().toISOString();
  const issues = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: 'open', per_page: 100 });
  const marker = markerFor(stack);
  const existing = issues.filter((i) => !i.pull_request && typeof i.body === 'string' && i.body.split('\n', 1)[0].trim() === marker).sort((a, b) => a.number - b.number)[0];

  if (status === 'clean') {
    if (!existing) return { action: 'none' };
    await github.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: `No drift in <code>${stack}</code> as of ${now} ([workflow run](${runUrl})). Closing.` });
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, state: 'closed', state_reason: 'completed' });
    core.info(`Closed issue #${existing.number}: ${stack} is clean.`);
    return { action: 'closed', number: existing.number };
  }
  const body = renderBody({ stack, status, summary: readOptional(options.summaryFile), log: readOptional(options.log), sha: context.sha, runUrl, now });
  const title = status === 'drift' ? `Drift in ${stack}` : `Drift check failing for ${stack}`;
  if (existing) {
    await github.rest.issues.update({ owner, repo, issue_number: existing.number, title, body });
    core.info(`Updated issue #${existing.number} (${status}).`);
    return { action: 'updated', number: existing.number };
  }
  const created = await github.rest.issues.create({ owner, repo, title, body });
  core.info(`Opened issue #${created.data.number} (${status}).`);
  return { action: 'created', number: created.data.number };
}

module.exports = { driftIssue, renderBody, markerFor };

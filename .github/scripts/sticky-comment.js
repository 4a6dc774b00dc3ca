// One pull-request comment per review (per stack plan, and the synth diff), updated in place.
//
// A comment is ours when its first line is the hidden marker of its review, e.g.
// `<!-- entra-audit-plan:contoso-prod -->` (written by plan:summary) or `<!-- entra-audit-synth-diff -->`
// (written by synth:diff); the author does not matter, so a run with a user token updates the comment a
// GitHub App token wrote before, and the other way round. The second line records the commit the comment
// describes (`<!-- entra-audit-commit:<sha> -->`), so that a later run can mark it outdated.
//
// Loaded from actions/github-script, which passes its Octokit client (`github`), `context` and `core`:
//   const { stickyComment } = require(`${process.env.GITHUB_WORKSPACE}/.github/scripts/sticky-comment.js`);
// Plain CommonJS without dependencies: it runs the same under actions/github-script and under node in the tests.
'use strict';
const fs = require('node:fs');

/** A GitHub comment body is limited to 65,536 characters. */
const MAX_BODY_CHARS = 65536;
/** The most read from a plan log for the failure notice. */
const MAX_LOG_BYTES = 1024 * 1024;
const MARKER_RE = /^<!-- (entra-audit-[A-Za-z0-9:._-]+) -->$/;
const COMMIT_RE = /^<!-- entra-audit-commit:([0-9a-f]{7,64}) -->$/;
const OUTDATED_START = '<!-- entra-audit-outdated -->';
const OUTDATED_END = '<!-- /entra-audit-outdated -->';
const ERROR_LINE_RE = /^(?:[│|]\s*)?Error:/;

const short = (sha) => String(sha).slice(0, 7);
const lines = (text) => text.replace(/\r\n/g, '\n').split('\n');

/** The marker name of a comment body (`entra-audit-plan:contoso-prod`), or undefined. */
function markerOf(body) {
  if (typeof body !== 'string') return undefined;
  const match = MARKER_RE.exec(lines(body)[0]);
  return match ? match[1] : undefined;
}

/** The commit a comment body describes, or undefined. */
function commitOf(body) {
  if (typeof body !== 'string') return undefined;
  const match = COMMIT_RE.exec(lines(body)[1] || '');
  return match ? match[1] : undefined;
}

/** A fence of backticks longer than any run of backticks in `text`, so the text cannot close it. */
function fenceFor(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) || []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * The lines worth showing from a failed Terraform log: from the first `Error:` line (Terraform's
 * diagnostics, with or without the box drawing), else the last lines. ANSI colours are removed.
 */
function firstErrorLines(log, { maxLines = 20, maxChars = 4000 } = {}) {
  // eslint-disable-next-line no-control-regex
  const all = lines(String(log).replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')).map((l) => l.replace(/\s+$/, ''));
  const start = all.findIndex((l) => ERROR_LINE_RE.test(l.trimStart()));
  let picked;
  if (start >= 0) picked = all.slice(start, start + maxLines);
  else {
    const nonEmpty = all.filter((l) => l.trim() !== '');
    picked = nonEmpty.slice(-maxLines);
  }
  while (picked.length > 0 && picked[picked.length - 1].trim() === '') picked.pop();
  let text = picked.join('\n');
  if (text.length > maxChars) text = `${text.slice(0, maxChars)}\n… (cut at ${maxChars} characters)`;
  return text;
}

/** Reads at most MAX_LOG_BYTES from the end of a log file; a missing file reads as ''. */
function readLogTail(file) {
  if (!file) return '';
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if (e && e.code === 'ENOENT') return '';
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, MAX_LOG_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The notice that replaces a summary when the step that writes it failed. */
function renderFailure({ marker, title, step, log, sha, runUrl }) {
  const excerpt = firstErrorLines(log);
  const out = [
    `<!-- ${marker} -->`,
    `### ❌ ${title}`,
    '',
    `\`${step}\` failed for commit \`${short(sha)}\`, so there is no summary for this commit. ` +
      'Any earlier summary was replaced by this notice so that it cannot be mistaken for the current one.',
    '',
  ];
  if (excerpt) {
    const fence = fenceFor(excerpt);
    out.push(`First error lines of \`${step}\`:`, '', `${fence}text`, excerpt, fence, '');
  }
  out.push(`The whole log is in the [workflow run](${runUrl}).`);
  return out.join('\n');
}

/** Adds the commit marker after the first line and the footer, cutting the middle if the comment would be too long. */
function decorate(body, { sha, runUrl, notes = [] }) {
  const [first, ...rest] = lines(body);
  const head = `${first}\n<!-- entra-audit-commit:${sha} -->\n`;
  const footer = ['', '---', `<sub>Commit <code>${short(sha)}</code> · [workflow run](${runUrl})</sub>`, ...notes.map((n) => `\n${n}`)].join('\n');
  let middle = rest.join('\n').replace(/\s+$/, '');
  const budget = MAX_BODY_CHARS - head.length - footer.length - 1;
  if (middle.length > budget) {
    const note = `\n\n… cut to fit a GitHub comment: the whole summary is in the [workflow run](${runUrl}).`;
    const cut = middle.lastIndexOf('\n', budget - note.length);
    middle = middle.slice(0, cut > 0 ? cut : budget - note.length) + note;
  }
  return `${head}${middle}\n${footer}\n`;
}

/** The label names of the pull request the run is for. */
const labelsOf = (context) => ((context.payload.pull_request && context.payload.pull_request.labels) || []).map((l) => (typeof l === 'string' ? l : l.name));

/** What the audit risks of a summary mean for the merge: the gate fails until the label is set. */
function riskNote({ label, labels }) {
  return labels.includes(label)
    ? `⚠️ **Audit risk accepted** with the label \`${label}\`: the Audit risk gate check passes.`
    : `⛔ **Audit risk:** the Audit risk gate check fails until a maintainer who has read the risks above adds the label \`${label}\` to this pull request.`;
}

/** The HTTP status of an Octokit error, or undefined. */
const statusOf = (error) => (error && typeof error.status === 'number' ? error.status : undefined);

async function listComments(github, { owner, repo, issue_number }) {
  return github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
}

/**
 * Creates or updates the comment of one review.
 *
 * @param tools `{ github, context, core }` from actions/github-script
 * @param options.marker     marker name, e.g. `entra-audit-plan:contoso-prod`
 * @param options.file       the summary (success); must start with the marker
 * @param options.failure    `{ title, step, log }` when the step that writes the summary failed; `log` is a file
 * @param options.notes      extra lines for the footer
 * @param options.risk       the summary has audit risks: the footer says how the label accepts them
 * @param options.riskLabel  the acceptance label @default audit-risk-accepted
 * @param options.sha        commit described @default the pull request's head commit
 * @param options.runUrl     link to the run @default this workflow run
 * @returns `{ action: 'created' | 'updated', id }`, or undefined after core.setFailed
 */
async function stickyComment({ github, context, core }, options) {
  const { owner, repo } = context.repo;
  const issue_number = options.issueNumber ?? context.issue.number;
  const sha = options.sha || (context.payload.pull_request && context.payload.pull_request.head.sha) || context.sha;
  const runUrl = options.runUrl || `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const marker = options.marker;
  if (!MARKER_RE.test(`<!-- ${marker} -->`)) {
    core.setFailed(`sticky comment: marker must look like entra-audit-<name>, got ${JSON.stringify(marker)}`);
    return undefined;
  }
  let body;
  if (options.failure) {
    body = renderFailure({ marker, ...options.failure, log: readLogTail(options.failure.log), sha, runUrl });
  } else {
    try {
      body = fs.readFileSync(options.file, 'utf8');
    } catch (e) {
      core.setFailed(`sticky comment: cannot read ${options.file} (${e.message}); the step that writes it must run first, or pass failure: {...}`);
      return undefined;
    }
    if (markerOf(body) !== marker) {
      const got = lines(body)[0].slice(0, 80);
      core.setFailed(`sticky comment: ${options.file} must start with <!-- ${marker} -->, got ${JSON.stringify(got)}`);
      return undefined;
    }
  }
  const notes = [...(options.notes || [])];
  if (!options.failure && options.risk) notes.push(riskNote({ label: options.riskLabel || 'audit-risk-accepted', labels: labelsOf(context) }));
  body = decorate(body, { sha, runUrl, notes });

  const comments = await listComments(github, { owner, repo, issue_number });
  // Newest first: if someone else posted a comment with the same marker later, ours is still found after it.
  const candidates = comments.filter((c) => markerOf(c.body) === marker).sort((a, b) => b.id - a.id);
  for (const comment of candidates) {
    try {
      await github.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body });
      core.info(`Updated comment ${comment.html_url || comment.id}`);
      return { action: 'updated', id: comment.id };
    } catch (e) {
      const status = statusOf(e);
      if (status !== 403 && status !== 404) throw e;
      const author = comment.user ? comment.user.login : 'unknown';
      core.warning(`Comment ${comment.id} by ${author} carries the marker ${marker} but this token cannot edit it (HTTP ${status}); trying the next one.`);
    }
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  core.info(`Created comment ${created.data.html_url || created.data.id}`);
  return { action: 'created', id: created.data.id };
}

/** The outdated banner, between its own hidden markers so that it can be replaced. */
function outdatedBanner({ oldSha, newSha, runUrl }) {
  return [
    OUTDATED_START,
    '> [!WARNING]',
    `> **Outdated.** This is for commit \`${short(oldSha)}\`; commit \`${short(newSha)}\` is being checked ` +
      `([workflow run](${runUrl})). This comment is replaced when that check finishes; if it stays like this, the check failed before it got here.`,
    OUTDATED_END,
  ].join('\n');
}

/** The body with its outdated banner (re)placed after the two marker lines. */
function markBodyOutdated(body, banner) {
  const all = lines(body);
  const start = all.indexOf(OUTDATED_START);
  const end = all.indexOf(OUTDATED_END);
  const kept = start >= 0 && end > start ? [...all.slice(0, start), ...all.slice(end + 1)] : all;
  const at = commitOf(body) ? 2 : 1;
  return [...kept.slice(0, at), banner, ...kept.slice(at)].join('\n');
}

/**
 * Marks every review comment that describes another commit as outdated, so that nobody reads an old
 * plan as the current one while the new run is under way (or after it failed early).
 * @returns the ids of the comments marked
 */
async function markOutdated({ github, context, core }, options = {}) {
  const { owner, repo } = context.repo;
  const issue_number = options.issueNumber ?? context.issue.number;
  const sha = options.sha || (context.payload.pull_request && context.payload.pull_request.head.sha) || context.sha;
  const runUrl = options.runUrl || `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const comments = await listComments(github, { owner, repo, issue_number });
  const marked = [];
  for (const comment of comments) {
    if (markerOf(comment.body) === undefined) continue;
    const oldSha = commitOf(comment.body);
    if (oldSha === sha) continue;
    const banner = outdatedBanner({ oldSha: oldSha || 'unknown', newSha: sha, runUrl });
    const body = markBodyOutdated(comment.body, banner);
    if (body === comment.body) continue;
    try {
      await github.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body });
      marked.push(comment.id);
    } catch (e) {
      const status = statusOf(e);
      if (status !== 403 && status !== 404) throw e;
      core.warning(`Comment ${comment.id} could not be marked outdated (HTTP ${status}): this token cannot edit it.`);
    }
  }
  core.info(`Marked ${marked.length} comment(s) outdated.`);
  return marked;
}

module.exports = {
  MAX_BODY_CHARS,
  stickyComment,
  markOutdated,
  renderFailure,
  decorate,
  firstErrorLines,
  markerOf,
  commitOf,
  markBodyOutdated,
  riskNote,
};

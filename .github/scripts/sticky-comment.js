// Creates or updates one pull-request comment, found by the hidden marker on the first line of its body
// (`<!-- entra-audit-plan:<stack> -->` or `<!-- entra-audit-synth-diff -->`, written by plan:summary and
// synth:diff). Called from actions/github-script, which provides `github` and `context`.
const fs = require('node:fs');

module.exports = async function stickyComment({ github, context, core }, file) {
  const body = fs.readFileSync(file, 'utf8');
  const marker = body.split('\n', 1)[0];
  if (!/^<!-- entra-audit-[A-Za-z0-9:._-]+ -->$/.test(marker)) {
    core.setFailed(`${file} does not start with an entra-audit marker, got ${JSON.stringify(marker.slice(0, 80))}`);
    return;
  }
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const existing = comments.find((c) => c.user && c.user.type === 'Bot' && typeof c.body === 'string' && c.body.startsWith(marker));
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    core.info(`Updated comment ${existing.html_url}`);
  } else {
    const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
    core.info(`Created comment ${created.data.html_url}`);
  }
};

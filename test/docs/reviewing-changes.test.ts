/** The example comment in docs/reviewing-changes.md is the output of the command it names. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownBlockAfter } from '../support/doc-block';
import { REPO_ROOT, runScript } from '../support/run-script';

test('the example comment is what plan:summary prints for the example plan', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/reviewing-changes.md'), 'utf8');
  const command = '--stack contoso-prod --commit 4f2c1a9 --full-plan-url https://github.com/contoso/entra-audit/actions/runs/123456789';
  expect(doc).toContain(`\`npm run --silent plan:summary -- test/fixtures/plans/example-prod.json ${command}\``);
  const run = runScript('scripts/plan-summary.ts', ['test/fixtures/plans/example-prod.json', ...command.split(' ')]);
  expect(run.status).toBe(0);
  expect(markdownBlockAfter(doc, '## Example comment')).toBe(run.stdout);
});

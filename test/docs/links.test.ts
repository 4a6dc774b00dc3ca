/**
 * Every relative link of the README, the library's README, docs/ and examples/ resolves: the file or directory exists, and
 * an #anchor names a heading of the page it points to.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { brokenLinks, markdownAnchors, markdownLinks } from '../../scripts/lib/docs/markdown-links';
import { REPO_ROOT } from '../support/run-script';

/** Pages linked before they are written, with why; empty: a missing page fails like any other. */
const PENDING_PAGES: Readonly<Record<string, string>> = {};

function markdownFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [relative(REPO_ROOT, join(REPO_ROOT, path))] : [];
  });
}

describe('links in the documentation', () => {
  const files = ['README.md', 'library/README.md', ...markdownFiles('docs'), ...markdownFiles('examples')];

  test('covers the README, every docs page and every example README', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md', 'docs/configuration-reference.md', 'docs/operations.md', 'examples/minimal-dev/README.md']));
  });

  test('every relative link and anchor resolves', () => {
    const broken = files.flatMap((file) => brokenLinks(REPO_ROOT, file, PENDING_PAGES));
    expect(broken.map((b) => `${b.file}:${b.line}: ${b.target}: ${b.problem}`)).toEqual([]);
  });

  test('every docs page has a contents list', () => {
    for (const file of markdownFiles('docs')) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      expect({ file, contents: /\n## Contents\n\n- \[/.test(text) }).toEqual({ file, contents: true });
    }
  });
});

describe('markdownLinks', () => {
  test('finds inline links and images with their lines, not links in code', () => {
    const text = ['# T', 'See [a](a.md) and ![i](img.png "title").', '`[not](code.md)`', '```', '[not](fenced.md)', '```', '[c](#x) [d](<d.md>)'].join('\n');
    expect(markdownLinks(text)).toEqual([
      { line: 2, target: 'a.md' },
      { line: 2, target: 'img.png' },
      { line: 7, target: '#x' },
      { line: 7, target: 'd.md' },
    ]);
  });

  test('skips fenced blocks of four backticks that contain three', () => {
    expect(markdownLinks(['````markdown', '```', '[x](x.md)', '```', '````', '[y](y.md)'].join('\n'))).toEqual([{ line: 6, target: 'y.md' }]);
  });
});

describe('markdownAnchors', () => {
  test('derives GitHub anchors from headings, numbering repeats', () => {
    const text = ['# Title', '## `plan:summary`', '## Exit codes (both commands)', '## Notes', '### Notes', '> ### Quoted heading', '```', '## Not a heading', '```', '<a name="explicit"></a>'].join('\n');
    expect([...markdownAnchors(text)].sort()).toEqual(['exit-codes-both-commands', 'explicit', 'notes', 'notes-1', 'plansummary', 'quoted-heading', 'title'].sort());
  });
});

describe('brokenLinks', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'links-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'page.md'), '# Page\n\n## Known section\n');
    writeFileSync(join(root, 'data.yaml'), 'a: 1\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const check = (markdown: string, pending: Record<string, string> = {}) => {
    writeFileSync(join(root, 'README.md'), markdown);
    return brokenLinks(root, 'README.md', pending).map((b) => `${b.line}: ${b.target}: ${b.problem}`);
  };

  test('accepts existing files, directories, anchors, external links and anchors of the page itself', () => {
    expect(check('# Top\n[a](docs/page.md) [b](docs/) [c](docs/page.md#known-section) [d](https://example.com/x#y) [e](#top) [f](data.yaml)\n')).toEqual([]);
  });

  test('reports a missing file', () => {
    expect(check('[a](docs/missing.md)\n')).toEqual(['1: docs/missing.md: docs/missing.md does not exist']);
  });

  test('reports a missing anchor, on the line it is on', () => {
    expect(check('# Top\n\n[a](docs/page.md#permissions)\n')).toEqual(['3: docs/page.md#permissions: docs/page.md has no heading with the anchor #permissions']);
  });

  test('reports an anchor into a file that is not a markdown page', () => {
    expect(check('[a](data.yaml#L1)\n')).toEqual(['1: data.yaml#L1: #L1 points into data.yaml, which is not a markdown page']);
  });

  test('reports a link that leaves the repository, such as a machine path', () => {
    expect(check('[a](../outside/facts.md)\n')).toEqual(['1: ../outside/facts.md: points outside the repository (../outside/facts.md)']);
  });

  test('lets a pending page be missing, and only that page', () => {
    expect(check('[s](docs/security.md) [t](docs/other.md)\n', { 'docs/security.md': 'elsewhere' })).toEqual(['1: docs/other.md: docs/other.md does not exist']);
  });
});

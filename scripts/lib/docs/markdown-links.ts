/**
 * Finds the relative links of markdown files that do not resolve: a missing file or directory, or
 * an `#anchor` that no heading of the target page produces. Links with a scheme (`https:`,
 * `mailto:`) are not checked; links inside code blocks and code spans are not links.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { headingAnchor } from './config-reference';

/** A link of a markdown file, with the line it is on. */
export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** A link that does not resolve, and why. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly target: string;
  readonly problem: string;
}

/** The lines of `text` outside fenced code blocks (others replaced by empty lines, so numbers stay). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker) {
      fence = marker;
      return '';
    }
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return '';
    }
    return line;
  });
}

/** Inline links and images, `[text](target)` and `![alt](target "title")`, outside code. */
export function markdownLinks(text: string): MarkdownLink[] {
  const out: MarkdownLink[] = [];
  proseLines(text).forEach((line, i) => {
    const withoutCode = line.replace(/(`+)[^`]*?\1/g, '');
    for (const m of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ line: i + 1, target: m[1] });
  });
  return out;
}

/**
 * The anchors GitHub gives the headings of a page: the heading text without markup, lower case,
 * punctuation dropped, spaces as hyphens, and `-1`, `-2`… for repeats. Explicit `<a name>` and
 * `id` attributes count too.
 */
export function markdownAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    for (const m of line.matchAll(/<a\s+(?:name|id)\s*=\s*"([^"]+)"/g)) anchors.add(m[1]);
    const heading = /^(?:>\s*)*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const plain = heading[1]
      .replace(/<[^>]+>/g, '')
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/`/g, '');
    const base = headingAnchor(plain);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The broken relative links of `file` (a path under `root`). `pending` lists repository paths that
 * may be missing for now (pages written elsewhere), each with the reason.
 */
export function brokenLinks(root: string, file: string, pending: Readonly<Record<string, string>> = {}): BrokenLink[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: BrokenLink[] = [];
  for (const link of markdownLinks(text)) {
    if (SCHEME.test(link.target)) continue;
    const [rawPath, anchor] = link.target.split('#', 2) as [string, string | undefined];
    const path = decodeURIComponent(rawPath);
    const targetFile = path === '' ? file : normalize(join(dirname(file), path));
    const where = { file, line: link.line, target: link.target };
    if (targetFile.startsWith('..')) {
      out.push({ ...where, problem: `points outside the repository (${targetFile})` });
      continue;
    }
    const absolute = join(root, targetFile);
    if (!existsSync(absolute)) {
      const key = relative(root, absolute).split('\\').join('/');
      if (pending[key] === undefined) out.push({ ...where, problem: `${key} does not exist` });
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (statSync(absolute).isDirectory() || !absolute.endsWith('.md')) {
      out.push({ ...where, problem: `#${anchor} points into ${targetFile}, which is not a markdown page` });
      continue;
    }
    const anchors = markdownAnchors(readFileSync(absolute, 'utf8'));
    if (!anchors.has(anchor)) out.push({ ...where, problem: `${targetFile} has no heading with the anchor #${anchor}` });
  }
  return out;
}

/** The body of the first ````markdown block after `heading` in a docs page: an example a test keeps up to date. */
export function markdownBlockAfter(doc: string, heading: string): string {
  const at = doc.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`no heading ${JSON.stringify(heading)}`);
  const open = '````markdown\n';
  const start = doc.indexOf(open, at);
  const end = doc.indexOf('\n````', start + open.length);
  if (start < 0 || end < 0) throw new Error(`no \`\`\`\`markdown block after ${JSON.stringify(heading)}`);
  return doc.slice(start + open.length, end + 1);
}

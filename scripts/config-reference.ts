/**
 * Writes docs/configuration-reference.md, generated from the zod schemas of the configuration file,
 * and the generated tables of docs/compliance.md and README.md (the compliance rules and profiles).
 *
 *   npm run docs:config                  # rewrite the pages
 *   npm run docs:config -- --check       # exit 1 if a page is out of date
 *   npm run docs:config -- --check <file>   # check another copy of the configuration reference (tests)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../stacks/config-schema';
import { GENERATED_BLOCKS, regenerate } from './lib/docs/compliance-rules';
import { JsonSchema, PAGE_PATH, REGENERATE_COMMAND, renderConfigReference } from './lib/docs/config-reference';

/** Each page with generated tables: its current text and what it should be. */
function generatedPages(): { file: string; current: string; text: string }[] {
  return Object.keys(GENERATED_BLOCKS).map((file) => {
    const current = readFileSync(file, 'utf8');
    return { file, current, text: regenerate(file, current) };
  });
}

function main(args: readonly string[]): number {
  const check = args.includes('--check');
  const rest = args.filter((a) => a !== '--check');
  if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) {
    process.stderr.write(`usage: ${REGENERATE_COMMAND} [-- --check [<file>]]; got ${rest.join(' ')}\n`);
    return 2;
  }
  const file = rest[0] ?? PAGE_PATH;
  let text: string;
  let pages: { file: string; current: string; text: string }[];
  try {
    text = renderConfigReference(configJsonSchema() as JsonSchema);
    pages = rest[0] === undefined ? generatedPages() : [];
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (check) {
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`cannot read ${file}: ${(e as Error).message}; run ${REGENERATE_COMMAND}\n`);
      return 1;
    }
    const stale = [...(current !== text ? [file] : []), ...pages.filter((p) => p.current !== p.text).map((p) => p.file)];
    if (stale.length > 0) {
      for (const name of stale) process.stderr.write(`${name} is out of date: run ${REGENERATE_COMMAND}\n`);
      return 1;
    }
    for (const name of [file, ...pages.map((p) => p.file)]) process.stdout.write(`${name} is current\n`);
    return 0;
  }
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
  for (const page of pages) {
    if (page.current === page.text) continue;
    writeFileSync(page.file, page.text);
    process.stdout.write(`wrote ${page.file}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));

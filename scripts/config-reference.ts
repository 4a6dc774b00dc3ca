/**
 * Writes docs/configuration-reference.md, generated from the zod schemas of the configuration file.
 *
 *   npm run docs:config                  # rewrite the page
 *   npm run docs:config -- --check       # exit 1 if the page is out of date
 *   npm run docs:config -- --check <file>   # check another copy (tests)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../stacks/config-schema';
import { JsonSchema, PAGE_PATH, REGENERATE_COMMAND, renderConfigReference } from './lib/docs/config-reference';

function main(args: readonly string[]): number {
  const check = args.includes('--check');
  const rest = args.filter((a) => a !== '--check');
  if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) {
    process.stderr.write(`usage: ${REGENERATE_COMMAND} [-- --check [<file>]]; got ${rest.join(' ')}\n`);
    return 2;
  }
  const file = rest[0] ?? PAGE_PATH;
  let text: string;
  try {
    text = renderConfigReference(configJsonSchema() as JsonSchema);
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
    if (current !== text) {
      process.stderr.write(`${file} is out of date: run ${REGENERATE_COMMAND}\n`);
      return 1;
    }
    process.stdout.write(`${file} is current\n`);
    return 0;
  }
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

/**
 * Rewrites the detection catalog table of docs/alerts.md from the catalog.
 *
 *   npm run docs:alerts            # rewrite the table in the page
 *   npm run docs:alerts -- --check # exit 1 if the table is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DETECTIONS } from '../constructs/entra-alert-rules/catalog';
import { LOG_CATEGORIES } from '../constructs/internal/log-categories';
import { PAGE_PATH, REGENERATE_COMMAND, renderCatalogTable, withCatalogTable } from './lib/docs/alert-catalog';

function main(args: readonly string[]): number {
  const check = args.includes('--check');
  if (args.some((a) => a !== '--check')) {
    process.stderr.write(`usage: ${REGENERATE_COMMAND} [--check]; got ${args.join(' ')}\n`);
    return 2;
  }
  const page = readFileSync(PAGE_PATH, 'utf8');
  let next: string;
  try {
    next = withCatalogTable(page, renderCatalogTable(DETECTIONS, LOG_CATEGORIES));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (check) {
    if (next !== page) {
      process.stderr.write(`${PAGE_PATH}: the catalog table is out of date: run ${REGENERATE_COMMAND}\n`);
      return 1;
    }
    process.stdout.write(`${PAGE_PATH}: the catalog table is current\n`);
    return 0;
  }
  writeFileSync(PAGE_PATH, next);
  process.stdout.write(`wrote ${PAGE_PATH}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

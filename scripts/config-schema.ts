/**
 * Writes stacks/environments.schema.json, the JSON Schema editors use for the configuration file
 * (`# yaml-language-server: $schema=./environments.schema.json` at its top).
 *
 *   npm run config:schema            # rewrite the file
 *   npm run config:schema -- --check # exit 1 if the file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../stacks/config-schema';

const FILE = 'stacks/environments.schema.json';
const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  const current = readFileSync(FILE, 'utf8');
  if (current !== text) {
    process.stderr.write(`${FILE} is out of date: run npm run config:schema\n`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(FILE, text);
  process.stdout.write(`wrote ${FILE}\n`);
}

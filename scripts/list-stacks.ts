/**
 * Prints the stack ids of the configuration as a JSON array (for a CI matrix):
 *   npm run --silent stacks:list                       → ["contoso-dev","contoso-prod","fabrikam-prod"]
 *   npm run --silent stacks:list -- --production       → ["contoso-prod","fabrikam-prod"]
 *   npm run --silent stacks:list -- --non-production   → ["contoso-dev"]
 * The deploy workflow uses the two filtered lists to deploy the non-production stacks of a tenant
 * before its production ones (`production: true` in the configuration).
 * Reads stacks/environments.yaml or the file named by ENTRA_AUDIT_CONFIG; exits 1 on an invalid file,
 * 2 on an unknown or contradictory option.
 */
import { ConfigError, CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, loadConfig } from '../stacks/config';

export const USAGE = 'Usage: npm run --silent stacks:list -- [--production | --non-production]';

/** Which stacks to print, from the command line; a string is a usage error. */
export function parseFilter(argv: readonly string[]): 'all' | 'production' | 'non-production' | string {
  const known = ['--production', '--non-production'];
  const unknown = argv.filter((a) => !known.includes(a));
  if (unknown.length > 0) return `unknown option ${JSON.stringify(unknown[0])}; ${USAGE}`;
  const production = argv.includes('--production');
  const nonProduction = argv.includes('--non-production');
  if (production && nonProduction) return `--production and --non-production exclude each other; give one or neither. ${USAGE}`;
  return production ? 'production' : nonProduction ? 'non-production' : 'all';
}

function main(argv: readonly string[]): number {
  const filter = parseFilter(argv);
  if (filter !== 'all' && filter !== 'production' && filter !== 'non-production') {
    process.stderr.write(`stacks:list: ${filter}\n`);
    return 2;
  }
  const file = process.env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
  try {
    const plans = loadConfig(file).filter((p) => filter === 'all' || p.production === (filter === 'production'));
    process.stdout.write(`${JSON.stringify(plans.map((p) => p.id))}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

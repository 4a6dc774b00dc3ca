/**
 * Prints the stack ids of the configuration as a JSON array (for a CI matrix):
 *   npm run --silent stacks:list            → ["contoso-dev","contoso-prod","fabrikam-prod"]
 * Reads stacks/environments.yaml or the file named by ENTRA_AUDIT_CONFIG; exits 1 on an invalid file.
 */
import { ConfigError, CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, loadConfig } from '../stacks/config';

const file = process.env[CONFIG_ENV_VAR] || DEFAULT_CONFIG_PATH;
try {
  process.stdout.write(`${JSON.stringify(loadConfig(file).map((p) => p.id))}\n`);
} catch (e) {
  process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
  process.exitCode = 1;
}

// Entry point of the one-shot setup task (ECS, docker compose): `node deploy/setup/run-setup.ts`.
// Configured by SETUP_* and BROOK_TOPICS_* variables; see deploy/README.md.
import { ConfigError } from '../../src/config/errors.ts';
import { runSetup } from './setup.ts';
import { SetupConfigError } from './steps.ts';

try {
  process.exitCode = await runSetup(process.env);
} catch (err) {
  if (!(err instanceof SetupConfigError || err instanceof ConfigError)) throw err;
  process.stderr.write(`setup: ${err.message}\n`);
  process.exitCode = 2;
}

// Runs the setup steps in order, each `brook` command line as a child process of this Node (the
// CLI's own output and exit code), and stops at the first step that fails.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mapWriterRole } from './opensearch-writer-role.ts';
import { type SetupStep, setupSteps } from './steps.ts';

const BROOK = fileURLToPath(new URL('../../bin/brook.js', import.meta.url));

export interface SetupDeps {
  log?: (line: string) => void;
  /** Runs one `brook` command line; returns its exit code. */
  brook?: (argv: string[]) => number;
  mapRole?: typeof mapWriterRole;
}

const runBrook = (argv: string[]): number => spawnSync(process.execPath, [BROOK, ...argv], { stdio: 'inherit' }).status ?? 1;

/** Returns the exit code: 0, or that of the step that failed. */
export async function runSetup(env: NodeJS.ProcessEnv, deps: SetupDeps = {}): Promise<number> {
  const log = deps.log ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const steps: SetupStep[] = setupSteps(env);
  for (const [i, step] of steps.entries()) {
    log(`setup ${i + 1}/${steps.length}: ${step.title}`);
    if (step.kind === 'brook') {
      const code = (deps.brook ?? runBrook)(step.argv);
      if (code !== 0) {
        log(`setup: failed at step ${i + 1} (brook ${step.argv.slice(0, 2).join(' ')} exited with ${code}); nothing after it ran`);
        return code;
      }
    } else {
      const password = env[step.passwordEnv];
      if (!password) {
        log(`setup: failed at step ${i + 1}: the environment variable ${step.passwordEnv} (the master password) is not set`);
        return 1;
      }
      try {
        await (deps.mapRole ?? mapWriterRole)({ url: step.url, user: step.user, password, roleArn: step.roleArn, indices: step.indices });
      } catch (err) {
        log(`setup: failed at step ${i + 1}: ${(err as Error).message}`);
        return 1;
      }
    }
  }
  log(`setup: done (${steps.length} steps); the setup can be run again at any time`);
  return 0;
}

// Runs `brook opensearch ...` in a child process the way src/cli/main.ts runs a command (exit 2 on
// usage errors, 1 on failures), for tests, until main.ts registers the command.
import { parseCommandArgs, renderHelp, UsageError } from '../../../src/cli/command.ts';
import { opensearchCommand } from '../../../src/cli/opensearch-command.ts';
import { BrookError } from '../../../src/common/errors.ts';

try {
  const { values, positionals } = parseCommandArgs(opensearchCommand, process.argv.slice(2));
  if (values.help) process.stdout.write(renderHelp(opensearchCommand));
  else process.exitCode = await opensearchCommand.run(values, positionals);
} catch (err) {
  if (!(err instanceof BrookError)) throw err;
  process.stderr.write(`brook opensearch: ${err.message}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}

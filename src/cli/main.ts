// The `brook` command table: parses the command name, shows help, runs the command and turns
// errors into a clear message and an exit code (2 for usage errors, 1 for failures).
import { BrookError } from '../common/errors.ts';
import { aclsCommand } from './acls-command.ts';
import { brokerCommand } from './broker-command.ts';
import { certsCommand } from './certs-command.ts';
import { type Command, parseCommandArgs, renderHelp, UsageError } from './command.ts';
import { configCommand } from './config-command.ts';
import { consumeCommand } from './consume-command.ts';
import { dashboardCommand } from './dashboard-command.ts';
import { generateCommand } from './generate-command.ts';
import { groupsCommand } from './groups-command.ts';
import { opensearchCommand } from './opensearch-command.ts';
import { processCommand } from './process-command.ts';
import { produceCommand } from './produce-command.ts';
import { registryCommand } from './registry-command.ts';
import { schemasCommand } from './schemas-command.ts';
import { statusCommand } from './status-command.ts';
import { topicsCommand } from './topics-command.ts';
import { upCommand } from './up-command.ts';
import { usersCommand } from './users-command.ts';
import { webUsersCommand } from './web-users-command.ts';

const COMMANDS: Command[] = [
  upCommand,
  statusCommand,
  configCommand,
  brokerCommand,
  registryCommand,
  generateCommand,
  processCommand,
  dashboardCommand,
  topicsCommand,
  groupsCommand,
  produceCommand,
  consumeCommand,
  schemasCommand,
  usersCommand,
  webUsersCommand,
  aclsCommand,
  certsCommand,
  opensearchCommand,
];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: brook <command> [options]',
    '',
    'Brook: streaming analytics in one process (Kafka-compatible broker, schema registry, processor, dashboard).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'brook <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`brook: unknown command '${name}'\n\n${topHelp()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseCommandArgs(cmd, rest);
    if (values.help) {
      process.stdout.write(renderHelp(cmd));
      return 0;
    }
    return await cmd.run(values, positionals);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`brook ${cmd.name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof BrookError) {
      process.stderr.write(`brook ${cmd.name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main(process.argv.slice(2));

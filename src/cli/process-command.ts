// `brook process`: the stream processor running the clickstream job (spec section 3), from the
// `clickstream` topic to the result topics, with checkpoints; several instances in one --group
// share the partitions; --bounded for replays and tests.
import { PROCESS_OPTIONS, parseProcessConfig } from '../jobs/clickstream/options.ts';
import { runProcess } from '../jobs/clickstream/run.ts';
import type { Command } from './command.ts';
import { untilStopSignal } from './stop-signal.ts';

export const processCommand: Command = {
  name: 'process',
  summary:
    'Run the clickstream job: user sessions, then 10 s windows, from the clickstream topic to Departments_Agg, ' +
    'ClickEvents_UserId_Agg_Result and User_Sessions_Aggregates_With_Order_Checkout. Start it several times with one --group ' +
    'to share the partitions; the 10 s windows are combined through --exchange-topic. Ctrl-C checkpoints and stops.',
  usage:
    'brook process [--bootstrap HOST:PORT] [--registry URL] [--group clickstream-processor] [--exchange-topic TOPIC] [--from earliest|latest|committed] [--bounded] [--checkpoint-dir DIR | --checkpoint-topic TOPIC]',
  options: PROCESS_OPTIONS,
  async run(values) {
    const config = parseProcessConfig(values);
    await runProcess(config, { stop: untilStopSignal() });
    return 0;
  },
};

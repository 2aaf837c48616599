// `brook generate`: the clickstream generator (a port of the reference system's mock producer),
// writing registry-framed Avro ClickEvents to Kafka until its sessions are done, -rf ends or Ctrl-C.
import { GENERATE_OPTIONS, parseGenerateConfig, rewriteShortForms } from '../generator/options.ts';
import { runGenerate } from '../generator/run.ts';
import type { Command } from './command.ts';
import { untilStopSignal } from './stop-signal.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate the e-commerce clickstream (sessions of ClickEvents) into a Kafka topic. Ctrl-C flushes and stops.',
  usage: 'brook generate [-t clickstream] [-nt 2] [-nou N] [-rf SECONDS] [-nd] [--bootstrap HOST:PORT] [--registry URL] [-gsr] [--seed N]',
  options: GENERATE_OPTIONS,
  rewriteArgs: rewriteShortForms,
  async run(values) {
    const config = parseGenerateConfig(values);
    const summary = await runGenerate(config, { stop: untilStopSignal() });
    return summary.failed > 0 ? 1 : 0;
  },
};

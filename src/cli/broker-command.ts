// `brook broker`: runs the Kafka-compatible broker until SIGINT/SIGTERM, then stops cleanly
// (answers what is in flight, flushes the log to disk).
import { startBroker } from '../broker/server.ts';
import { type Command, intOption } from './command.ts';
import { untilStopSignal } from './stop-signal.ts';

export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run the Kafka-wire-compatible broker with a durable log. Stops cleanly on Ctrl-C or SIGTERM.',
  usage: 'brook broker [--host 127.0.0.1] [--port 9092] [--data-dir ./data/broker] [--advertised-listener host:port]',
  options: {
    host: { type: 'string', default: '127.0.0.1', valueName: 'ADDRESS', description: 'Address to listen on (0.0.0.0 for all interfaces)' },
    port: { type: 'string', short: 'p', default: '9092', valueName: 'PORT', description: 'Port to listen on (0 picks a free port)' },
    'data-dir': {
      type: 'string',
      short: 'd',
      default: './data/broker',
      valueName: 'DIR',
      description: 'Where the log, offsets and metadata are kept',
    },
    'advertised-listener': {
      type: 'string',
      valueName: 'HOST:PORT',
      description: 'Address clients are told to connect to (default: the listening address)',
    },
    'auto-create-topics': {
      type: 'boolean',
      default: false,
      description: 'Create unknown topics when a client asks for them (auto.create.topics.enable)',
    },
    'num-partitions': { type: 'string', default: '1', valueName: 'N', description: 'Partitions of auto-created topics (num.partitions)' },
  },
  async run(values) {
    const broker = await startBroker({
      host: values.host as string,
      port: intOption(values, 'port', 0, 65535),
      dataDir: values['data-dir'] as string,
      advertisedListener: (values['advertised-listener'] as string | undefined) ?? null,
      autoCreateTopics: values['auto-create-topics'] === true,
      numPartitions: intOption(values, 'num-partitions', 1, 100000),
    });
    const { host, port } = broker.address;
    process.stdout.write(
      `brook broker listening on ${host}:${port} (advertised as ${broker.advertised.host}:${broker.advertised.port}), data in ${values['data-dir']}, cluster ${broker.clusterId}\n`,
    );
    await untilStopSignal();
    process.stdout.write('brook broker stopping: finishing requests in flight and flushing the log...\n');
    await broker.close();
    process.stdout.write('brook broker stopped\n');
    return 0;
  },
};

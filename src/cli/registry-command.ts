// `brook registry`: runs the schema registry (Confluent REST and Glue APIs) on a Kafka log until
// SIGINT/SIGTERM; state lives in the `_schemas` topic, so it can be stopped and started at will.
// HTTPS and users (basic auth or client certificates, read-only or admin) from the web-server flags.

import { type Command, intOption } from './command.ts';
import { untilStopSignal } from './stop-signal.ts';
import { WEB_SERVER_OPTIONS, webServerFromFlags } from './web-server-flags.ts';

export const registryCommand: Command = {
  name: 'registry',
  summary: 'Run the schema registry (Confluent REST and AWS Glue APIs), its state kept in a Kafka topic. Stops on Ctrl-C or SIGTERM.',
  usage:
    'brook registry [--host 127.0.0.1] [--port 8081] [--bootstrap 127.0.0.1:9092] [--topic _schemas] [--replication-factor 1]\n' +
    '               [--tls-cert FILE --tls-key FILE [--tls-ca FILE] [--ssl-client-auth none|requested|required]] [--users-file FILE]',
  options: {
    host: { type: 'string', default: '127.0.0.1', valueName: 'ADDRESS', description: 'Address to listen on (0.0.0.0 for all interfaces)' },
    port: { type: 'string', short: 'p', default: '8081', valueName: 'PORT', description: 'HTTP port to listen on (0 picks a free port)' },
    bootstrap: {
      type: 'string',
      short: 'b',
      default: '127.0.0.1:9092',
      valueName: 'HOST:PORT[,...]',
      description: 'Kafka bootstrap servers (Brook, Apache Kafka or MSK) holding the registry topic',
    },
    topic: {
      type: 'string',
      default: '_schemas',
      valueName: 'NAME',
      description: 'Compacted topic that holds the registry state (created if missing)',
    },
    'replication-factor': {
      type: 'string',
      default: '1',
      valueName: 'N',
      description: 'Replication factor of the topic when the registry creates it (use 3 on Kafka/MSK)',
    },
    ...WEB_SERVER_OPTIONS,
  },
  async run(values) {
    // Loaded on use: the registry pulls in the Kafka client and Avro, which `brook --help` should not pay for.
    const { startRegistry } = await import('../registry/server.ts');
    const web = webServerFromFlags(values);
    if (web.warning) process.stderr.write(`brook registry: ${web.warning}\n`);
    const registry = await startRegistry({
      ...(web.tls ? { tls: web.tls } : {}),
      ...(web.auth ? { auth: web.auth } : {}),
      host: values.host as string,
      port: intOption(values, 'port', 0, 65535) ?? 8081,
      bootstrap: values.bootstrap as string,
      topic: values.topic as string,
      replicationFactor: intOption(values, 'replication-factor', 1, 32) ?? 1,
    });
    const applied = registry.store.stats().commands;
    process.stdout.write(
      `brook registry listening on ${registry.url} (state in topic ${registry.store.topic} on ${values.bootstrap}, ${applied} commands replayed${web.auth ? `; users from ${web.auth.usersFile}` : ''})\n`,
    );
    await untilStopSignal();
    process.stdout.write('brook registry stopping...\n');
    await registry.close();
    process.stdout.write('brook registry stopped\n');
    return 0;
  },
};

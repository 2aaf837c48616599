// `brook opensearch setup`: prepares a real OpenSearch cluster for the clickstream results: the
// three indexes with the original mappings, and the "Clickstream Dashboard" saved objects, written
// to a file and, with --dashboards-url, imported into OpenSearch Dashboards.
import { connectionOptionSpecs, parseConnection } from '../sinks/opensearch/options.ts';
import { type Command, UsageError } from './command.ts';

const USAGE =
  'brook opensearch setup --url URL [--dashboards-url URL] [--user USER [--password-env VAR] | --aws-region REGION] [--ca FILE] [--index-prefix PREFIX] [--out FILE]';

export const opensearchCommand: Command = {
  name: 'opensearch',
  summary:
    'Set up OpenSearch for the clickstream results: create the three indexes and import the Clickstream Dashboard into OpenSearch Dashboards.',
  usage: USAGE,
  options: {
    ...connectionOptionSpecs('', 'OpenSearch URL (required)'),
    'dashboards-url': {
      type: 'string',
      valueName: 'URL',
      description:
        'OpenSearch Dashboards URL to import the saved objects into, with the same credentials (Amazon OpenSearch Service: https://DOMAIN/_dashboards)',
    },
    out: {
      type: 'string',
      valueName: 'FILE',
      default: './clickstream-dashboard.ndjson',
      description: 'Where to write the saved-objects file',
    },
  },
  async run(values, positionals) {
    const [sub, ...extra] = positionals;
    if (sub === undefined) throw new UsageError(`missing the subcommand\nUsage: ${USAGE}`);
    if (sub !== 'setup') throw new UsageError(`unknown subcommand '${sub}'\nUsage: ${USAGE}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'\nUsage: ${USAGE}`);
    const opensearch = parseConnection(values, '');
    if (opensearch === undefined) throw new UsageError(`--url is required\nUsage: ${USAGE}`);
    const dashboardsUrl = typeof values['dashboards-url'] === 'string' ? values['dashboards-url'] : undefined;
    if (dashboardsUrl !== undefined && !/^https?:\/\/[^/]/.test(dashboardsUrl))
      throw new UsageError(`--dashboards-url must be an http(s) URL, got '${dashboardsUrl}'`);
    // Loaded on use, so `brook --help` does not pay for the HTTP client and the saved objects.
    const { setupOpenSearch } = await import('../sinks/opensearch/setup.ts');
    await setupOpenSearch(
      {
        opensearch,
        ...(dashboardsUrl ? { dashboardsUrl } : {}),
        ...(typeof values['index-prefix'] === 'string' ? { indexPrefix: values['index-prefix'] } : {}),
        outFile: typeof values.out === 'string' ? values.out : './clickstream-dashboard.ndjson',
      },
      (line) => process.stdout.write(`${line}\n`),
    );
    return 0;
  },
};

// `brook opensearch setup` without the CLI: writes the saved-objects file, creates the indexes
// (idempotent), and imports the file into OpenSearch Dashboards when given its URL.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { importSavedObjects } from './dashboards-import.ts';
import { type OpenSearchConnectionOptions, OpenSearchHttp } from './http-client.ts';
import { ensureIndexes, type IndexSetup } from './indexes.ts';
import { indexNames } from './mappings.ts';
import { type RetryPolicy, retryPolicy } from './retry.ts';
import { clickstreamSavedObjects, DASHBOARD_TITLE, savedObjectsNdjson } from './saved-objects.ts';

export interface SetupOptions {
  opensearch: OpenSearchConnectionOptions;
  /** Same auth and CA as OpenSearch (the security plugin and AWS share them). */
  dashboardsUrl?: string;
  indexPrefix?: string;
  /** Where the saved-objects file goes. */
  outFile: string;
  retry?: Partial<RetryPolicy>;
}

export interface SetupSummary {
  indexes: IndexSetup[];
  file: string;
  objects: number;
  imported?: number;
}

export async function setupOpenSearch(opts: SetupOptions, log: (line: string) => void): Promise<SetupSummary> {
  const indices = indexNames({ indexPrefix: opts.indexPrefix });
  const policy = retryPolicy({ retries: 5, ...opts.retry, onRetry: opts.retry?.onRetry ?? ((i) => log(i.message)) });
  // The file first: a user whose cluster is not reachable from here can still import it by hand.
  const objects = clickstreamSavedObjects({ indices, idPrefix: `brook-${opts.indexPrefix ?? ''}` });
  const ndjson = savedObjectsNdjson(objects);
  const file = resolve(opts.outFile);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, ndjson);
  log(`wrote ${objects.length} saved objects (3 index patterns, 5 visualizations, "${DASHBOARD_TITLE}") to ${file}`);

  const client = new OpenSearchHttp(opts.opensearch);
  let indexes: IndexSetup[];
  try {
    indexes = await ensureIndexes(client, indices, policy);
  } finally {
    client.close();
  }
  const said = { created: 'created', exists: 'exists, mapping as expected', extended: 'existed; added the missing fields to its mapping' };
  for (const i of indexes) log(`index ${i.index} on ${client.display}: ${said[i.outcome]}`);

  const summary: SetupSummary = { indexes, file, objects: objects.length };
  if (opts.dashboardsUrl !== undefined) {
    const dashboards = new OpenSearchHttp({ ...opts.opensearch, url: opts.dashboardsUrl });
    try {
      summary.imported = (await importSavedObjects(dashboards, ndjson, policy)).successCount;
    } finally {
      dashboards.close();
    }
    log(
      `imported ${summary.imported} saved objects into OpenSearch Dashboards at ${dashboards.display}: open Dashboards > "${DASHBOARD_TITLE}"`,
    );
  } else {
    log(`import it in OpenSearch Dashboards (Dashboards Management > Saved objects > Import), or run again with --dashboards-url`);
  }
  return summary;
}

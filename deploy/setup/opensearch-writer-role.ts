// Maps an IAM role (the processor's task role) to an OpenSearch security role that may only write
// documents into the three result indexes, through the security plugin's REST API as the master
// user. The reference mapped its Flink role to all_access; a writer needs no more than this.

/** The security role the processor's requests get. */
export const WRITER_ROLE = 'brook_writer';

export interface WriterRoleOptions {
  /** The domain, https://host[:port]. */
  url: string;
  user: string;
  password: string;
  /** The IAM role whose SigV4-signed requests get the role (a backend role, in the plugin's words). */
  roleArn: string;
  indices: string[];
  fetch?: typeof fetch;
  attempts?: number;
  retryDelayMs?: number;
}

/** The role's permissions: `_bulk` (a cluster-level action) and the `write` action group on the indexes. */
export function writerRole(indices: string[]) {
  return {
    description: 'Brook processor: writes the clickstream result documents',
    cluster_permissions: ['indices:data/write/bulk'],
    index_permissions: [{ index_patterns: indices, allowed_actions: ['write'] }],
  };
}

export class WriterRoleError extends Error {}

/** Creates (or replaces) the role and its mapping; both PUTs are idempotent. */
export async function mapWriterRole(opts: WriterRoleOptions): Promise<void> {
  const base = opts.url.replace(/\/+$/, '');
  const auth = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
  await put(opts, `${base}/_plugins/_security/api/roles/${WRITER_ROLE}`, auth, writerRole(opts.indices));
  await put(opts, `${base}/_plugins/_security/api/rolesmapping/${WRITER_ROLE}`, auth, { backend_roles: [opts.roleArn] });
}

async function put(opts: WriterRoleOptions, url: string, auth: string, body: unknown): Promise<void> {
  const doFetch = opts.fetch ?? fetch;
  const attempts = opts.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'PUT',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      // A domain that has just become active may still refuse connections for a moment.
      if (attempt < attempts) {
        await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 2000));
        continue;
      }
      throw new WriterRoleError(`PUT ${url} failed: ${(err as Error).message}`);
    }
    if (res.ok) return;
    const text = (await res.text()).slice(0, 500);
    if (res.status >= 500 && attempt < attempts) {
      await new Promise((r) => setTimeout(r, opts.retryDelayMs ?? 2000));
      continue;
    }
    const hint =
      res.status === 401 || res.status === 403
        ? ': the user must be the master user of fine-grained access control (check SETUP_OPENSEARCH_USER and the password)'
        : '';
    throw new WriterRoleError(`PUT ${url} answered HTTP ${res.status} ${text}${hint}`);
  }
}

// The broker's identity on disk: `meta.properties` in the data directory, as Kafka keeps it, so
// the cluster id stays the same across restarts and a data directory is not mixed up.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrookError } from '../common/errors.ts';

export interface ClusterIdentity {
  clusterId: string;
  nodeId: number;
}

function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq > 0) out.set(t.slice(0, eq).trim(), t.slice(eq + 1).trim());
  }
  return out;
}

/** Reads meta.properties, or writes a new one with a fresh cluster id (22 chars of base64url, as Kafka's). */
export function loadClusterIdentity(dataDir: string, nodeId: number): ClusterIdentity {
  const path = join(dataDir, 'meta.properties');
  if (existsSync(path)) {
    const props = parseProperties(readFileSync(path, 'utf8'));
    const clusterId = props.get('cluster.id');
    const storedNode = Number(props.get('node.id'));
    if (!clusterId) throw new BrookError('BROKER_META', `${path} has no cluster.id: restore it or remove the file to start a new cluster`);
    if (storedNode !== nodeId) {
      throw new BrookError(
        'BROKER_META',
        `${path} belongs to node ${storedNode}, not ${nodeId}: use that node id or another data directory`,
      );
    }
    return { clusterId, nodeId };
  }
  const clusterId = randomBytes(16).toString('base64url');
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `# Written by Brook; do not edit.\nversion=1\ncluster.id=${clusterId}\nnode.id=${nodeId}\n`);
  renameSync(tmp, path);
  return { clusterId, nodeId };
}

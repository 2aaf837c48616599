// Topic metadata that must survive restarts (name, 16-byte id, partition count, overrides,
// internal flag), kept in `<dataDir>/topics.json` and replaced atomically on every change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrookError } from '../common/errors.ts';
import { atomicWriteFileSync } from './fs-util.ts';
import type { TopicConfigName } from './topic-config.ts';

export const TOPICS_FILE = 'topics.json';

export interface StoredTopic {
  name: string;
  id: Buffer;
  partitions: number;
  overrides: Partial<Record<TopicConfigName, string>>;
  internal: boolean;
}

interface TopicsFile {
  version: 1;
  topics: { name: string; id: string; partitions: number; overrides: Record<string, string>; internal: boolean }[];
}

/** The stored topics, or null when there is no topics file (a new or pre-metadata directory). */
export function loadTopics(dataDir: string): StoredTopic[] | null {
  const file = path.join(dataDir, TOPICS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: TopicsFile;
  try {
    parsed = JSON.parse(text) as TopicsFile;
  } catch (err) {
    throw new BrookError(
      'LOG_METADATA',
      `${file} is not valid JSON (${(err as Error).message}); restore it from a backup or remove it to forget all topics`,
    );
  }
  if (parsed.version !== 1 || !Array.isArray(parsed.topics)) {
    throw new BrookError(
      'LOG_METADATA',
      `${file} has an unknown format (version ${String(parsed.version)}); it was written by a newer Brook?`,
    );
  }
  return parsed.topics.map((t) => ({
    name: t.name,
    id: Buffer.from(t.id, 'hex'),
    partitions: t.partitions,
    overrides: t.overrides ?? {},
    internal: t.internal === true,
  }));
}

export function saveTopics(dataDir: string, topics: Iterable<StoredTopic>): void {
  const body: TopicsFile = {
    version: 1,
    topics: [...topics].map((t) => ({
      name: t.name,
      id: t.id.toString('hex'),
      partitions: t.partitions,
      overrides: t.overrides as Record<string, string>,
      internal: t.internal,
    })),
  };
  atomicWriteFileSync(path.join(dataDir, TOPICS_FILE), `${JSON.stringify(body, null, 2)}\n`);
}

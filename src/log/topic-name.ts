// Kafka's topic name rules and the partition directory names built from them
// (`<topic>-<partition>`, and `<topic>-<partition>.<uuid>-delete` while a delete completes).
import { LogError } from './log-error.ts';

export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;
export const DELETE_DIR_SUFFIX = '-delete';
const DELETE_DIR = /\.[0-9a-f]{32}-delete$/;

/** Throws INVALID_TOPIC_EXCEPTION with Kafka's reason. */
export function validateTopicName(name: string): void {
  if (typeof name !== 'string' || name.length === 0)
    throw new LogError('INVALID_TOPIC_EXCEPTION', "Topic name is illegal, it can't be empty");
  if (name === '.' || name === '..') throw new LogError('INVALID_TOPIC_EXCEPTION', 'Topic name cannot be "." or ".."');
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    throw new LogError(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters, topic name: ${name}`,
    );
  }
  if (!LEGAL.test(name)) {
    throw new LogError(
      'INVALID_TOPIC_EXCEPTION',
      `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`,
    );
  }
}

/** Kafka refuses topics whose names differ only in '.' vs '_' (their metric names collide). */
export const collisionKey = (name: string): string => name.replaceAll('.', '_');

export const partitionDirName = (topic: string, partition: number): string => `${topic}-${partition}`;

/** Topic and partition of a live partition directory name, or null. */
export function parsePartitionDir(name: string): { topic: string; partition: number } | null {
  if (DELETE_DIR.test(name)) return null;
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const p = name.slice(dash + 1);
  if (!/^\d+$/.test(p)) return null;
  return { topic: name.slice(0, dash), partition: Number(p) };
}

export const isDeleteDir = (name: string): boolean => DELETE_DIR.test(name);

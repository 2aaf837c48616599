// Golden frames in test/fixtures/protocol: naming, reading and writing of the hex files. A file
// holds one whole frame (4-byte size, header, body) as hex; lines starting with '#' say where it came from.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ApiDefinition } from '../../src/protocol/api.ts';

export const FIXTURE_DIR = new URL('../fixtures/protocol/', import.meta.url);

export type Kind = 'request' | 'response';

const kebab = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

export const fixtureName = (api: ApiDefinition, version: number, kind: Kind): string => `${kebab(api.name)}-v${version}-${kind}.hex`;

export interface Fixture {
  file: string;
  /** The API's name in kebab case, the version and the kind, from the file name. */
  api: string;
  version: number;
  kind: Kind;
  /** The whole frame, size prefix included. */
  bytes: Buffer;
}

export function readFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((file) => {
      const m = /^([a-z-]+)-v(\d+)-(request|response)\.hex$/.exec(file);
      if (!m) throw new Error(`unexpected fixture name ${file}`);
      const hex = readFileSync(new URL(file, FIXTURE_DIR), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .join('')
        .replace(/\s+/g, '');
      return { file, api: m[1] as string, version: Number(m[2]), kind: m[3] as Kind, bytes: Buffer.from(hex, 'hex') };
    });
}

export function kebabName(api: ApiDefinition): string {
  return kebab(api.name);
}

export function writeFixture(name: string, comment: string[], bytes: Buffer): void {
  const lines = comment.map((c) => `# ${c}`);
  const hex = bytes.toString('hex');
  for (let i = 0; i < hex.length; i += 64) lines.push(hex.slice(i, i + 64));
  writeFileSync(new URL(name, FIXTURE_DIR), `${lines.join('\n')}\n`);
}

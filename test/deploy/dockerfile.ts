// Reads a Dockerfile into its stages and instructions (continuation lines joined, comments and
// parser directives dropped), and JSON-form arguments (exec form) into arrays.

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM, with their defaults. */
  globalArgs: Map<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)} `;
    else {
      logical.push(pending + line);
      pending = '';
    }
  }
  const out: Dockerfile = { globalArgs: new Map(), stages: [] };
  for (const l of logical) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(l);
    if (!m) throw new Error(`cannot read Dockerfile line: ${l}`);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (keyword === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      out.stages.push({ from: f![1]!, name: f![2], instructions: [] });
    } else if (out.stages.length === 0) {
      if (keyword !== 'ARG') throw new Error(`${keyword} before the first FROM`);
      const [name, value] = args.split('=');
      out.globalArgs.set(name!, value ?? '');
    } else out.stages.at(-1)!.instructions.push({ keyword, args });
  }
  return out;
}

/** An exec-form argument list: `["node", "x"]`. */
export function execForm(args: string): string[] {
  const list = JSON.parse(args) as unknown;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new Error(`not an exec-form list: ${args}`);
  return list;
}

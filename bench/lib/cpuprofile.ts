// Summarizes a V8 .cpuprofile (from node --cpu-prof or node:inspector): self and inclusive time
// per function, so benchmark output can name the hot spots with evidence.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  /** file:line relative to the repository (or the node: / native marker). */
  where: string;
  selfMs: number;
  totalMs: number;
}

const ROOT = new URL('../../', import.meta.url).href;

function label(n: ProfileNode): { name: string; where: string } {
  const f = n.callFrame;
  const name = f.functionName || '(anonymous)';
  const url = f.url.startsWith(ROOT) ? f.url.slice(ROOT.length) : f.url.replace(/^file:\/\/.*\/node_modules\//, '');
  return { name, where: url ? `${url}:${f.lineNumber + 1}` : '' };
}

export function summarize(p: CpuProfile): { totalMs: number; functions: HotFunction[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; attribute it to that sample's node.
  p.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const agg = new Map<string, HotFunction>();
  const key = (n: ProfileNode) => {
    const l = label(n);
    return `${l.name}@${l.where}`;
  };
  for (const n of p.nodes) {
    const k = key(n);
    if (!agg.has(k)) agg.set(k, { ...label(n), selfMs: 0, totalMs: 0 });
    agg.get(k)!.selfMs += (selfUs.get(n.id) ?? 0) / 1000;
  }
  // Inclusive time: each node's self time counts once for every distinct function on its stack.
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      agg.get(k)!.totalMs += us / 1000;
    }
  }
  const totalMs = (p.endTime - p.startTime) / 1000;
  return { totalMs, functions: [...agg.values()] };
}

/** Top `n` functions by self time, as printable lines. */
export function topSelf(p: CpuProfile, n = 15): string[] {
  const { totalMs, functions } = summarize(p);
  const rows = functions.sort((a, b) => b.selfMs - a.selfMs).slice(0, n);
  return rows.map(
    (f) =>
      `${f.selfMs.toFixed(0).padStart(6)} ms ${((f.selfMs / totalMs) * 100).toFixed(1).padStart(5)}%  self   ${f.totalMs.toFixed(0).padStart(6)} ms total  ${f.name} ${f.where}`,
  );
}

/**
 * Inclusive time of functions given as "name" or "name file-prefix" (e.g. "append src/log/"),
 * for a breakdown of a request path.
 */
export function inclusive(p: CpuProfile, specs: string[]): string[] {
  const { totalMs, functions } = summarize(p);
  const out: string[] = [];
  for (const spec of specs) {
    const [name, file] = spec.split(' ');
    const hits = functions.filter((f) => f.name === name && (file === undefined || f.where.startsWith(file)));
    if (hits.length === 0) continue;
    const best = hits.sort((a, b) => b.totalMs - a.totalMs)[0]!;
    out.push(
      `${best.totalMs.toFixed(0).padStart(6)} ms ${((best.totalMs / totalMs) * 100).toFixed(1).padStart(5)}%  in ${name} ${best.where}`,
    );
  }
  return out;
}

/** Milliseconds the profiled thread was not idle. */
export function busyMs(p: CpuProfile): number {
  const { totalMs, functions } = summarize(p);
  return totalMs - functions.filter((f) => f.name === '(idle)').reduce((a, f) => a + f.selfMs, 0);
}

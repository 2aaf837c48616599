// "Did you mean ...?" for a mistyped key: the closest known name by edit distance, ignoring case,
// close enough that the suggestion is likely right rather than merely possible.

/** Levenshtein distance (insert, delete, substitute: 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The candidate closest to `word`, or undefined when none is close (a third of its length, at least 2; 1 for short words). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // A prefix (checkpointInterval for checkpointIntervalSeconds) is as good as a typo.
    const score = lc === w ? 0 : lc.startsWith(w) || w.startsWith(lc) ? 1 : editDistance(w, lc);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  // Short words are one typo from many others: a suggestion needs to be nearly the same word.
  const limit = w.length <= 4 ? 1 : Math.max(2, Math.floor(w.length / 3));
  return best !== undefined && bestScore <= limit ? best : undefined;
}

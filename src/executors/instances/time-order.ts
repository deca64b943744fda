// The k-way merge both instance mergers share. Pure.

export interface OrderedStream {
  ended: boolean;
  firstActiveMs?: number;
}

/**
 * Once every stream is active or over, fixes the aggregator's bucket origin at the earliest first
 * active time; then releases heads oldest first, only while every stream still running has one
 * waiting (its next one may be older than any waiting), so the outcome depends on the streams'
 * contents alone, never on when their lines arrived. Returns whether the merge has started.
 */
export function releaseInTimeOrder<S extends OrderedStream>(
  streams: readonly S[],
  started: boolean,
  startAt: (ms: number) => void,
  headTime: (s: S) => number | undefined,
  release: (s: S) => void,
): boolean {
  if (!started) {
    if (!streams.every((s) => s.ended || s.firstActiveMs !== undefined)) return false;
    const firsts = streams.flatMap((s) => (s.firstActiveMs === undefined ? [] : [s.firstActiveMs]));
    if (firsts.length > 0) startAt(Math.min(...firsts));
  }
  for (;;) {
    let pick: S | undefined;
    let pickT = Infinity;
    for (const s of streams) {
      const t = headTime(s);
      if (t === undefined) {
        if (!s.ended) return true;
        continue;
      }
      if (t < pickT) {
        pick = s;
        pickT = t;
      }
    }
    if (!pick) return true;
    release(pick);
  }
}

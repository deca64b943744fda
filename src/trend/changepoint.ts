// Change points in a nightly series: where did the level step? Binary segmentation with a
// permutation test (the approach of E-divisive and of the change-point services built for
// benchmark series), using the two-sample t statistic maximised over every split as the distance:
//   T(τ) = |mean(x[τ..]) − mean(x[..τ])| / (s_pooled · √(1/τ + 1/(n−τ)))
// The maximum over τ is compared with its distribution under "no change", got by shuffling the
// series (nights are exchangeable when nothing changed), so no normality or multiple-split
// correction is assumed. Found splits are searched again on each side. The shuffles come from a
// generator seeded by the data, so the same history always gives the same answer. Pure.

import { seedOf, seededRandom, type Random } from '../util/random.js';

export interface ChangePoint {
  index: number; // first point of the new level
  before: number; // mean of the segment before
  after: number; // mean of the segment after
  pValue: number; // permutation p-value of the split in its segment
}

export interface ChangePointOptions {
  alpha?: number; // significance of each split, default 0.01
  permutations?: number; // default 999
  minSegment?: number; // points on each side of a split, default 3
}

const DEFAULTS = { alpha: 0.01, permutations: 999, minSegment: 3 } as const;

interface Split {
  index: number; // relative to the segment
  stat: number;
}

/** The best split of xs (at least `m` points each side), or null when no split is possible. */
export function bestSplit(xs: readonly number[], m: number): Split | null {
  const n = xs.length;
  if (n < 2 * m) return null;
  let sum = 0;
  let sq = 0;
  for (const v of xs) {
    sum += v;
    sq += v * v;
  }
  let ls = 0;
  let lq = 0;
  let best: Split | null = null;
  for (let t = 1; t < n; t++) {
    ls += xs[t - 1]!;
    lq += xs[t - 1]! * xs[t - 1]!;
    if (t < m || n - t < m) continue;
    const rs = sum - ls;
    const rq = sq - lq;
    const ml = ls / t;
    const mr = rs / (n - t);
    // Within-segment sum of squares; clamp the rounding error of the one-pass formula.
    const within = Math.max(0, lq - t * ml * ml) + Math.max(0, rq - (n - t) * mr * mr);
    const diff = Math.abs(mr - ml);
    const se = Math.sqrt(within / Math.max(1, n - 2)) * Math.sqrt(1 / t + 1 / (n - t));
    const stat = se > 0 ? diff / se : diff > 0 ? Number.POSITIVE_INFINITY : 0;
    if (!best || stat > best.stat) best = { index: t, stat };
  }
  return best;
}

function shuffle(xs: number[], rand: Random): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
}

function permutationP(xs: readonly number[], observed: number, m: number, permutations: number, rand: Random): number {
  const copy = xs.slice();
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffle(copy, rand);
    if ((bestSplit(copy, m)?.stat ?? 0) >= observed) atLeast++;
  }
  return (atLeast + 1) / (permutations + 1);
}

const meanOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Every significant level change in `xs`, in order of position. */
export function changePoints(xs: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const o = { alpha: opts.alpha ?? DEFAULTS.alpha, permutations: opts.permutations ?? DEFAULTS.permutations, minSegment: opts.minSegment ?? DEFAULTS.minSegment };
  const rand = seededRandom(seedOf(xs));
  const found: ChangePoint[] = [];
  const search = (from: number, to: number): void => {
    const seg = xs.slice(from, to);
    const split = bestSplit(seg, o.minSegment);
    if (!split || split.stat === 0) return;
    const pValue = permutationP(seg, split.stat, o.minSegment, o.permutations, rand);
    if (pValue >= o.alpha) return;
    const at = from + split.index;
    found.push({ index: at, before: meanOf(xs.slice(from, at)), after: meanOf(xs.slice(at, to)), pValue });
    search(from, at);
    search(at, to);
  };
  search(0, xs.length);
  return found.sort((a, b) => a.index - b.index);
}

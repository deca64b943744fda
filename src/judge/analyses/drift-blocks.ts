// Latency percentiles per block of consecutive time buckets, from the buckets' merged HDR
// histograms. One bucket's own p95 rests on few requests (at 150 requests a second it is the 8th
// slowest of the second), so a handful of slow requests landing together swings it by 10× and a
// trend through such points is noise. Merging the histograms of a block gives the exact percentile
// of all its requests; blocks are sized to hold at least 20 requests beyond the percentile.

import { decodeHistogram, newHistogram, percentilesMs } from '../../results/histograms.js';

const TAIL_REQUESTS = 20; // requests above the percentile in each block

export interface BucketRef {
  tMs: number;
  requests: number;
  histogram: string | null; // the bucket's encoded http_req_duration histogram; null = empty
}

/**
 * Percentile `q` (0..1) per block; between `minBlocks` and `maxBlocks` blocks (never more than
 * there are buckets) of near-equal bucket count, as many as the requests allow. x is each block's
 * mean bucket start.
 */
export function histogramBlocks(buckets: readonly BucketRef[], q: number, minBlocks: number, maxBlocks: number): { x: number[]; y: number[] } {
  const total = buckets.reduce((s, b) => s + b.requests, 0);
  const wanted = Math.floor((total * (1 - q)) / TAIL_REQUESTS);
  const blocks = Math.min(buckets.length, maxBlocks, Math.max(minBlocks, wanted));
  const x: number[] = [];
  const y: number[] = [];
  // Block k holds buckets [k·n/B, (k+1)·n/B): exactly B blocks, their sizes differing by one at most.
  for (let k = 0; k < blocks; k++) {
    const block = buckets.slice(Math.floor((k * buckets.length) / blocks), Math.floor(((k + 1) * buckets.length) / blocks));
    const merged = newHistogram(64, 3);
    for (const b of block) if (b.histogram) merged.add(decodeHistogram(b.histogram));
    if (merged.totalCount === 0) continue;
    x.push(block.reduce((s, b) => s + b.tMs, 0) / block.length);
    y.push(percentilesMs(merged, [q])[0]!);
  }
  return { x, y };
}

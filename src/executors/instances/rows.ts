// The per-instance rows of a distributed run's result.json: what each k6 did, so a reader sees
// the load was shared (and which instance failed). Pure.
import type { InstanceRow } from '../../results/types.js';
import type { StreamTally } from './merge.js';
import type { Segment } from '../../plan/segments.js';

export function instanceRows(segments: Segment[], tallies: StreamTally[], exits: { exitCode: number | null; signal?: string }[], bucketMs: number): InstanceRow[] {
  return segments.map((seg, i) => {
    const t = tallies[i]!;
    // As the aggregator's run rate: requests over the time they were sent, at least one bucket.
    const activeSec = Math.max(bucketMs, t.reqLastMs - t.reqFirstMs) / 1000;
    const exit = exits[i];
    return {
      index: i,
      segment: seg.segment,
      requests: t.requests,
      failed: t.failed,
      rps: t.requests > 0 ? t.requests / activeSec : 0,
      samples: t.samples,
      exitCode: exit ? exit.exitCode : null,
      ...(exit?.signal ? { signal: exit.signal } : {}),
    };
  });
}

// Per request name: latency, requests and failures, with a cap on how many names are kept (k6
// names untagged requests by URL, which can be unbounded). Pure.
import { encodeHistogram, LatencyRecorder } from './histograms.js';
import type { HttpStats } from './types.js';

/** Requests whose name arrives after `maxNames` distinct names are counted under this name. */
export const OTHER_NAME = '(other)';

export interface NameStats {
  key: string; // the name it is counted under (OTHER_NAME past the cap)
  latency: LatencyRecorder;
  requests: number;
  failed: number;
}

/** A run's HTTP figures over the seconds requests were active. */
export function httpStats(requests: number, failed: number, latency: LatencyRecorder, activeSec: number): HttpStats {
  return { requests, failed, rps: requests / activeSec, errorRate: requests > 0 ? failed / requests : 0, latencyMs: latency.summary() };
}

export class RequestNames {
  private readonly names = new Map<string, NameStats>();
  /** Requests folded into OTHER_NAME once the cap was reached. */
  otherNames = 0;

  constructor(private readonly maxNames: number) {}

  /** The stats of a request name; `requests` is how many requests the caller is counting (0 for lookups). */
  named(name: string | undefined, requests: number): NameStats | undefined {
    if (name === undefined) return undefined;
    let n = this.names.get(name);
    if (n) return n;
    if (this.names.size >= this.maxNames) {
      this.otherNames += requests;
      name = OTHER_NAME;
      n = this.names.get(name);
      if (n) return n;
    }
    n = { key: name, latency: new LatencyRecorder(32), requests: 0, failed: 0 };
    this.names.set(name, n);
    return n;
  }

  /** Every name's stats and encoded latency histogram, in name order. */
  summaries(activeSec: number): { byName: Record<string, HttpStats>; byNameHist: Record<string, string> } {
    const byName: Record<string, HttpStats> = {};
    const byNameHist: Record<string, string> = {};
    for (const [name, n] of [...this.names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      byName[name] = httpStats(n.requests, n.failed, n.latency, activeSec);
      byNameHist[name] = encodeHistogram(n.latency.hist);
    }
    return { byName, byNameHist };
  }
}

// One short constant-arrival-rate k6 run against a URL, measured from k6's own end-of-test summary:
// the small stand-in for the pipeline's single run that capacity tests and the search driver need.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { StepMeasure } from '../../src/capacity/analyse.js';
import { realK6, tempProject } from './cli.js';

const SCRIPT = `
import http from 'k6/http';
export const options = {
  scenarios: { load: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE), timeUnit: '1s',
    duration: __ENV.DURATION, preAllocatedVUs: 50, maxVUs: 400, gracefulStop: '2s' } },
  summaryTrendStats: ['p(50)', 'p(90)', 'p(95)', 'p(99)'],
};
export default function () { http.get(__ENV.URL); }
export function handleSummary(d) {
  const v = (name) => (d.metrics[name] ? d.metrics[name].values : null);
  return { stdout: JSON.stringify({ reqs: v('http_reqs'), failed: v('http_req_failed'), dur: v('http_req_duration'),
    iterations: v('iterations'), dropped: v('dropped_iterations'), ms: d.state.testRunDurationMs }) };
}`;

let scriptPath: string | undefined;

export interface K6Step {
  measure: StepMeasure;
  startedAtMs: number; // epoch ms at which k6's test began (its end minus its test duration)
  endedAtMs: number;
}

export async function k6Step(url: string, rate: number, durationMs: number): Promise<K6Step> {
  if (!scriptPath) {
    scriptPath = join(tempProject({}, { scenarios: false, localProfile: false }), 'step.js');
    writeFileSync(scriptPath, SCRIPT);
  }
  const r = await execa(realK6, ['run', '--quiet', '--no-color', '-e', `RATE=${rate}`, '-e', `DURATION=${durationMs}ms`, '-e', `URL=${url}`, scriptPath], {
    reject: false,
    timeout: durationMs + 30_000,
  });
  const endedAtMs = Date.now();
  if (r.exitCode !== 0) throw new Error(`k6 exited ${r.exitCode}: ${r.stderr.slice(-500)}`);
  const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
    reqs: { count: number };
    failed: { passes: number };
    dur: Record<string, number>;
    iterations: { count: number } | null;
    dropped: { count: number } | null;
    ms: number;
  };
  const measure: StepMeasure = {
    seconds: durationMs / 1000, // the planned load time: k6's graceful stop would dilute the rate
    requests: s.reqs.count,
    failed: s.failed.passes, // http_req_failed counts a failed request as a "pass" of the rate
    dropped: s.dropped?.count ?? 0,
    iterations: s.iterations?.count ?? 0,
    latency: { p50: s.dur['p(50)']!, p90: s.dur['p(90)']!, p95: s.dur['p(95)']!, p99: s.dur['p(99)']! },
  };
  return { measure, startedAtMs: endedAtMs - s.ms, endedAtMs };
}

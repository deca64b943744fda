// The fault table in the console and report.md, from a result with chaos (RunResult.faults and
// the chaos checks); the checks also reach junit.xml as test cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../src/chaos/types.js';
import { chaosVerdict } from '../src/judge/analyses/chaos-checks.js';
import { renderConsole } from '../src/report/console.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { plain } from '../src/report/paint.js';
import type { SeriesPoint } from '../src/results/series-types.js';
import type { RunResult } from '../src/results/types.js';

const ORIGIN = 1_700_000_000_000;
const series: SeriesPoint[] = Array.from({ length: 60 }, (_, i) => {
  const p95 = i >= 20 && i < 40 ? 1015 : i === 40 ? 600 : 20;
  return { tMs: i * 1000, rps: 100, errorRate: 0, p50: p95, p95, p99: p95, vus: 10, requests: 100, failed: 0 };
});
const latency: FaultRecord = { id: 'f1-latency', kind: 'latency', params: { latencyMs: 1000 }, provider: 'toxiproxy', plannedStartMs: 20_000, plannedEndMs: 40_000, injectedAt: ORIGIN + 20_000, revertedAt: ORIGIN + 40_000, status: 'reverted' };
const down: FaultRecord = { id: 'f2-down', kind: 'down', params: {}, provider: 'toxiproxy', plannedStartMs: 50_000, plannedEndMs: 60_000, injectedAt: ORIGIN + 50_000, revertedAt: null, status: 'revert-failed', error: 'Toxiproxy did not answer' };

function withFaults(): RunResult {
  const base = JSON.parse(readFileSync(new URL('./fixtures/result-spike.json', import.meta.url), 'utf8')) as RunResult;
  const { faults, checks } = chaosVerdict({ series, originMs: ORIGIN, bucketMs: 1000, faults: [latency, down], sla: { p95: 300 } });
  return { ...base, status: 'fail', reason: 'recovery time (f2-down): not recovered', faults, checks: [...base.checks, ...checks] };
}

describe('fault table', () => {
  it('console: one row per fault with window, degradation, recovery and verdict', () => {
    const text = renderConsole(withFaults(), plain);
    const rows = text.split('\n').filter((l) => /^\s+(fault|f\d-)/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/fault\s+what\s+window\s+p95 before → during\s+errors during\s+impact after\s+recovered after\s+verdict/);
    expect(rows[1]).toMatch(/^\s+f1-latency\s+latency 1000ms\s+20\.0 s–40\.0 s\s+20\.0 ms → 1015 ms\s+0\.00%\s+0\.0 s\s+1\.0 s\s+✓ pass$/);
    expect(rows[2]).toMatch(/^\s+f2-down\s+down\s+50\.0 s–60\.0 s \(still active\)\s+20\.0 ms → .*not recovered\s+✗ FAIL$/);
    expect(text).toMatch(/✗ FAIL\s+recovery time \(f2-down\)/);
  });

  it('report.md: a Faults table; junit.xml: a test case per chaos check', () => {
    const r = withFaults();
    const md = renderMarkdown(r);
    expect(md).toContain('**Faults**');
    expect(md).toContain('| f1-latency | latency 1000ms | 20.0 s–40.0 s | 20.0 ms → 1015 ms | 0.00% | 0.0 s | 1.0 s | pass |');
    expect(md).toMatch(/\| f2-down \| down \| 50\.0 s–60\.0 s \(still active\) \|.*\| not recovered \| \*\*FAIL\*\* \|/);
    const xml = renderJunit(r);
    expect(xml).toContain('recovery time (f1-latency)');
    expect(xml).toContain('fault handled (f2-down)');
  });

  it('a run without faults shows no fault table', () => {
    const base = JSON.parse(readFileSync(new URL('./fixtures/result-spike.json', import.meta.url), 'utf8')) as RunResult;
    expect(renderConsole(base, plain)).not.toContain('recovered after');
    expect(renderMarkdown(base)).not.toContain('**Faults**');
  });
});

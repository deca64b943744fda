// The capacity table and headline in the console and Markdown reports, from a modelled run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyseCapacity, type OfferedStep, type StepMeasure } from '../src/capacity/analyse.js';
import { renderConsole } from '../src/report/console.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { plain } from '../src/report/paint.js';
import type { RunResult } from '../src/results/types.js';

const base = JSON.parse(readFileSync(new URL('./fixtures/result-spike.json', import.meta.url), 'utf8')) as RunResult;

/** Steps of 100/s up to 400/s against a 250/s service: 503s beyond it. */
function run(): RunResult {
  const steps: (OfferedStep & { measure: StepMeasure })[] = [100, 200, 300, 400].map((offered, i) => {
    const served = Math.min(offered, 250) * 8;
    const requests = offered * 8;
    return {
      name: `step-${i + 1}`,
      offered,
      startMs: i * 10_000,
      endMs: (i + 1) * 10_000,
      judgeFromMs: i * 10_000 + 2000,
      measure: { seconds: 8, requests, failed: requests - served, dropped: 0, latency: { p50: 20 + i * 30, p90: 30 + i * 30, p95: 35 + i * 40, p99: 50 + i * 50 } },
    };
  });
  const analysis = analyseCapacity(steps, { sla: { p95: 300, errorRate: 0.01 } });
  return { ...base, capacity: analysis.capacity!, scaling: { analysis, reactions: [{ step: 'step-3', stepAtMs: 0, replicasBefore: 1, replicasAfter: 2, risenAtMs: 5200, reactionMs: 5200, overloaded: true, effectiveAtMs: 7000, effectMs: 7000 }] } };
}

describe('capacity in the reports', () => {
  it('console: one row per step with its verdict, then the headline', () => {
    const text = renderConsole(run(), plain);
    const rows = text.split('\n').filter((l) => /^\s+step-\d/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/step-2\s+200\s+200\.0\s+50\.0 ms\s+75\.0 ms\s+100 ms\s+0\.00%\s+0\s+sustained/);
    expect(rows[2]).toMatch(/step-3\s+300\s+250\.0 .* SLA broken$/);
    expect(text).toContain('capacity 200 iterations/s (200.0 req/s achieved) · knee at 200/s · autoscaler reacted in 5.2 s (step-3, effective after 7.0 s)');
  });

  it('markdown: the table with the reason for each step that was not sustained', () => {
    const md = renderMarkdown(run());
    expect(md).toContain('| step | offered/s | achieved req/s | p50 | p95 | p99 | errors | dropped | verdict |');
    expect(md).toContain('| step-1 | 100 | 100.0 | 20.0 ms | 35.0 ms | 50.0 ms | 0.00% | 0 | sustained |');
    expect(md).toMatch(/\| step-4 \| 400 \| 250\.0 \| .* \| \*\*SLA broken\*\*: errors 37\.5% > 1\.0% \|/);
    expect(md).toContain('**capacity 200 iterations/s');
  });

  it('a run without a capacity analysis renders as before', () => {
    expect(renderConsole(base, plain)).not.toContain('offered/s');
    expect(renderMarkdown(base)).not.toContain('offered/s');
  });
});

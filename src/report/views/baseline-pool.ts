// `loadctl baseline show|history`: the runs of a pool, their spread, and what was added when. Pure.

import type { BaselineFile, BaselineRun, HistoryEntry, MetricValues } from '../../baselines/types.js';
import { median, variance } from '../../judge/baseline/stats.js';
import type { Check } from '../../results/types.js';
import { formatValue } from '../../util/format.js';
import { table as alignTable } from '../table.js';

const table = (rows: string[][]) => alignTable(rows, undefined, rows[0]!.map(() => 'l'));

const SPREAD: [keyof MetricValues, string, Check['unit']][] = [
  ['p50', 'p50', 'ms'],
  ['p95', 'p95', 'ms'],
  ['p99', 'p99', 'ms'],
  ['errorRate', 'error rate', 'ratio'],
  ['rps', 'throughput', 'req/s'],
];

export function renderPool(b: BaselineFile | null, shown: string): string {
  if (!b) return `no baseline at ${shown} yet: add a passing run with loadctl baseline add`;
  const rows = [['run', 'started', 'status', 'p95', 'rps', 'errors', 'plan', 'k6', 'machine']];
  for (const r of b.runs) {
    const v = r.values.overall;
    const f = r.fingerprint;
    rows.push([r.runId, r.startedAt.slice(0, 19).replace('T', ' '), r.status, formatValue(v.p95, 'ms'), formatValue(v.rps, 'req/s'), formatValue(v.errorRate, 'ratio'), f.planHash, f.k6Version, f.machine]);
  }
  const out = [`${shown}: ${b.profile} / ${b.scenario}, ${b.runs.length} of ${b.poolSize} runs`, '', ...table(rows)];
  if (b.runs.length > 0) {
    out.push('', 'spread across runs (overall)');
    const spread = [['metric', 'median', 'min', 'max', 'run-to-run']];
    for (const [key, label, unit] of SPREAD) {
      const xs = b.runs.map((r) => r.values.overall[key]);
      const logs = xs.filter((x) => x > 0).map(Math.log);
      // sd of log values ≈ the relative run-to-run noise the judge will see
      const noise = unit === 'ratio' || logs.length < 2 ? `sd ${formatValue(Math.sqrt(variance(xs)), unit)}` : `±${(Math.sqrt(variance(logs)) * 100).toFixed(1)}%`;
      spread.push([label, formatValue(median(xs), unit), formatValue(Math.min(...xs), unit), formatValue(Math.max(...xs), unit), b.runs.length < 2 ? '-' : noise]);
    }
    out.push(...table(spread));
    if (b.runs.length < 3) out.push('', `only ${b.runs.length} run${b.runs.length === 1 ? '' : 's'}: regressions are judged inconclusive until there are at least 3`);
  }
  return out.join('\n');
}

export function renderHistory(history: HistoryEntry[], shown: string): string {
  if (history.length === 0) return `no history: ${shown} does not exist yet`;
  return history.map((h) => `${h.at}  ${h.action.padEnd(9)} ${h.runId}${h.note ? `  (${h.note})` : ''}`).join('\n');
}

export function renderAdded(a: { run: BaselineRun; pool: BaselineFile; shown: string; dropped: string[] }): string {
  const lines = [`added ${a.run.runId} to ${a.shown} (${a.pool.runs.length}/${a.pool.poolSize} runs)`];
  if (a.run.status !== 'pass') lines.unshift(`WARNING: forced a run whose status is "${a.run.status}" into the baseline; future runs will be judged against it`);
  if (a.dropped.length > 0) lines.push(`dropped the oldest: ${a.dropped.join(', ')}`);
  return lines.join('\n');
}

export function renderRemoved(id: string, pool: BaselineFile, shown: string): string {
  return `removed ${id} from ${shown} (${pool.runs.length} runs left)`;
}

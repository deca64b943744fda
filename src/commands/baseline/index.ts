// `loadctl baseline show|add|remove|history <profile> <scenario>`: look after the pool of accepted
// runs a regression is judged against. Returns the text to print; the CLI prints it.
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { addRun, baselinePath, readBaseline, removeRun } from '../../baselines/store.js';
import type { BaselineFile, MetricValues } from '../../baselines/types.js';
import { baselineRunFrom } from '../../baselines/values.js';
import { ConfigError, UsageError } from '../../errors.js';
import { formatValue } from '../../judge/sla.js';
import { median, variance } from '../../judge/stats.js';
import type { Check, RunResult } from '../../results/types.js';
import { resultProblems } from '../../results/validate.js';

export interface BaselineOptions {
  cwd: string;
  action: 'show' | 'add' | 'remove' | 'history';
  profile: string;
  scenario: string;
  run?: string; // run dir or result.json, for add
  id?: string; // runId, for remove
  force?: boolean;
  note?: string;
  poolSize?: number;
  json?: boolean;
}

/** Reads and validates a result.json (or the one inside a run directory). */
export async function readRunResult(path: string): Promise<{ file: string; result: RunResult }> {
  const file = (await stat(path).catch(() => null))?.isDirectory() ? join(path, 'result.json') : path;
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, 'pass a run directory (reports/<run-id>) or its result.json');
  });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '', `is not valid JSON: ${(e as Error).message}`, 'rerun the test to produce a complete result.json');
  }
  const problems = resultProblems(data);
  if (problems.length > 0) {
    const [pointer, ...rest] = problems[0]!.split(': ');
    throw new ConfigError(file, pointer ?? '', `${rest.join(': ')} (not a loadctl result.json?)`, 'pass the result.json of a loadctl run');
  }
  return { file, result: data as RunResult };
}

export async function baselineCommand(o: BaselineOptions): Promise<string> {
  const file = baselinePath(o.cwd, o.profile, o.scenario);
  const shown = relative(o.cwd, file) || file;
  switch (o.action) {
    case 'show': {
      const b = await readBaseline(file);
      if (o.json) return JSON.stringify(b ?? { file: shown, runs: [] }, null, 2);
      return b ? showText(b, shown) : `no baseline at ${shown} yet: add a passing run with loadctl baseline add`;
    }
    case 'history': {
      const b = await readBaseline(file);
      const history = b?.history ?? [];
      if (o.json) return JSON.stringify(history, null, 2);
      if (history.length === 0) return `no history: ${shown} does not exist yet`;
      return history.map((h) => `${h.at}  ${h.action.padEnd(9)} ${h.runId}${h.note ? `  (${h.note})` : ''}`).join('\n');
    }
    case 'add': {
      if (!o.run) throw new UsageError('baseline add needs a run', 'pass the run directory or its result.json, e.g. reports/<run-id>');
      const { file: from, result } = await readRunResult(o.run);
      if (result.target !== o.profile || result.scenario !== o.scenario) {
        throw new UsageError(
          `${from} is a run of ${result.scenario} on ${result.target}, not ${o.scenario} on ${o.profile}`,
          `add it to its own baseline: loadctl baseline add ${result.target} ${result.scenario}`,
        );
      }
      const run = baselineRunFrom(result, result.meta.host ?? hostname());
      const { baseline, dropped } = await addRun(file, run, { force: o.force, note: o.note, poolSize: o.poolSize });
      if (o.json) return JSON.stringify({ file: shown, added: run.runId, forced: run.status !== 'pass', dropped }, null, 2);
      const lines = [`added ${run.runId} to ${shown} (${baseline.runs.length}/${baseline.poolSize} runs)`];
      if (run.status !== 'pass') lines.unshift(`WARNING: forced a run whose status is "${run.status}" into the baseline; future runs will be judged against it`);
      if (dropped.length > 0) lines.push(`dropped the oldest: ${dropped.join(', ')}`);
      return lines.join('\n');
    }
    case 'remove': {
      if (!o.id) throw new UsageError('baseline remove needs a run id', 'see the ids with: loadctl baseline show');
      const b = await removeRun(file, o.id, { note: o.note });
      return o.json ? JSON.stringify({ file: shown, removed: o.id, runs: b.runs.length }, null, 2) : `removed ${o.id} from ${shown} (${b.runs.length} runs left)`;
    }
  }
}

const SPREAD: [keyof MetricValues, string, Check['unit']][] = [
  ['p50', 'p50', 'ms'],
  ['p95', 'p95', 'ms'],
  ['p99', 'p99', 'ms'],
  ['errorRate', 'error rate', 'ratio'],
  ['rps', 'throughput', 'req/s'],
];

function showText(b: BaselineFile, shown: string): string {
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

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

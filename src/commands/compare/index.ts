// `loadctl compare <candidate> <other|baseline>`: judge a finished run against a baseline pool or
// another run, offline (no k6). Returns the checks, the text to print and the overall status.
//
// Against a baseline pool the judge has the run-to-run spread and gives a full verdict. Against a
// single run it has none: a change within tolerance passes (too small to matter whatever the noise),
// a change beyond it is "inconclusive" rather than "fail" (one run against one run cannot tell a
// regression from noise), and the absolute error-rate rule still fails.
import { hostname } from 'node:os';
import { relative } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { baselinePath, readBaseline } from '../../baselines/store.js';
import type { BaselineRun } from '../../baselines/types.js';
import { baselineRunFrom, fingerprintOf, runValues } from '../../baselines/values.js';
import { UsageError } from '../../errors.js';
import { fingerprintMismatch, judgeRegression, regressionOptions } from '../../judge/regression.js';
import { formatValue } from '../../judge/sla.js';
import { verdictOf } from '../../judge/verdict.js';
import type { Check } from '../../results/types.js';
import { readRunResult } from '../baseline/index.js';

export interface CompareOptions {
  cwd: string;
  a: string | string[]; // candidate run(s): directory or result.json; several = a --repeat set
  b: string; // another run, a baseline file, or "baseline" (a's profile + scenario)
  json?: boolean;
}

export interface CompareOutcome {
  checks: Check[];
  text: string;
  status: 'pass' | 'fail' | 'inconclusive';
}

interface Against {
  label: string;
  pool: BaselineRun[];
  single: boolean;
  notes: string[];
}

async function isBaselineFile(path: string): Promise<boolean> {
  if (!path.endsWith('.json') || (await stat(path).catch(() => null))?.isFile() !== true) return false;
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    return !('metrics' in data);
  } catch {
    return true; // let readBaseline report the broken file with its own error
  }
}

export async function compareCommand(o: CompareOptions): Promise<CompareOutcome> {
  const candidates = await Promise.all((Array.isArray(o.a) ? o.a : [o.a]).map(async (a) => (await readRunResult(a)).result));
  const cand = candidates[candidates.length - 1]!;
  const shown = (p: string) => relative(o.cwd, p) || p;
  let against: Against;
  if (o.b === 'baseline' || (await isBaselineFile(o.b))) {
    const file = o.b === 'baseline' ? baselinePath(o.cwd, cand.target, cand.scenario) : o.b;
    const b = await readBaseline(file);
    if (!b) {
      throw new UsageError(`there is no baseline at ${shown(file)}`, `create one from passing runs: loadctl baseline add ${cand.target} ${cand.scenario} <run>`);
    }
    const notes: string[] = [];
    if (b.profile !== cand.target || b.scenario !== cand.scenario) {
      notes.push(`warning: the baseline is for ${b.scenario} on ${b.profile}, the run is ${cand.scenario} on ${cand.target}`);
    }
    against = { label: `baseline ${shown(file)} (${b.runs.length} runs)`, pool: b.runs, single: false, notes };
  } else {
    const { file, result: other } = await readRunResult(o.b);
    const notes = ['one run against one run: there is no run-to-run spread to test against, so a change beyond tolerance is inconclusive, not a failure; judge against a baseline pool for a real verdict'];
    if (other.scenario !== cand.scenario) notes.push(`warning: comparing different scenarios (${cand.scenario} vs ${other.scenario})`);
    against = { label: `run ${other.runId} (${shown(file)})`, pool: [baselineRunFrom(other, other.meta.host ?? hostname())], single: true, notes };
  }

  const fingerprint = fingerprintOf(cand, cand.meta.host ?? hostname());
  const mismatch = fingerprintMismatch(against.pool, fingerprint).map((m) => `warning: ${m}`);
  // The policy the live run was judged with travels in its result.json, so the verdict here is
  // the same as the live one.
  const policy = regressionOptions(cand.baselinePolicy);
  const checks = judgeRegression(against.pool, candidates.map(runValues), against.single ? { ...policy, smallPool: 'tolerance' } : policy);
  const status = verdictOf(checks);
  const notes = [...against.notes, ...mismatch];
  const text = o.json
    ? JSON.stringify({ status, candidate: cand.runId, against: against.label, notes, checks }, null, 2)
    : render(cand.runId, against.label, notes, checks, status);
  return { checks, text, status };
}

const MARK: Record<Check['status'], string> = { pass: 'ok  ', fail: 'FAIL', inconclusive: '??  ' };

function render(candidate: string, against: string, notes: string[], checks: Check[], status: CompareOutcome['status']): string {
  const rows = [['', 'check', 'baseline', 'candidate', 'change', 'p', '']];
  for (const c of checks) {
    const b = c.baseline;
    const change = b ? `${b.changePct >= 0 ? '+' : ''}${b.changePct.toFixed(1)}%` : '-';
    const p = b?.pValue == null ? '-' : b.pValue < 0.0001 ? '<0.0001' : b.pValue.toFixed(4);
    const note = c.status !== 'pass' || b?.direction === 'improved' ? (b?.direction === 'improved' ? 'improved' : (c.reason ?? '')) : '';
    rows.push([MARK[c.status], c.name, b ? formatValue(b.median, c.unit) : '-', c.measured === null ? '-' : formatValue(c.measured, c.unit), change, p, note.replace(/^.*?\): /, '')]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
  const counts = (['fail', 'inconclusive', 'pass'] as const).map((s) => `${checks.filter((c) => c.status === s).length} ${s}`).join(', ');
  return [`compare ${candidate} against ${against}`, ...notes, '', ...lines, '', `${status.toUpperCase()}: ${counts}`].join('\n');
}

// `compare`'s work, offline (no k6): the candidate run(s) judged against a baseline pool or against
// another run, with the policy the live run was judged with (it travels in result.json), so the
// verdict and its exit code are the ones the live run gave.
//
// Against a single run there is no run-to-run spread: each run's within-run evidence (batch means)
// stands in for it, widened by the between/within ratio measured on this machine, so an overwhelming
// change fails and a close one is inconclusive. Runs without per-bucket histograms fall back to
// tolerance only (a change beyond it is inconclusive); the absolute error-rate rule still fails.

import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { baselinePath, readBaseline } from '../baselines/store.js';
import type { BaselineRun } from '../baselines/types.js';
import { baselineRunFrom, fingerprintOf, runValues } from '../judge/baseline/values.js';
import { UsageError } from '../util/errors.js';
import { exitCodeFor } from '../judge/sla/exit-code.js';
import { fingerprintMismatch } from '../judge/baseline/fingerprint.js';
import { judgeRegression, regressionOptions } from '../judge/baseline/regression.js';
import { sensitivityNotes } from '../judge/baseline/sensitivity-notes.js';
import { judged } from './baseline.js';
import { fromChecks } from '../judge/sla/verdict.js';
import { readRunResult } from '../results/read.js';
import type { Check } from '../results/types.js';

export interface CompareOptions {
  cwd: string;
  a: string[]; // candidate run(s): folder or result.json; several = a --repeat set
  b: string; // another run, a baseline file, or "baseline" (a's profile + scenario)
}

export interface Comparison {
  candidate: string; // run id
  against: string; // what it was compared with, in words
  notes: string[];
  checks: Check[];
  status: 'pass' | 'fail' | 'inconclusive';
  exitCode: number;
}

interface Against {
  label: string;
  pool: BaselineRun[];
  single: boolean;
  notes: string[];
}

export async function comparePipeline(o: CompareOptions): Promise<Comparison> {
  const candidates = await Promise.all(o.a.map(async (a) => (await readRunResult(a, o.cwd)).result));
  const cand = candidates[candidates.length - 1]!;
  const shown = (p: string) => relative(o.cwd, p) || p;
  let against: Against;
  if (o.b === 'baseline' || (await isBaselineFile(o.b))) {
    const file = o.b === 'baseline' ? baselinePath(o.cwd, cand.target, cand.scenario) : o.b;
    const b = await readBaseline(file);
    if (!b) throw new UsageError(`there is no baseline at ${shown(file)}`, `create one from passing runs: loadctl baseline add <run>`);
    const notes: string[] = [];
    if (b.profile !== cand.target || b.scenario !== cand.scenario) {
      notes.push(`warning: the baseline is for ${b.scenario} on ${b.profile}, the run is ${cand.scenario} on ${cand.target}`);
    }
    against = { label: `baseline ${shown(file)} (${b.runs.length} runs)`, pool: b.runs, single: false, notes };
  } else {
    const { file, result: other } = await readRunResult(o.b, o.cwd);
    const notes = [
      runValues(other).within?.p50
        ? 'one run against one run: judged on each run\'s own within-run evidence (batch means over its time buckets), widened by how much more runs differ on this machine; per-request-name checks need a baseline pool'
        : 'one run against one run: there is no run-to-run spread to test against, so a change beyond tolerance is inconclusive, not a failure; judge against a baseline pool for a real verdict',
    ];
    if (other.scenario !== cand.scenario) notes.push(`warning: comparing different scenarios (${cand.scenario} vs ${other.scenario})`);
    against = { label: `run ${other.runId} (${shown(file)})`, pool: [baselineRunFrom(other)], single: true, notes };
  }

  const mismatch = fingerprintMismatch(against.pool, fingerprintOf(cand.meta)).map((m) => `warning: ${m}`);
  const options = regressionOptions(cand.baselinePolicy);
  const checks = judgeRegression(against.pool, candidates.map(runValues), against.single ? { ...options, smallPool: 'tolerance' } : options);
  const { status } = fromChecks(checks);
  const stated = sensitivityNotes(against.pool, candidates.length, options, judged(checks), 'this comparison');
  return { candidate: cand.runId, against: against.label, notes: [...against.notes, ...mismatch, ...stated], checks, status, exitCode: exitCodeFor(status, cand.baselinePolicy?.inconclusive) };
}

/** A baseline file is JSON without a run's `metrics`; a broken one is left to readBaseline to explain. */
async function isBaselineFile(path: string): Promise<boolean> {
  if (!path.endsWith('.json') || (await stat(path).catch(() => null))?.isFile() !== true) return false;
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    return !('metrics' in data);
  } catch {
    return true;
  }
}

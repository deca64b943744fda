// `loadctl history <scenario> -t <profile>`: the nightly trend of one profile/scenario from
// baselines/<profile>/<scenario>.history.jsonl, with its change points; `--add <run>` records a
// finished run first (judging its drift from result.json when the run did not). Returns the text
// and the exit code (1: a recent regression, or the added run drifted); the CLI prints.
import { relative, resolve } from 'node:path';
import { appendHistory, historyPath, readHistory } from '../../trend/store.js';
import { UsageError } from '../../util/errors.js';
import { analyseHistory } from '../../trend/analyse.js';
import { historyRecord } from '../../trend/record.js';
import { driftEnabled, judgeDrift } from '../../judge/analyses/drift.js';
import { loadChartAssets } from '../../pipeline/chart-assets.js';
import { historyHtml } from '../../trend/html.js';
import { historyJson, historyMarkdown, historyText, type HistoryView } from '../../trend/view.js';
import { readRunResult } from '../../results/read.js';
import { writeFileAtomic } from '../../util/atomic.js';

export interface HistoryCommandOptions {
  cwd: string;
  scenario: string;
  profile: string;
  add?: string; // a run folder or its result.json, appended before the trend is shown
  json?: boolean;
  markdown?: boolean;
  html?: string; // write the charted page here
  recent?: number; // nights in which a regression fails (default 7)
  max?: number; // records kept in the file (default 400)
  rows?: number; // newest nights listed (default 14)
}

function positiveInt(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} must be a whole number >= 1 (got ${v})`);
  return v;
}

export async function historyCommand(o: HistoryCommandOptions): Promise<{ text: string; exitCode: 0 | 1 }> {
  const recent = positiveInt('--recent', o.recent);
  const max = positiveInt('--max', o.max);
  const rows = positiveInt('--rows', o.rows);
  const file = historyPath(o.cwd, o.profile, o.scenario);
  const shown = relative(o.cwd, file) || file;
  const notes: string[] = [];
  let addedDrifted = false;
  if (o.add) {
    const { file: from, result } = await readRunResult(o.add, o.cwd);
    if (result.target !== o.profile || result.scenario !== o.scenario) {
      throw new UsageError(`${from} is a run of ${result.scenario} on ${result.target}, not ${o.scenario} on ${o.profile}`, `record it in its own history: loadctl history ${result.scenario} -t ${result.target} --add ${o.add}`);
    }
    if (result.status === 'error' || result.status === 'interrupted') {
      throw new UsageError(`run ${result.runId} has status "${result.status}": a broken or cut-short run would read as a step in the nightly series`, 'record only runs that finished');
    }
    // A run judged with drift carries its checks (under the profile's sla.drift); otherwise they
    // are judged now with the defaults, for the scenarios drift is on by default for (soak).
    const carried = result.checks.filter((c) => c.kind === 'drift');
    const drift = carried.length ? carried : driftEnabled(undefined, result.scenario) ? judgeDrift(result) : [];
    const outcome = await appendHistory(file, historyRecord(result, drift), { max });
    addedDrifted = drift.some((c) => c.status === 'fail');
    notes.push(outcome.duplicate ? `run ${result.runId} is already in ${shown}: not added again` : `recorded ${result.runId} in ${shown}${outcome.trimmed ? ` (dropped the ${outcome.trimmed} oldest)` : ''}`);
    for (const c of drift.filter((x) => x.status === 'fail')) notes.push(`drift: ${c.name}: ${c.reason}`);
  }
  const { records, skipped } = await readHistory(file);
  const view: HistoryView = { profile: o.profile, scenario: o.scenario, file: shown, records, analysis: analyseHistory(records, { recent }), skipped: skipped.length, rows };
  if (o.html) {
    const out = resolve(o.cwd, o.html);
    await writeFileAtomic(out, historyHtml(view, loadChartAssets()));
    notes.push(`wrote ${relative(o.cwd, out) || out}`);
  }
  const exitCode = view.analysis.status === 'regressed' || addedDrifted ? 1 : 0;
  if (o.json) return { text: historyJson(view).trimEnd(), exitCode };
  const body = o.markdown ? historyMarkdown(view).trimEnd() : historyText(view);
  return { text: [...notes, ...(notes.length ? [''] : []), body].join('\n'), exitCode };
}

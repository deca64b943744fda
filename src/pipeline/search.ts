// `loadctl run <scenario> --search`: the capacity found faster than a staircase. k6 cannot change
// a running test's rate, so each trial is one short run at one constant arrival rate (the built-in
// `sustained` shape at --rate R), judged like a staircase step; src/search grows the rate ×2 until a
// trial fails, then bisects. Each trial is measured once and concluded once: the verdict run is the
// best sustained trial, concluded with the search's evidence (the capacity, the trial table, the
// capacity checks of sla.minCapacity, the baseline pool); the others with their own.

import type { SearchSettings } from '../config/types.js';
import { UsageError } from '../util/errors.js';
import { analyseCapacity, judgeCapacity } from '../capacity/analyse.js';
import { parseDuration } from '../plan/duration.js';
import type { StepRow } from '../capacity/types.js';
import { searchCapacity, searchOptions } from '../capacity/search-driver.js';
import { trialOutcome } from '../capacity/trial-outcome.js';
import { baselineFileFor, judgeAgainstBaseline } from './baseline.js';
import type { Concluded } from './output.js';
import { prepareRun } from './prepare.js';
import { conclude, measure, type Measured } from './run-once.js';
import { finishSession, isSession, openSession, type RunOptions, type RunOutcome } from './session.js';

export interface SearchFlags {
  ceiling?: string; // highest rate to try (iterations/s)
  budget?: string; // wall time for the whole search, e.g. 2m
}

export async function searchPipeline(o: RunOptions & SearchFlags): Promise<RunOutcome> {
  const prepared = await prepareRun({ ...o, scenario: 'sustained' });
  const { plan, profile } = prepared;
  const settings = searchSettings(profile.profile.search, o, profile.file ?? profile.name);
  const baselineFile = baselineFileFor(o.cwd, o.baseline, profile.name, `${o.scenario}-search`);
  const session = await openSession(o, [prepared], { baselineFile, progress: 'none' });
  if (!isSession(session)) return session;

  const trials: { measured: Measured; row: StepRow; dir: string }[] = [];
  const search = await searchCapacity(async (rate, ms) => {
    const trial = await prepareRun({ ...o, scenario: 'sustained', rate: String(rate), duration: `${ms / 1000}s` });
    const m = await measure(trial.plan, { ...session.ctx, scenarioFile: trial.scenarioFile, ...(o.out ? { outDir: `${o.out}/trial-${trials.length + 1}` } : {}) });
    const outcome = trialOutcome(m.aggregate.metrics, rate, ms, plan.sla);
    trials.push({ measured: m, row: outcome.row, dir: m.runDir });
    o.stderr(`search: ${rate}/s ${outcome.sustained ? 'sustained' : `not sustained (${outcome.reason ?? 'limits broken'})`}, ${outcome.achievedRps?.toFixed(1)} req/s achieved`);
    return outcome;
  }, searchOptions(settings));
  if (trials.length === 0) throw new UsageError('the search budget ended before the first trial', 'raise search.budgetSeconds or --budget');

  const byRate = [...trials].sort((a, b) => a.row.offered - b.row.offered);
  const analysis = analyseCapacity(
    byRate.map((t) => ({ name: t.row.name, offered: t.row.offered, startMs: 0, endMs: t.row.seconds * 1000, judgeFromMs: 0, measure: t.row })),
    { sla: plan.sla },
  );
  const verdictTrial = trials.find((t) => t.row.offered === analysis.capacity) ?? trials[trials.length - 1]!;
  const capacity = analysis.capacity ?? undefined;
  const m = verdictTrial.measured;
  const judged = await judgeAgainstBaseline(baselineFile, [{ metrics: m.aggregate.metrics, meta: m.meta, ...(capacity !== undefined ? { capacity } : {}) }], plan.baseline, { cwd: o.cwd, strict: o.strict, explicit: o.baseline !== undefined });
  const result = conclude(m, {
    baseline: judged.checks,
    acrossRuns: { checks: judgeCapacity(analysis, plan.sla), extras: { scaling: { analysis }, ...(capacity !== undefined ? { capacity } : {}) } },
  });
  // Every trial's folder gets its reports; the verdict run's last, so it is the one published.
  const others: Concluded[] = trials.filter((t) => t !== verdictTrial).map((t) => ({ result: conclude(t.measured), dir: t.dir }));
  const notes = [
    ...judged.notes,
    `search: ${trials.length} trials in ${(search.elapsedMs / 1000).toFixed(0)} s (stopped: ${search.stop}); capacity between ${search.bracket[0] ?? '-'} and ${search.bracket[1] ?? '-'} iterations/s`,
  ];
  return finishSession(session, o, { runs: [...others, { result, dir: verdictTrial.dir }], notes, policy: plan.baseline, pool: { file: baselineFile, runs: [result] } });
}

/** The profile's `search:` block with --ceiling/--budget on top; a ceiling is needed from one of them. */
function searchSettings(fromProfile: SearchSettings | undefined, o: SearchFlags, file: string): SearchSettings {
  const ceiling = o.ceiling !== undefined ? Number(o.ceiling) : fromProfile?.ceiling;
  if (ceiling === undefined || !Number.isFinite(ceiling) || ceiling <= 0) {
    throw new UsageError(
      o.ceiling !== undefined ? `--ceiling ${o.ceiling}: expected a rate above 0 (iterations/s)` : `${file}: /search/ceiling: --search needs the highest rate to try`,
      'set search.ceiling in the profile, or pass --ceiling <iterations/s>',
    );
  }
  const budgetMs = o.budget !== undefined ? parseDuration(o.budget) : null;
  if (o.budget !== undefined && (budgetMs === null || budgetMs < 1000)) throw new UsageError(`--budget ${o.budget}: expected a duration like 90s or 5m`);
  return { ...fromProfile, ceiling, ...(budgetMs !== null ? { budgetSeconds: budgetMs / 1000 } : {}) };
}

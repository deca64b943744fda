// `loadctl baseline show|add|remove|history <profile> <scenario>`: look after the pool of accepted
// runs a regression is judged against. Returns the text to print; the CLI prints it.
import { relative } from 'node:path';
import { addRun, baselinePath, readBaseline, removeRun } from '../../baselines/store.js';
import { baselineRunFrom } from '../../judge/baseline/values.js';
import { UsageError } from '../../util/errors.js';
import { sensitivityNotes } from '../../judge/baseline/sensitivity-notes.js';
import { renderAdded, renderHistory, renderPool, renderRemoved } from '../../report/views/baseline-pool.js';
import { readRunResult } from '../../results/read.js';

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

export async function baselineCommand(o: BaselineOptions): Promise<string> {
  const file = baselinePath(o.cwd, o.profile, o.scenario);
  const shown = relative(o.cwd, file) || file;
  switch (o.action) {
    case 'show': {
      const b = await readBaseline(file);
      if (o.json) return JSON.stringify(b ?? { file: shown, runs: [] }, null, 2);
      // Stated for one candidate run, the default tolerances and α, and the overall checks.
      const stated = b ? sensitivityNotes(b.runs, 1, {}, 5, 'a single run judged against this pool') : [];
      return [renderPool(b, shown), ...stated].join('\n');
    }
    case 'history': {
      const b = await readBaseline(file);
      const history = b?.history ?? [];
      if (o.json) return JSON.stringify(history, null, 2);
      return renderHistory(history, shown);
    }
    case 'add': {
      if (!o.run) throw new UsageError('baseline add needs a run', 'pass the run directory or its result.json, e.g. reports/<run-id>');
      const { file: from, result } = await readRunResult(o.run, o.cwd);
      if (result.target !== o.profile || result.scenario !== o.scenario) {
        throw new UsageError(
          `${from} is a run of ${result.scenario} on ${result.target}, not ${o.scenario} on ${o.profile}`,
          `add it to its own baseline: loadctl baseline add ${result.target} ${result.scenario}`,
        );
      }
      const run = baselineRunFrom(result);
      const { baseline, dropped } = await addRun(file, run, { force: o.force, note: o.note, poolSize: o.poolSize });
      if (o.json) return JSON.stringify({ file: shown, added: run.runId, forced: run.status !== 'pass', dropped }, null, 2);
      return renderAdded({ run, pool: baseline, shown, dropped });
    }
    case 'remove': {
      if (!o.id) throw new UsageError('baseline remove needs a run id', 'see the ids with: loadctl baseline show');
      const b = await removeRun(file, o.id, { note: o.note });
      return o.json ? JSON.stringify({ file: shown, removed: o.id, runs: b.runs.length }, null, 2) : renderRemoved(o.id, b, shown);
    }
  }
}

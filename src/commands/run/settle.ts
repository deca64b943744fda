// Settles the verdict of a set of runs (a --repeat set, or the candidates of a gate) once the
// baseline judge has spoken: its checks go on the last run, whose status then speaks for the set.

import { failureReason, verdictOf } from '../../judge/verdict.js';
import type { RunResult } from '../../results/types.js';
import type { OnceOutcome } from './once.js';

/** Adds the baseline checks to the last run and settles its status over every run of the set. */
export function settle(result: RunResult, baselineChecks: RunResult['checks'], runs: OnceOutcome[]): void {
  // A run failed by something other than its checks (a safety stop, the script's own thresholds,
  // test.abort()) stays failed for that reason.
  const failedByRun = result.status === 'fail' && result.reason !== failureReason(result.checks);
  result.checks.push(...baselineChecks);
  if (failedByRun) return;
  const earlierFailed = runs.slice(0, -1).find((r) => r.result.status === 'fail');
  const verdict = verdictOf(result.checks);
  result.status = earlierFailed ? 'fail' : verdict;
  const reason = earlierFailed
    ? `run ${runs.indexOf(earlierFailed) + 1} of ${runs.length} failed: ${earlierFailed.result.reason ?? 'a check failed'}`
    : verdict === 'fail'
      ? failureReason(result.checks)
      : verdict === 'inconclusive'
        ? inconclusiveReason(result.checks)
        : undefined;
  if (reason) result.reason = reason;
  else delete result.reason;
}

function inconclusiveReason(checks: RunResult['checks']): string {
  const c = checks.find((x) => x.status === 'inconclusive')!;
  const n = checks.filter((x) => x.status === 'inconclusive').length;
  return `${c.name}: ${c.reason ?? 'not enough data'}${n > 1 ? ` (+${n - 1} more inconclusive)` : ''}`;
}

export function abnormal(r: RunResult): boolean {
  return r.status === 'error' || r.status === 'interrupted';
}

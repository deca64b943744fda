// Every judge's checks and how the run ended → one Verdict: the status, the reason in one line, and
// the checks. The only place a run's status is decided. Pure.

import type { Sla } from '../../config/types.js';
import type { Check, Metrics, Verdict } from '../../results/types.js';
import { judgeSla } from './sla.js';

/** How k6 (and loadctl around it) ended the run, before any check is looked at. */
export type RunEnd =
  | { kind: 'completed' }
  | { kind: 'safety-stop'; reason: string } // loadctl stopped k6: the target was in trouble
  | { kind: 'interrupted'; reason: string } // SIGINT/SIGTERM; results cover part of the plan
  | { kind: 'crashed'; reason: string } // k6 died with partial results
  | { kind: 'script-failed'; reason: string }; // the script's own thresholds, test.abort(), test.fail()

export interface JudgeInput {
  end: RunEnd;
  sla: Sla;
  metrics: Metrics;
  /** What the overall SLA numbers cover, when not the whole run (a chaos run: "outside faults"). */
  slaScope?: string;
  /** Checks against the stored baseline pool (or a gate's reference runs). */
  baseline?: Check[];
  /** Checks of other judges that ran beside this run. */
  extra?: Check[];
  /** Earlier runs of the same set (--repeat, a gate's candidates): one failed run fails the set. */
  earlier?: readonly Pick<Verdict, 'status' | 'reason'>[];
}

export function judge(i: JudgeInput): Verdict {
  // A crashed run's numbers are a fragment: judging them against limits would mislead.
  if (i.end.kind === 'crashed') return { status: 'error', reason: i.end.reason, checks: [] };
  const checks = [...judgeSla(i.sla, i.metrics, i.slaScope), ...(i.extra ?? []), ...(i.baseline ?? [])];
  if (i.end.kind === 'interrupted') return { status: 'interrupted', reason: i.end.reason, checks };
  if (i.end.kind === 'safety-stop' || i.end.kind === 'script-failed') return { status: 'fail', reason: i.end.reason, checks };
  const earlier = i.earlier ?? [];
  const failedBefore = earlier.findIndex((v) => v.status === 'fail');
  if (failedBefore >= 0) {
    const total = earlier.length + 1;
    return { status: 'fail', reason: `run ${failedBefore + 1} of ${total} failed: ${earlier[failedBefore]!.reason ?? 'a check failed'}`, checks };
  }
  return { ...fromChecks(checks), checks };
}

/** Status and reason from checks alone: any fail fails; otherwise any inconclusive is inconclusive. */
export function fromChecks(checks: readonly Check[]): { status: 'pass' | 'fail' | 'inconclusive'; reason?: string } {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) return { status: 'fail', reason: summarise(failed, 'failed', 'more failed checks') };
  const open = checks.filter((c) => c.status === 'inconclusive');
  if (open.length > 0) return { status: 'inconclusive', reason: summarise(open, 'not enough data', 'more inconclusive') };
  return { status: 'pass' };
}

function summarise(checks: Check[], fallback: string, more: string): string {
  const first = checks[0]!;
  return `${first.name}: ${first.reason ?? fallback}${checks.length > 1 ? ` (+${checks.length - 1} ${more})` : ''}`;
}

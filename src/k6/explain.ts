// How a k6 run ended, in loadctl's terms: k6's exit code and signal, whether loadctl itself stopped
// it, and what the samples say, turned into a RunEnd for the judge — or into the error that makes
// the run's results meaningless (k6 failed before any request, the target went away). Pure.

import { K6Error, TargetError, type LoadctlError } from '../util/errors.js';
import type { RunEnd } from '../judge/sla/verdict.js';
import { classifyK6Exit, describeK6Exit } from './exit-codes.js';
import { saysUnreachable } from './logs.js';
import { lastK6Error, type K6Exit } from './process.js';

export interface EndFacts {
  exit: K6Exit;
  /** The signal loadctl received and passed on to k6 (the user's Ctrl-C, CI's SIGTERM). */
  interruptedBy?: string;
  /** Why loadctl stopped k6 itself (a safety stop, a task beside k6). */
  stoppedFor?: string;
  requests: number;
  failed: number;
  durationMs: number; // covered by samples
  redact: (s: string) => string;
}

export function explainK6Exit(f: EndFacts): RunEnd | LoadctlError {
  if (f.stoppedFor) return { kind: 'safety-stop', reason: f.stoppedFor };
  const { exit } = f;
  const outcome = classifyK6Exit(exit.exitCode, exit.signal);
  if (f.interruptedBy) return { kind: 'interrupted', reason: `interrupted by ${f.interruptedBy}; results cover the first ${(f.durationMs / 1000).toFixed(1)} s` };
  if (outcome === 'interrupted') return { kind: 'interrupted', reason: `${describeK6Exit(exit.exitCode, exit.signal)}; partial results` };
  if (outcome === 'crashed') {
    const why = lastK6Error(exit.stderrTail);
    const text = f.redact(`${describeK6Exit(exit.exitCode, exit.signal)}${why ? `: ${why}` : ''}`);
    if (f.requests === 0 && exit.exitCode !== null) return new K6Error(text, 'see the k6 output above; fix the script or the plan');
    return { kind: 'crashed', reason: `${text}; partial results` };
  }
  if (outcome === 'failed-by-script') return { kind: 'script-failed', reason: describeK6Exit(exit.exitCode) };
  if (outcome === 'thresholds-failed') return { kind: 'script-failed', reason: "the script's own k6 thresholds failed (k6 exited 99)" };
  if (f.requests > 0 && f.failed === f.requests && saysUnreachable(exit.stderrTail)) {
    return new TargetError(`every request failed: the target stopped answering (${lastK6Error(exit.stderrTail) ?? 'connection errors'})`, 'check that the service is up and baseUrl is right');
  }
  return { kind: 'completed' };
}

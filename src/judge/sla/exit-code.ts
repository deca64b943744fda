// A verdict's status as the process's exit code: the contract the README documents. Pure.
import { ExitCode } from '../../util/errors.js';
import type { RunStatus } from '../../results/types.js';

const STATUS_EXIT: Record<RunStatus, ExitCode> = {
  pass: ExitCode.pass,
  inconclusive: ExitCode.pass,
  fail: ExitCode.fail,
  error: ExitCode.runtime,
  interrupted: ExitCode.interrupted,
};

/**
 * The exit-code contract (README): the one place a verdict becomes an exit code, for every command
 * that judges (run, gate, compare). The profile's `baseline.inconclusive: fail` makes an
 * inconclusive verdict fail.
 */
export function exitCodeFor(status: RunStatus, onInconclusive: 'pass' | 'fail' = 'pass'): ExitCode {
  return status === 'inconclusive' && onInconclusive === 'fail' ? ExitCode.fail : STATUS_EXIT[status];
}

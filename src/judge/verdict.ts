// Checks → one run status. Any fail fails; otherwise any inconclusive makes the run inconclusive.

import type { Check, RunStatus } from '../results/types.js';

export function verdictOf(checks: Check[]): Extract<RunStatus, 'pass' | 'fail' | 'inconclusive'> {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'inconclusive')) return 'inconclusive';
  return 'pass';
}

export function failureReason(checks: Check[]): string | undefined {
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length === 0) return undefined;
  const first = failed[0]!;
  return `${first.name}: ${first.reason ?? 'failed'}${failed.length > 1 ? ` (+${failed.length - 1} more failed checks)` : ''}`;
}

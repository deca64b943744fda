// k6's exit codes (errext/exitcodes in k6's source) explained in words. loadctl never passes them
// through raw: the run command maps each onto its own contract.

export const K6_EXIT: Record<number, string> = {
  97: 'cloud test run failed',
  98: 'cloud test run still in progress',
  99: 'thresholds failed',
  100: 'setup() timed out',
  101: 'teardown() timed out',
  102: 'k6 timed out',
  103: 'stopped through the REST API',
  104: 'invalid configuration',
  105: 'stopped by a signal (external abort)',
  106: 'the REST API could not start',
  107: 'the script threw an exception',
  108: 'the script called test.abort()',
  109: 'k6 panicked (a bug in k6)',
  110: 'the script called execution.test.fail()',
};

export function describeK6Exit(code: number | null, signal?: string): string {
  if (signal) return `k6 was killed by ${signal}`;
  if (code === null) return 'k6 did not exit';
  return K6_EXIT[code] ? `k6 exited ${code}: ${K6_EXIT[code]}` : `k6 exited ${code}`;
}

export type K6Outcome = 'ok' | 'interrupted' | 'failed-by-script' | 'thresholds-failed' | 'crashed';

/** How loadctl reads a k6 exit: its own verdict comes from the samples, not from k6. */
export function classifyK6Exit(code: number | null, signal?: string): K6Outcome {
  if (signal === 'SIGINT' || signal === 'SIGTERM' || code === 105) return 'interrupted';
  if (signal) return 'crashed';
  if (code === 0) return 'ok';
  if (code === 99) return 'thresholds-failed';
  if (code === 108 || code === 110) return 'failed-by-script';
  return 'crashed';
}

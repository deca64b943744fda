// The exact argv and environment loadctl gives k6. Pure, so tests can assert them. Secrets never
// appear here: k6 reads them from the inherited environment (`__ENV`), the plan holds only names.

import { formatDuration } from '../plan/duration.js';
import type { Plan } from '../plan/types.js';

export type SampleFormat = 'json' | 'csv';

export interface K6Invocation {
  args: string[];
  env: Record<string, string>;
}

export interface InvocationInput {
  plan: Plan;
  script: string; // bundle (scenario) or the user's file (plain script)
  samplesPath: string; // FIFO loadctl reads while k6 runs
  format: SampleFormat;
}

export function k6Invocation({ plan, script, samplesPath, format }: InvocationInput): K6Invocation {
  const args = [
    'run',
    '--quiet',
    '--no-color',
    // loadctl aggregates the sample stream itself. k6 keeps every Trend sample in memory while
    // its summary OR thresholds are on (bench/k6-rss.mjs): both go off for loadctl's scenarios.
    '--summary-mode=disabled',
    '--no-usage-report',
    '--out',
    `${format}=${samplesPath}`,
  ];
  if (plan.scenario.kind === 'scenario') args.push('--no-thresholds');
  if (plan.scenario.kind === 'script') {
    // A plain script keeps its own thresholds (its options are honoured); a failed one fails the run.
    if (plan.overrides.vus !== undefined) args.push('--vus', String(plan.overrides.vus));
    if (plan.overrides.durationMs !== undefined) args.push('--duration', formatDuration(plan.overrides.durationMs));
    if (plan.k6.rps !== undefined) args.push('--rps', String(plan.k6.rps));
  }
  args.push(script);
  const env: Record<string, string> = {
    BASE_URL: plan.target.baseUrl,
    K6_NO_USAGE_REPORT: 'true',
    NO_COLOR: '1',
  };
  if (format === 'csv') env.K6_CSV_TIME_FORMAT = 'unix_milli';
  if (plan.scenario.kind === 'scenario') env.LOADCTL_PLAN = JSON.stringify(plan);
  return { args, env };
}

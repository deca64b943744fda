// The exact argv and environment loadctl gives k6. Pure, so tests can assert them. Secrets never
// appear here: k6 reads them from the inherited environment (`__ENV`), the plan holds only names.

import { formatDuration } from '../plan/duration.js';
import type { Plan } from '../plan/types.js';
import { SAMPLE_FORMATS, type SampleFormat } from '../results/types.js';
import type { K6Binary } from './locate.js';
import { UsageError } from '../errors.js';

export interface K6Invocation {
  args: string[];
  env: Record<string, string>;
  /** Used only where the user's own environment does not set them. */
  envDefaults: Record<string, string>;
}

// k6 under loadctl keeps no samples, so its heap stays small and Go's default GOGC=100 collects
// very often: on a CPU-bound run that cost ~5 % of k6's throughput (bench/run-overhead.mjs; bare
// k6 collects less often only because its summary's samples grow its heap). 200 halves the
// collections for a few MB of a heap that stays flat (bench/k6-rss.mjs). A GOGC the user sets wins.
const K6_ENV_DEFAULTS = { GOGC: '200' };

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
  // A plain script's thresholds are judged by loadctl when the plan carries them (src/thresholds);
  // otherwise k6 judges them, and a failed one fails the run.
  if (plan.scenario.kind === 'scenario' || plan.thresholds !== undefined) args.push('--no-thresholds');
  if (plan.scenario.kind === 'script') {
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
  if (format === 'loadctl') {
    env.K6_LOADCTL_BUCKET_MS = String(plan.bucketMs);
    env.K6_LOADCTL_TAGS = plan.metricTags.join(',');
  }
  if (plan.scenario.kind === 'scenario') env.LOADCTL_PLAN = JSON.stringify(plan);
  return { args, env, envDefaults: { ...K6_ENV_DEFAULTS } };
}

/**
 * The sample stream to ask k6 for: loadctl's own output when the k6 has it (it aggregates in k6, so
 * k6 spends almost nothing on output), else k6's JSON output: it costs more than CSV
 * (bench/sample-format.mjs) but declares each metric's type, which custom metrics need.
 * LOADCTL_SAMPLE_FORMAT forces one (benchmarks, tests, debugging).
 */
export function chooseSampleFormat(k6: Pick<K6Binary, 'outputs' | 'path'>, env: NodeJS.ProcessEnv): SampleFormat {
  const forced = env.LOADCTL_SAMPLE_FORMAT;
  if (forced !== undefined && forced !== '' && forced !== 'auto') {
    if (!(SAMPLE_FORMATS as readonly string[]).includes(forced)) {
      throw new UsageError(`LOADCTL_SAMPLE_FORMAT=${forced} is not a sample format`, `use one of auto, ${SAMPLE_FORMATS.join(', ')}`);
    }
    if (forced === 'loadctl' && !k6.outputs.includes('loadctl')) {
      throw new UsageError(`LOADCTL_SAMPLE_FORMAT=loadctl, but ${k6.path} was built without loadctl's output`, 'build k6 with `bash scripts/install-k6.sh`, or unset LOADCTL_SAMPLE_FORMAT');
    }
    return forced as SampleFormat;
  }
  return k6.outputs.includes('loadctl') ? 'loadctl' : 'json';
}

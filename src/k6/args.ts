// The exact argv and environment loadctl gives k6. Pure, so tests can assert them. Secrets never
// appear here: k6 reads them from the inherited environment (`__ENV`), the plan holds only names.

import { formatDuration } from '../plan/duration.js';
import type { Plan } from '../plan/types.js';
import { SAMPLE_FORMATS, type SampleFormat } from '../results/types.js';
import type { K6Binary } from './locate.js';
import { UsageError } from '../util/errors.js';
import { outputInvocation, runTags } from './outputs.js';

export interface K6Invocation {
  args: string[];
  env: Record<string, string>;
  /** Used only where the user's own environment does not set them. */
  envDefaults: Record<string, string>;
  /** The extra outputs' settings; values may hold ${NAME}, resolved only into k6's environment (spawnK6). */
  envTemplates: Record<string, string>;
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
  /** Tags every sample with testid=<runId> (k6/outputs.ts); absent in tests that do not care. */
  runId?: string;
  /** A plain script's own options.tags (k6's --tag would drop them); null when they could not be read. */
  scriptTags?: Record<string, string> | null;
  /** The k6 line found (k6/locate.ts): v1 and v2 take different summary and REST API flags. Default 2. */
  k6Major?: number;
  /** k6-operator's runners: their REST API stays where the operator's starter resumes them. */
  keepRestApi?: boolean;
  /** One of several instances (src/distributed): its slice of the test, paused until resumed through its REST API. */
  instance?: { segment: string; sequence: string; address: string };
}

export function k6Invocation({ plan, script, samplesPath, format, runId, scriptTags, instance, k6Major = 2, keepRestApi = false }: InvocationInput): K6Invocation {
  const args = [
    'run',
    '--quiet',
    '--no-color',
    // loadctl aggregates the sample stream itself. k6 keeps every Trend sample in memory while
    // its summary OR thresholds are on (bench/k6-rss.mjs): both go off for loadctl's scenarios.
    // v1 spells it --no-summary; v2 dropped that flag for a summary mode.
    k6Major >= 2 ? '--summary-mode=disabled' : '--no-summary',
    '--no-usage-report',
    '--out',
    `${format}=${samplesPath}`,
  ];
  // v1 serves its REST API on localhost:6565 unless told otherwise (a second k6 then only warns);
  // loadctl needs it only for instances, which get their own address below. v2 serves none by default.
  if (k6Major < 2 && !instance && !keepRestApi) args.push('--address', '');
  // A plain script's thresholds are judged by loadctl when the plan carries them (src/thresholds);
  // otherwise k6 judges them, and a failed one fails the run.
  if (plan.scenario.kind === 'scenario' || plan.thresholds !== undefined) args.push('--no-thresholds');
  if (plan.scenario.kind === 'script') {
    if (plan.overrides.vus !== undefined) args.push('--vus', String(plan.overrides.vus));
    if (plan.overrides.durationMs !== undefined) args.push('--duration', formatDuration(plan.overrides.durationMs));
    if (plan.k6.rps !== undefined) args.push('--rps', String(plan.k6.rps));
  }
  if (instance) {
    args.push('--execution-segment', instance.segment, '--execution-segment-sequence', instance.sequence, '--paused', '--address', instance.address);
  }
  const extra = outputInvocation(plan.outputs ?? [], tagsFor(plan, runId, scriptTags), k6Major);
  args.push(...extra.args, script);
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
  return { args, env, envDefaults: { ...K6_ENV_DEFAULTS }, envTemplates: extra.envTemplates };
}

/**
 * A loadctl scenario always carries the run id (its options set no run tags). A plain script does
 * when it has extra outputs (where the tag is what picks the run) and its own tags could be read
 * to pass on with it; otherwise the tag would cost it its own `options.tags`.
 */
function tagsFor(plan: Plan, runId: string | undefined, scriptTags: Record<string, string> | null | undefined): Record<string, string> | null {
  if (runId === undefined) return null;
  if (plan.scenario.kind === 'scenario') return runTags(runId);
  if (!plan.outputs?.length || scriptTags === null) return null;
  return runTags(runId, scriptTags);
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
      throw new UsageError(`LOADCTL_SAMPLE_FORMAT=loadctl, but ${k6.path} was built without loadctl's output`, 'that stream came from loadctl\'s former k6 extension: unset LOADCTL_SAMPLE_FORMAT (a stock k6 streams json)');
    }
    return forced as SampleFormat;
  }
  return k6.outputs.includes('loadctl') ? 'loadctl' : 'json';
}

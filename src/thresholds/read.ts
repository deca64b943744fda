// Reads a plain script's thresholds with `k6 inspect` (the script's options as JSON, without running
// it), parses them (parse.ts), then lets k6 check them against its metric registry
// (`--execution-requirements` validates thresholds the way `k6 run` does: a custom metric that does
// not exist, an aggregation its type does not answer).

import { k6Inspect, type Inspected } from '../k6/inspect.js';
import { UsageError } from '../util/errors.js';
import { parseThresholds, type ScriptThreshold } from './parse.js';

export interface ReadInput {
  k6: string; // the k6 binary
  script: string; // absolute path
  display: string; // how errors name the script
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Set as k6 run sets them (BASE_URL): scripts read them at init. */
  runEnv: Record<string, string>;
}

function inspect(i: ReadInput, extra: string[]): Promise<Inspected> {
  return k6Inspect(i.k6, i.script, extra, { cwd: i.cwd, env: { ...i.env, ...i.runEnv } });
}

/** The `msg="…"` of k6's error lines, unescaped. */
export function k6ErrorMessages(stderr: string): string[] {
  const out: string[] = [];
  for (const m of stderr.matchAll(/level=error msg="((?:[^"\\]|\\.)*)"/g)) out.push(JSON.parse(`"${m[1]}"`) as string);
  return out;
}

/**
 * The script's thresholds, or null when k6 cannot even load the script for inspection (an
 * exception at init): then the run goes ahead with k6 judging the thresholds, and fails as k6 does.
 * Throws UsageError for thresholds k6 would refuse.
 */
export async function readScriptThresholds(i: ReadInput): Promise<ScriptThreshold[] | null> {
  const first = await inspect(i, []);
  if (first.code !== 0) return null;
  let options: { thresholds?: unknown };
  try {
    options = JSON.parse(first.stdout) as { thresholds?: unknown };
  } catch {
    return null;
  }
  const thresholds = parseThresholds(options.thresholds, i.display);
  if (thresholds.length === 0) return thresholds;
  const checked = await inspect(i, ['--execution-requirements']);
  if (checked.code === 104) {
    const why = k6ErrorMessages(checked.stderr).find((m) => /threshold/i.test(m)) ?? k6ErrorMessages(checked.stderr)[0] ?? 'k6 refused its options';
    throw new UsageError(`${i.display}: options.thresholds: ${why}`, thresholdFix(why));
  }
  return thresholds;
}

function thresholdFix(why: string): string {
  if (/no metric name/.test(why)) return 'name a built-in metric or one the script creates (new Trend/Rate/Counter/Gauge), spelled the same';
  if (/unsupported aggregation method/.test(why)) return "use an aggregation the metric's type answers: Trend avg/min/max/med/p(N), Rate rate, Counter count/rate, Gauge value";
  return "fix the script's thresholds (k6's syntax: 'p(95)<500', 'rate<0.01', 'count>100')";
}

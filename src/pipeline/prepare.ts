// The plan stage's edge: reads the scenario and the profile, checks the flags, and hands them to the
// pure planner. Throws UsageError on bad input, so nothing is started or written.

import { relative } from 'node:path';
import { extractShape } from '../bundle/extract-shape.js';
import { locateScenario } from '../bundle/locate.js';
import { loadProfile } from '../config/load.js';
import type { LoadedProfile } from '../config/types.js';
import { UsageError } from '../util/errors.js';
import { parseDuration } from '../plan/duration.js';
import { buildPlan } from '../plan/plan.js';
import type { Distribution, Plan } from '../plan/types.js';

export interface PlanOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  scenario: string;
  target: string;
  set?: string[];
  fault?: string[]; // --fault specs
  k6Out?: string[]; // --k6-out specs
  vus?: string;
  rate?: string;
  duration?: string;
  bucket?: string;
  yes?: boolean;
  instances?: string; // --instances: local k6 processes sharing the load
  executor?: string; // --executor local|k8s
  parallelism?: string; // --parallelism: k6-operator runners (with --executor k8s)
  /** The per-user tools folder, decided at the edge (cli.ts): caches and a kept k6 live there. */
  toolsDir?: string;
}

export interface Prepared {
  plan: Plan;
  profile: LoadedProfile;
  scenarioFile: string; // absolute
}

export async function prepareRun(o: PlanOptions): Promise<Prepared> {
  const ref = locateScenario(o.scenario, o.cwd);
  const flags = {
    vus: positiveInt(o.vus, '--vus'),
    rate: positiveNumber(o.rate, '--rate'),
    durationMs: durationFlag(o.duration, '--duration'),
    bucketMs: durationFlag(o.bucket, '--bucket'),
    yes: o.yes,
    faults: o.fault,
    k6Out: o.k6Out,
    distribution: distributionFlags(o),
  };
  const profile = await loadProfile(o.target, { cwd: o.cwd, env: o.env, set: o.set ?? [], ...(o.toolsDir ? { toolsDir: o.toolsDir } : {}) });
  const spec = await extractShape(ref.file, o.cwd, o.toolsDir);
  if (!spec && flags.rate !== undefined) {
    throw new UsageError(`--rate needs a loadctl scenario; ${ref.display} is a plain k6 script with its own options`, 'drop --rate, or set the rate in the script');
  }
  const plan = buildPlan({ scenario: { name: ref.name, file: relative(o.cwd, ref.file) || ref.file, spec }, profile, flags });
  return { plan, profile, scenarioFile: ref.file };
}

function distributionFlags(o: PlanOptions): Distribution & { flag: string } {
  const executor = o.executor ?? 'local';
  if (executor !== 'local' && executor !== 'k8s' && executor !== 'k6-operator') throw new UsageError(`--executor ${executor}: expected local, k8s or k6-operator`, 'use --executor k8s to run stock k6 runner Jobs on Kubernetes, k6-operator where that operator is installed; leave it out to run here');
  if (executor === 'local') {
    if (o.parallelism !== undefined) throw new UsageError('--parallelism is for --executor k8s or k6-operator', 'use --instances N for several k6 processes on this machine');
    return { executor, instances: positiveInt(o.instances, '--instances') ?? 1, flag: '--instances' };
  }
  if (o.instances !== undefined) throw new UsageError(`--instances is for local runs; with --executor ${executor} the runners are set by --parallelism`, 'use --parallelism N');
  return { executor, instances: positiveInt(o.parallelism, '--parallelism') ?? 1, flag: '--parallelism' };
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${v}: expected a whole number of at least 1`);
  return n;
}

function positiveNumber(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${v}: expected a number above 0`);
  return n;
}

function durationFlag(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = parseDuration(v);
  if (ms === null || ms < 1000) {
    throw new UsageError(`${flag} ${v}: expected a duration of at least 1s, like 20s, 5m or 24h`);
  }
  return ms;
}

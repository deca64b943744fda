// The executor seam: what the pipeline asks of whatever runs the load (one local k6, several local
// k6 processes, runners on Kubernetes) and what it gets back. Executors depend on this contract;
// the pipeline knows them only through it (pipeline/executors.ts picks one for a plan).

import type { RunEnd } from '../judge/sla/verdict.js';
import type { K6Binary } from '../k6/locate.js';
import type { K6Exit } from '../k6/process.js';
import type { Plan } from '../plan/types.js';
import type { AggregateResult, LiveStats } from '../results/series-types.js';
import type { InstanceRow, SampleCounts, SampleFormat } from '../results/types.js';
import type { BesideTask, SetupStep } from './beside.js';

/** Where a run on a cluster goes, from the command line (--namespace, --context, --runner-image). */
export interface ClusterSettings {
  namespace?: string;
  context?: string;
  image?: string;
  kubectl?: string; // default: kubectl on PATH
  pollMs?: number;
}

export interface ExecuteOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  k6: K6Binary;
  script: string | Promise<string>; // may still be bundling while the target starts
  format: SampleFormat;
  redact: (s: string) => string;
  onLog: (line: string) => void;
  onProgress?: (live: LiveStats) => void;
  onStarted?: (plan: Plan) => void;
  /** Run beside k6, started once k6 is and stopped on every exit path. */
  tasks?: BesideTask[];
  /** Set up once the target is up, before k6 starts (a fault proxy, probes); undone on every exit path. */
  setups?: SetupStep[];
  /** The run's id and folder, known before k6 starts (a chaos journal goes there). */
  run: { runId: string; runDir: string };
  /** For tests: the clock the tasks see. */
  now?: () => number;
  /** A run on a cluster: where it goes. */
  cluster?: ClusterSettings;
}

export interface Executed {
  plan: Plan; // with the live baseUrl of a managed target
  startedAt: Date;
  exit: K6Exit;
  aggregate: AggregateResult;
  samples: SampleCounts;
  end: RunEnd;
  /** Each task's result(), by task name. */
  beside: Record<string, unknown>;
  /** Per k6 instance, when several shared the load. */
  instances?: InstanceRow[];
}

export interface Executor {
  /**
   * Checks made before any load or baseline is read (what this executor cannot run, tools it
   * needs), throwing a UsageError that names the setting to change; returns the settings to run with.
   */
  preflight?(plan: Plan, o: { env: NodeJS.ProcessEnv; dryRun: boolean; cluster: ClusterSettings }): Promise<ClusterSettings>;
  /** What --dry-run shows besides the plan (e.g. the manifests a cluster run would apply). */
  dryRun?(plan: Plan, o: { scenarioFile: string; cwd: string; cluster: ClusterSettings; now: Date }): Promise<string>;
  /** Runs the plan to its end on every exit path, taking down what it started. */
  execute(plan: Plan, o: ExecuteOptions): Promise<Executed>;
}

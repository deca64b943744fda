// How the local executor starts k6: one process reading its samples through a FIFO, or several
// processes sharing the load (execution segments), merged in time order. Either way the k6 loop
// sees one Launched: stopped, awaited and drained alike.

import { startInstances } from './instances/instances.js';
import { instanceRows } from './instances/rows.js';
import { UsageError } from '../util/errors.js';
import { k6Invocation } from '../k6/args.js';
import { k6Major } from '../k6/locate.js';
import { spawnK6, type K6Exit } from '../k6/process.js';
import { consumeSamples, createFifo, type Fifo } from '../k6/stream.js';
import type { ExecuteOptions } from '../pipeline/executor.js';
import type { Plan } from '../plan/types.js';
import type { Aggregator } from '../results/aggregator.js';
import type { InstanceRow, SampleCounts } from '../results/types.js';

/** One k6, or several sharing the load: started, stopped and drained alike. */
export interface Launched {
  interrupt(): void;
  kill(): void;
  done: Promise<K6Exit>;
  /** Every sample stream read to its end (after done). */
  drained(): Promise<void>;
  cleanup(): Promise<void>;
  instances?(): InstanceRow[];
}

export interface LaunchInput {
  script: string;
  scriptTags: Record<string, string> | null | undefined;
  aggregator: Aggregator;
  samples: SampleCounts;
  onK6Log: (line: string) => void;
}

export type Launcher = (plan: Plan, o: ExecuteOptions, l: LaunchInput) => Promise<Launched>;

function baseInvocation(plan: Plan, o: ExecuteOptions, l: LaunchInput) {
  return { plan, script: l.script, format: o.format, runId: o.run.runId, scriptTags: l.scriptTags, k6Major: k6Major(o.k6.version) };
}

/**
 * One k6 process; its samples come through a FIFO. `early`: a FIFO made while the target was
 * starting (making one runs `mkfifo`, a process of its own: off k6's start path).
 */
export function launchOne(early?: Promise<Fifo>): Launcher {
  return async (plan, o, l) => {
  const fifo = await (early ?? createFifo());
  const inv = k6Invocation({ ...baseInvocation(plan, o, l), samplesPath: fifo.path });
  const reading = consumeSamples(fifo.open(), o.format, l.aggregator, l.samples);
  const k6 = spawnK6(o.k6.path, inv, { cwd: o.cwd, env: o.env, onLog: l.onK6Log });
  return {
    interrupt: k6.interrupt,
    kill: k6.kill,
    done: k6.done,
    async drained() {
      await fifo.release();
      await reading;
    },
    cleanup: () => fifo.cleanup(),
  };
  };
}

/** `n` k6 processes on this machine, each with its execution segment, merged exactly. */
export function launchInstances(n: number): Launcher {
  return async (plan, o, l) => {
    if (o.format === 'csv') throw new UsageError('--instances merges k6\'s json stream (csv does not say each metric\'s type)', 'unset LOADCTL_SAMPLE_FORMAT or set it to json');
    const base = baseInvocation(plan, o, l);
    const group = await startInstances({
      n,
      format: o.format,
      bin: o.k6.path,
      cwd: o.cwd,
      env: o.env,
      invocation: (samplesPath, instance) => k6Invocation({ ...base, samplesPath, instance }),
      aggregator: l.aggregator,
      counts: l.samples,
      onLog: (i, line) => l.onK6Log(i < 0 ? line : `[k6 ${i + 1}/${n}] ${line}`),
      ...(o.env.LOADCTL_RECORD_STREAMS ? { recordDir: o.env.LOADCTL_RECORD_STREAMS } : {}),
    });
    let exits: K6Exit[] = [];
    return {
      interrupt: group.interrupt,
      kill: group.kill,
      done: group.done.then((d) => {
        exits = d.exits;
        return d.exit;
      }),
      drained: group.drained,
      cleanup: group.cleanup,
      instances: () => instanceRows(group.segments, group.tallies(), exits, plan.bucketMs),
    };
  };
}

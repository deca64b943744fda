// N k6 processes on this machine as one run (`--instances N`): each runs its execution segment,
// starts paused with its REST API on a loopback port, and all are resumed together once every one
// has finished initialising, so no instance loads the target alone while another still compiles.
// Their streams go through one merger (mergers.ts) into the run's Aggregator.

import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { K6Invocation } from '../../k6/args.js';
import { spawnK6, type K6Exit, type K6Process } from '../../k6/process.js';
import { createFifo, readLines, type Fifo } from '../../k6/stream.js';
import type { Aggregator } from '../../results/aggregator.js';
import type { SampleCounts, SampleFormat } from '../../results/types.js';
import type { StreamTally } from './merge.js';
import { newMerger } from './mergers.js';
import { segmentsFor, type Segment } from '../../plan/segments.js';
import { waitAllPaused, resumeAll } from './rest.js';

export interface InstancesOptions {
  n: number;
  /** The stream each k6 writes: k6's json (stock k6) or loadctl's aggregate lines. */
  format: SampleFormat;
  bin: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  invocation(samplesPath: string, instance: { segment: string; sequence: string; address: string }): K6Invocation;
  aggregator: Aggregator;
  counts: SampleCounts;
  onLog(index: number, line: string): void;
  /** A folder to copy each raw stream into (LOADCTL_RECORD_STREAMS): replayed by tests and by the k8s path's checks. */
  recordDir?: string;
}

export interface InstanceGroup {
  segments: Segment[];
  interrupt(): void;
  kill(): void;
  /** Every instance has exited; the exit that explains the run (the first failure), and all. */
  done: Promise<{ exit: K6Exit; exits: K6Exit[] }>;
  /** Resolves once every stream reached EOF (call after done). */
  drained(): Promise<void>;
  cleanup(): Promise<void>;
  tallies(): StreamTally[];
}

const EXTERNAL_ABORT = 105;

export async function startInstances(o: InstancesOptions): Promise<InstanceGroup> {
  const segments = segmentsFor(o.n);
  const merger = newMerger(o.format, o.aggregator, o.n, o.counts);
  const fifos: Fifo[] = [];
  const procs: K6Process[] = [];
  const recorders: WriteStream[] = [];
  try {
    if (o.recordDir) await mkdir(o.recordDir, { recursive: true });
    const ports = await freePorts(o.n);
    for (const seg of segments) fifos.push(await createFifo(`samples-${seg.index}`));
    const reading = segments.map((seg) => {
      const rec = o.recordDir ? createWriteStream(join(o.recordDir, `instance-${seg.index}.ndjson`)) : undefined;
      if (rec) recorders.push(rec);
      return readLines(fifos[seg.index]!.open(), (line) => {
        rec?.write(`${line}\n`);
        merger.line(seg.index, line);
      }).finally(() => merger.end(seg.index));
    });
    for (const seg of segments) {
      const address = `127.0.0.1:${ports[seg.index]!}`;
      const inv = o.invocation(fifos[seg.index]!.path, { segment: seg.segment, sequence: seg.sequence, address });
      procs.push(spawnK6(o.bin, inv, { cwd: o.cwd, env: o.env, onLog: (line) => o.onLog(seg.index, line) }));
    }
    let stopping = false;
    const interrupt = () => {
      stopping = true;
      for (const p of procs) p.interrupt();
    };
    const kill = () => {
      stopping = true;
      for (const p of procs) p.kill();
    };
    // An instance that fails takes the run with it: the rest would only load a fraction of the plan.
    const exits = procs.map((p) =>
      p.done.then((exit) => {
        if (!stopping && exit.exitCode !== 0) interrupt();
        return exit;
      }),
    );
    const exited = Promise.race(exits.map((e) => e.then(() => true)));
    void waitAllPaused(ports, exited).then(
      (ready) => (ready && !stopping ? resumeAll(ports) : undefined),
    ).catch((e: unknown) => {
      o.onLog(-1, `level=error msg="could not resume the k6 instances: ${(e as Error).message}"`);
      kill();
    });
    const done = Promise.all(exits).then((all) => ({ exit: explainingExit(all), exits: all }));
    return {
      segments,
      interrupt,
      kill,
      done,
      async drained() {
        for (const f of fifos) await f.release();
        await Promise.all(reading);
        await Promise.all(recorders.map((r) => new Promise((res) => r.end(res))));
      },
      async cleanup() {
        for (const f of fifos) await f.cleanup();
      },
      tallies: () => merger.tallies(),
    };
  } catch (e) {
    for (const p of procs) p.kill();
    for (const f of fifos) await f.cleanup();
    throw e;
  }
}

/** The exit that tells what happened: a failure other than the interrupt loadctl sent, else any failure, else the longest. */
export function explainingExit(exits: K6Exit[]): K6Exit {
  const failed = exits.filter((e) => e.exitCode !== 0);
  const own = failed.find((e) => e.exitCode !== EXTERNAL_ABORT);
  const chosen = own ?? failed[0] ?? exits.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
  return { ...chosen, durationMs: Math.max(...exits.map((e) => e.durationMs)) };
}

async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}


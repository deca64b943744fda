// `loadctl demo`: serves the built-in demo target in this process until interrupted, so a user can
// aim k6 or loadctl at it by hand. `loadctl run` starts it as a separate process (src/target/demo.ts) instead.
import type { DemoSettings } from '../../config/types.js';
import { UsageError } from '../../util/errors.js';
import { inFlagWords } from '../../demo/flags.js';
import { limitsProblem } from '../../demo/limits.js';
import { closeServer, createDemoServer, isLoopbackHost, listen, settingsProblem } from '../../demo/server.js';
import { leakProblem } from '../../demo/leak.js';

export interface DemoOptions {
  host?: string;
  port?: number;
  delayMs?: number;
  jitterMs?: number;
  errorRate?: number;
  leakPctPerMin?: number;
  token?: string;
  limits?: Pick<DemoSettings, 'capacity' | 'autoscaler'>;
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export async function demoCommand(opts: DemoOptions): Promise<void> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!isLoopbackHost(host)) {
    throw new UsageError(
      `--host must be a loopback address, got ${JSON.stringify(host)}`,
      'the demo target has an open admin endpoint; use 127.0.0.1, ::1 or localhost',
    );
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535 (got ${port})`);
  }
  const problem = settingsProblem(opts) ?? leakProblem(opts.leakPctPerMin);
  if (problem) throw new UsageError(problem.replace(/^\w+/, flagName));
  const limits = limitsProblem(opts.limits ?? {});
  if (limits) throw new UsageError(inFlagWords(limits), 'see loadctl demo --help');

  const { server } = createDemoServer({
    delayMs: opts.delayMs,
    jitterMs: opts.jitterMs,
    errorRate: opts.errorRate,
    ...opts.limits,
    leakPctPerMin: opts.leakPctPerMin,
    token: opts.token,
  });
  let url: string;
  try {
    url = await listen(server, host, port);
  } catch (e) {
    throw new UsageError(`cannot listen on ${host}:${port}: ${(e as Error).message}`, 'choose another --port');
  }
  process.stdout.write(`demo target listening on ${url} (Ctrl-C to stop)\n`);

  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await closeServer(server);
}

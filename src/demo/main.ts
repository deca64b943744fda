// Standalone entry of the demo target, spawned by `loadctl run` (see target.ts). It speaks to its
// parent through exactly one JSON line on stdout, so nothing else may be written there. The token
// comes from the environment only: argv is visible to every user via `ps`.
import type { DemoSettings } from '../config/types.js';
import { inFlagWords, setLimitFlag } from './flags.js';
import { limitsProblem } from './limits.js';
import { closeServer, createDemoServer, isLoopbackHost, listen, settingsProblem } from './server.js';
import { leakProblem } from './leak.js';

interface Args {
  host: string;
  port: number;
  delayMs?: number;
  jitterMs?: number;
  errorRate?: number;
  leakPctPerMin?: number;
  exitWithStdin?: boolean; // end when stdin closes (set by loadctl for the target it manages)
  limits: Pick<DemoSettings, 'capacity' | 'autoscaler'>;
}

const FLAGS = {
  '--host': 'host',
  '--port': 'port',
  '--delay-ms': 'delayMs',
  '--jitter-ms': 'jitterMs',
  '--error-rate': 'errorRate',
  '--leak-pct-per-min': 'leakPctPerMin',
} as const;

function usage(message: string): never {
  process.stderr.write(`loadctl demo: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { host: '127.0.0.1', port: 0, limits: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--exit-with-stdin') {
      args.exitWithStdin = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const key = (FLAGS as Record<string, (typeof FLAGS)[keyof typeof FLAGS] | undefined>)[flag];
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') usage(`${flag} needs a value`);
    if (key === undefined) {
      if (!setLimitFlag(args.limits, flag, Number(value))) usage(`unknown argument ${JSON.stringify(arg)}`);
      continue;
    }
    if (key === 'host') {
      args.host = value;
      continue;
    }
    const n = Number(value);
    if (!Number.isFinite(n)) usage(`${flag} must be a number (got ${JSON.stringify(value)})`);
    if (key === 'port') {
      if (!Number.isInteger(n) || n < 0 || n > 65535) usage(`--port must be an integer from 0 to 65535 (got ${value})`);
      args.port = n;
    } else {
      args[key] = n;
    }
  }
  if (!isLoopbackHost(args.host)) {
    usage(`--host must be a loopback address (127.x.x.x, ::1 or localhost), got ${JSON.stringify(args.host)}`);
  }
  const problem = settingsProblem(args) ?? leakProblem(args.leakPctPerMin);
  if (problem) usage(problem.replace(/^(\w+)/, (k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`));
  const limits = limitsProblem(args.limits);
  if (limits) usage(inFlagWords(limits));
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const token = process.env.LOADCTL_DEMO_TOKEN || undefined;
  const { server } = createDemoServer({
    delayMs: args.delayMs,
    jitterMs: args.jitterMs,
    errorRate: args.errorRate,
    ...args.limits,
    leakPctPerMin: args.leakPctPerMin,
    token,
  });
  let url: string;
  try {
    url = await listen(server, args.host, args.port);
  } catch (e) {
    process.stderr.write(`loadctl demo: cannot listen on ${args.host}:${args.port}: ${(e as Error).message}\n`);
    process.exit(3);
  }
  const stop = (): void => {
    // A stuck close must not keep a stop request waiting: the parent escalates to SIGKILL anyway.
    setTimeout(() => process.exit(0), 2000).unref();
    void closeServer(server).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Started by loadctl: its pipe to us closes when loadctl ends, however it ends (even SIGKILL),
  // so a demo target never outlives the run that started it.
  if (args.exitWithStdin) {
    process.stdin.on('end', stop).on('close', stop).resume();
  }
  process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);
}

await main();

// Follows one runner pod's log (`kubectl logs --follow --timestamps`) for as long as loadctl needs
// it, reconnecting where it broke off (log-cursor.ts) when kubectl ends while the runner still
// runs. Sample lines go to the merger and are counted; k6's own log lines go to the run's log.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LogCursor } from './log-cursor.js';
import { classifyRunnerLine } from './runner-logs.js';

const REQUEST_POINT = '{"metric":"http_reqs","type":"Point"';
const RECONNECT_DELAY_MS = 1000;
const MAX_RECONNECTS = 20;

export interface FollowOptions {
  bin: string;
  base: string[]; // --context / --namespace
  pod: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  onSample(line: string): void;
  onLog(line: string): void;
}

export class LogFollower {
  private readonly cursor = new LogCursor();
  private child: ChildProcess | undefined;
  private stopped = false;
  private ended!: () => void;
  /** Resolves once stop() was called and kubectl has gone. */
  readonly done = new Promise<void>((r) => (this.ended = r));
  /** http_reqs points read: matched against k6's own count at the end. */
  requests = 0;
  reconnects = 0;

  constructor(private readonly o: FollowOptions) {
    this.open(undefined);
  }

  get skipped(): number {
    return this.cursor.skipped;
  }

  /** Stops following; lines already read have been passed on. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    else this.ended();
    return this.done;
  }

  private open(since: string | undefined): void {
    const args = [...this.o.base, 'logs', '--follow', '--timestamps', ...(since ? [`--since-time=${since}`] : []), this.o.pod];
    const child = spawn(this.o.bin, args, { cwd: this.o.cwd, env: this.o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (raw) => {
      const text = this.cursor.accept(raw);
      if (text === undefined) return;
      const l = classifyRunnerLine(text);
      if (l.kind === 'stream') {
        if (l.line.startsWith(REQUEST_POINT)) this.requests++;
        this.o.onSample(l.line);
      } else if (l.line.trim() !== '') this.o.onLog(l.line);
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    child.once('error', (e) => (stderr += e.message));
    // 'close' comes after the last line was read.
    child.once('close', () => {
      if (this.stopped) return this.ended();
      if (this.reconnects >= MAX_RECONNECTS) {
        this.o.onLog(`kubectl logs for ${this.o.pod} ended ${this.reconnects} times; not following it further${stderr.trim() ? ` (${stderr.trim()})` : ''}`);
        this.stopped = true;
        return this.ended();
      }
      this.reconnects++;
      setTimeout(() => {
        if (this.stopped) return this.ended();
        this.open(this.cursor.reconnect());
      }, RECONNECT_DELAY_MS);
    });
  }
}

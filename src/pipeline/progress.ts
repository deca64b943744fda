// Live progress on stderr: an updating line on a terminal, a plain line every 10 s in CI logs,
// JSON events for machines, or nothing. k6 log lines are interleaved without tearing the line.

import type { Plan } from '../plan/types.js';
import { progressEvent, progressLine, type LiveView } from '../report/progress.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'none';

export interface Progress {
  start(plan: Plan): void;
  update(v: LiveView, plan: Plan): void;
  log(line: string): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 10_000;

export function createProgress(o: { mode: ProgressMode; isTTY: boolean; write: (s: string) => void }): Progress {
  const mode = o.mode === 'auto' ? (o.isTTY ? 'tty' : 'plain') : o.mode;
  let shown = false;
  let lastPlain = 0;
  const clear = () => {
    if (shown) process.stderr.write('\r\u001b[2K');
    shown = false;
  };
  return {
    start(plan) {
      if (mode === 'none') return;
      if (mode === 'json') o.write(JSON.stringify({ type: 'start', scenario: plan.scenario.name, target: plan.target.name, baseUrl: plan.target.baseUrl, totalMs: plan.durationMs }));
      else o.write(`running ${plan.scenario.name} against ${plan.target.name} (${plan.target.baseUrl})${plan.durationMs ? ` for ${Math.round(plan.durationMs / 1000)} s` : ''}`);
    },
    update(v, plan) {
      if (mode === 'tty') {
        const cols = process.stderr.columns || 120;
        process.stderr.write(`\r\u001b[2K${progressLine(plan, v).slice(0, cols - 1)}`);
        shown = true;
      } else if (mode === 'plain' && v.elapsedMs - lastPlain >= PLAIN_EVERY_MS) {
        lastPlain = v.elapsedMs;
        o.write(progressLine(plan, v));
      } else if (mode === 'json') {
        o.write(progressEvent(plan, v));
      }
    },
    log(line) {
      clear();
      o.write(line);
    },
    stop() {
      clear();
    },
  };
}

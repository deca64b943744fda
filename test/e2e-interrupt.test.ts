// Interrupts with real k6: Ctrl-C/SIGTERM to loadctl stops k6 gracefully and writes partial results
// marked `interrupted` (exit 130 within 10 s); k6 killed from outside gives exit 3 with partial
// results marked `error`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { resultProblems } from '../src/results/validate.js';
import { cliPath, realK6, repoRoot } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function startRun(out: string) {
  return execa(process.execPath, [cliPath, 'run', 'soak', '-t', 'local', '-d', '60s', '--out', out, '--progress', 'json'], {
    cwd: repoRoot,
    env: { NO_COLOR: '1', LOADCTL_K6: realK6 },
    reject: false,
    stdin: 'ignore',
    timeout: 90_000,
    buffer: { stdout: true, stderr: false },
  });
}

/**
 * Resolves with k6's pid once loadctl reports (a `--progress json` event) that requests have been
 * made: an event to await, not a guess at how long k6 takes to start.
 */
async function k6Running(run: ReturnType<typeof startRun>): Promise<number> {
  const lines = createInterface({ input: run.stderr! });
  for await (const line of lines) {
    let event: { type?: string; requests?: number };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      continue; // a k6 log line
    }
    if (event.type !== 'progress' || !(event.requests! > 0)) continue;
    const r = await execa('pgrep', ['-P', String(run.pid), '-x', 'k6'], { reject: false });
    const pid = Number(r.stdout.trim().split('\n')[0]);
    if (pid > 0) {
      lines.on('line', () => undefined); // keep draining stderr
      return pid;
    }
  }
  throw new Error('loadctl ended before k6 made a request');
}

function readResult(out: string) {
  const data = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  expect(resultProblems(data)).toEqual([]);
  return data;
}

describe.each(['SIGINT', 'SIGTERM'] as const)('%s to loadctl', (signal) => {
  it('stops k6 gracefully, writes partial results marked interrupted and exits 130 within 10 s', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loadctl-int-'));
    dirs.push(out);
    const run = startRun(out);
    await k6Running(run);
    const sent = Date.now();
    run.kill(signal);
    const r = await run;
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(r.exitCode).toBe(130);
    expect(r.stdout).toContain('INTERRUPTED');
    const result = readResult(out);
    expect(result.status).toBe('interrupted');
    expect(result.reason).toContain(signal);
    expect(result.metrics.http.requests).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThan(30_000);
  });
});

describe('k6 killed from outside', () => {
  it('exits 3 and writes partial results marked error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'loadctl-kill-'));
    dirs.push(out);
    const run = startRun(out);
    const k6 = await k6Running(run);
    process.kill(k6, 'SIGKILL');
    const r = await run;
    expect(r.exitCode).toBe(3);
    const result = readResult(out);
    expect(result.status).toBe('error');
    expect(result.reason).toContain('SIGKILL');
    expect(result.metrics.http.requests).toBeGreaterThan(0);
  });
});

// A real Prometheus (scripts/install-prometheus.sh builds it into .tools/bin) on loopback with its
// remote-write receiver, a throwaway storage folder and a free port; ready once /-/ready says so.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

export const prometheusBin = join(repoRoot, '.tools', 'bin', 'prometheus');

export interface LocalPrometheus {
  url: string; // http://127.0.0.1:<port>
  writeUrl: string; // the remote-write receiver
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  metricNames(match: string): Promise<string[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function startPrometheus(): Promise<LocalPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global: {}\n'); // nothing to scrape: every sample arrives by remote write
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    prometheusBin,
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Await readiness (the TSDB opens first); the deadline only catches a hang on a busy machine.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited (${child.exitCode}) before it was ready:\n${log.join('').slice(-2000)}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 60 s:\n${log.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async <T>(path: string, params: Record<string, string>): Promise<T> => {
    const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    query: async (expr) => (await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>('/api/v1/query', { query: expr })).result,
    metricNames: (match) => api<string[]>('/api/v1/label/__name__/values', { 'match[]': match }),
    stop,
  };
}

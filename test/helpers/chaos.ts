// Real parts for the chaos tests: a tiny HTTP server on loopback, and timed requests against it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';

export interface LocalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const open: LocalServer[] = [];
afterAll(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** Answers every request with 200 "ok" at once. Closed after the test file. */
export async function okServer(): Promise<LocalServer> {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const s: LocalServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  open.push(s);
  return s;
}

/** One GET on a fresh connection: its status (0 if it failed) and how long it took. */
export async function timedGet(url: string, timeoutMs = 5000): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { connection: 'close' } });
    await r.text();
    return { status: r.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

/** Polls until check() is true; fails after timeoutMs (generous: it only catches hangs). */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

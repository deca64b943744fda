// The built-in demo target: a small JSON API with tunable latency, jitter and error injection so a
// new user can load-test something at once. node:http only and no per-request URL object, because it
// must keep up with k6 on a single core without becoming the bottleneck being measured.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoSettings } from '../config/types.js';
import { createDemoLimits } from './limits.js';
import { createLeak, leakProblem } from './leak.js';

export interface MutableSettings {
  delayMs: number;
  jitterMs: number;
  errorRate: number;
}

type Json = Record<string, unknown>;

// Sessions live in insertion-ordered maps capped at this size, so a 24-hour soak stays bounded.
const MAX_ENTRIES = 100_000;
const MAX_BODY_BYTES = 1 << 20;
const SLOW_EXTRA_MS = 250;
const DEFAULT_WORK_MS = 300;
const QUESTIONS = ['What is your name?', 'What is your quest?', 'What is your favourite colour?'];
// `GET /` answers with this, so a plain k6 script or an ad-hoc `--target <url>` run (one GET /)
// aimed at the demo gets a 200 and a map of what else to try.
const INDEX = {
  name: 'loadctl demo target',
  endpoints: [
    'GET /health',
    'GET /items/{id}',
    'POST /items',
    'GET /slow',
    'POST /jobs',
    'GET /jobs/{id}',
    'POST /wizard',
    'POST /wizard/{id}/answer',
    'GET|PUT /admin/settings',
  ],
};

/** Returns a reason when the settings are out of range, else null. Shared by every entry point. */
export function settingsProblem(s: Partial<Record<keyof MutableSettings, unknown>>): string | null {
  for (const key of ['delayMs', 'jitterMs'] as const) {
    const v = s[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      return `${key} must be a number >= 0 (got ${JSON.stringify(v)})`;
    }
  }
  const r = s.errorRate;
  if (r !== undefined && !(typeof r === 'number' && r >= 0 && r <= 1)) {
    return `errorRate must be a number from 0 to 1 (got ${JSON.stringify(r)})`;
  }
  return null;
}

/** The demo only ever listens on loopback: it is a toy with an open admin endpoint. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Listens and resolves with the base URL built from the address actually bound. */
export function listen(server: http.Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve(`http://${h}:${a.port}`);
    });
  });
}

/** Closes the server, dropping idle keep-alive connections that would otherwise hold it open. */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return; // the client gave up during the delay
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage, done: (text: string | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY_BYTES) chunks.push(c);
  });
  req.on('end', () => done(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
}

/** undefined = empty body, null = not JSON. */
function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

function item(id: number): Json {
  // Deterministic so checks on response bodies stay stable across runs.
  const price = Math.round(((id * 7919) % 99_900) + 100) / 100;
  return { id, name: `item-${id}`, price };
}

export function createDemoServer(settings: DemoSettings & { token?: string }): {
  server: http.Server;
  settings: MutableSettings;
} {
  const live: MutableSettings = {
    delayMs: settings.delayMs ?? 0,
    jitterMs: settings.jitterMs ?? 0,
    errorRate: settings.errorRate ?? 0,
  };
  const problem = settingsProblem(live) ?? leakProblem(settings.leakPctPerMin);
  if (problem) throw new RangeError(problem);
  const leak = createLeak(settings.leakPctPerMin ?? 0, Date.now());
  const expectedAuth = settings.token ? `Bearer ${settings.token}` : null;
  const limits = createDemoLimits(settings); // capacity, autoscaler and /metrics (limits.ts)
  const jobs = new Map<string, { doneAt: number }>();
  const wizards = new Map<string, { step: number }>();
  let seq = 0;
  const nextId = (): number => ++seq;

  function route(method: string, parts: string[], body: unknown, res: http.ServerResponse): void {
    const [head, id, action] = parts;
    const n = parts.length;
    if (n === 0 && method === 'GET') return send(res, 200, INDEX);
    if (head === 'items') {
      if (method === 'GET' && n === 2 && id !== undefined && /^\d{1,15}$/.test(id)) {
        return send(res, 200, item(Number(id)));
      }
      if (method === 'POST' && n === 1) {
        if (!isObject(body)) return send(res, 400, { error: 'body must be a JSON object' });
        return send(res, 201, { ...body, id: 1_000_000 + nextId() });
      }
    } else if (head === 'jobs') {
      if (method === 'POST' && n === 1) {
        const workMs = isObject(body) ? body.workMs : undefined;
        if (body !== undefined && !isObject(body)) return send(res, 400, { error: 'body must be a JSON object' });
        if (workMs !== undefined && !(typeof workMs === 'number' && workMs >= 0 && Number.isFinite(workMs))) {
          return send(res, 400, { error: 'workMs must be a number >= 0' });
        }
        const jobId = `job-${nextId()}`;
        remember(jobs, jobId, { doneAt: Date.now() + (workMs ?? DEFAULT_WORK_MS) });
        return send(res, 202, { id: jobId, status: 'pending' });
      }
      if (method === 'GET' && n === 2 && id !== undefined) {
        const job = jobs.get(id);
        if (!job) return send(res, 404, { error: 'unknown job' });
        return send(res, 200, { id, status: Date.now() >= job.doneAt ? 'done' : 'pending' });
      }
    } else if (head === 'wizard') {
      if (method === 'POST' && n === 1) {
        const wid = `wiz-${nextId()}`;
        remember(wizards, wid, { step: 1 });
        return send(res, 201, { id: wid, step: 1, question: QUESTIONS[0] });
      }
      if (method === 'POST' && n === 3 && id !== undefined && action === 'answer') {
        const w = wizards.get(id);
        if (!w) return send(res, 404, { error: 'unknown wizard' });
        const answer = isObject(body) ? body.answer : undefined;
        if (typeof answer !== 'string' || answer === '') return send(res, 400, { error: 'answer is required' });
        if (w.step > QUESTIONS.length) return send(res, 409, { error: 'wizard already done' });
        w.step += 1;
        if (w.step > QUESTIONS.length) return send(res, 200, { id, done: true });
        return send(res, 200, { id, step: w.step, question: QUESTIONS[w.step - 1] });
      }
    } else if (head === 'slow' && n === 1 && method === 'GET') {
      return send(res, 200, { slow: true });
    }
    send(res, 404, { error: 'not found' });
  }

  function admin(method: string, body: unknown, res: http.ServerResponse): void {
    if (method === 'GET') return send(res, 200, live);
    if (method !== 'PUT') return send(res, 405, { error: 'use GET or PUT' });
    if (!isObject(body)) return send(res, 400, { error: 'body must be a JSON object' });
    const unknown = Object.keys(body).filter((k) => !(k in live));
    if (unknown.length > 0) return send(res, 400, { error: `unknown setting(s): ${unknown.join(', ')}` });
    const problem = settingsProblem(body);
    if (problem) return send(res, 400, { error: problem });
    Object.assign(live, body);
    send(res, 200, live);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, text: string | null): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path === '/health') return send(res, 200, { status: 'ok' });
    if (path === '/metrics' && method === 'GET') return limits.metrics(res);
    if (text === null) return send(res, 413, { error: 'body too large' });
    const body = parseJson(text);
    if (body === null) return send(res, 400, { error: 'invalid JSON body' });
    if (path === '/admin/settings') return admin(method, body, res);
    if (path === '/admin/leak') return send(res, 200, leak.report(Date.now()));

    // Settings are read once per request, so a live change affects only requests that start later.
    let wait = live.delayMs + Math.random() * live.jitterMs;
    if (path === '/slow') wait += SLOW_EXTRA_MS;
    wait = leak.grow(wait, Date.now());
    const fail = live.errorRate > 0 && Math.random() < live.errorRate;
    const answer = (): void => {
      if (expectedAuth !== null && req.headers.authorization !== expectedAuth) {
        return send(res, 401, { error: 'unauthorized' });
      }
      if (fail) return send(res, 500, { error: 'injected' });
      route(method, path.split('/').filter(Boolean), body, res);
    };
    const proceed = (): void => {
      if (wait > 0) setTimeout(answer, dither(wait));
      else answer();
    };
    limits.admit(proceed, () => send(res, 503, { error: 'over capacity' }));
  }

  const server = http.createServer({ keepAlive: true }, (req, res) => {
    // Bodies matter only for writes; skipping the buffering keeps GETs cheap.
    if (req.method === 'POST' || req.method === 'PUT') readBody(req, (text) => handle(req, res, text));
    else {
      req.resume();
      handle(req, res, '');
    }
  });
  // Longer than k6's idle pool timeout so k6 reuses connections instead of reconnecting.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('close', limits.stop);
  return { server, settings: live };
}

/**
 * Timers take whole milliseconds (Node truncates the fraction): 42.09 ms would always wait 42. A
 * random round up with the fraction's probability keeps the mean delay exact, so a change of a
 * fraction of a millisecond (a bench's +5 %) really changes the latency by that much on average.
 */
export function dither(ms: number): number {
  const whole = Math.floor(ms);
  return Math.random() < ms - whole ? whole + 1 : whole;
}

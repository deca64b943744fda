// One sample of each probe type: the I/O edge of probes (a child process or an HTTP request). Each
// sampler returns a finite number or throws ProbeFailure with a reason in words, which the runner
// records as a gap in the series.
import { execa } from 'execa';
import { resolvePointer } from './pointer.js';
import { parsePromText, parseValue, PromParseError, selectSamples } from './prom-text.js';
import type { Probe } from './settings.js';

export class ProbeFailure extends Error {}

const TAIL = 200;

export async function sampleProbe(probe: Probe, signal: AbortSignal): Promise<number> {
  const limit = AbortSignal.any([signal, AbortSignal.timeout(probe.timeoutMs)]);
  try {
    switch (probe.type) {
      case 'command':
        return await sampleCommand(probe.command, probe.timeoutMs, signal);
      case 'http-json': {
        const body = await getJson(probe.url, limit);
        const at = resolvePointer(body, probe.pointer);
        if ('missing' in at) throw new ProbeFailure(at.missing);
        return asNumber(at.value, `the value at ${probe.pointer}`);
      }
      case 'prometheus':
        return await samplePrometheus(probe, limit);
      case 'promql':
        return await samplePromql(probe.url, probe.query, limit);
      case 'kubernetes':
        return await sampleKubernetes(probe, limit);
    }
  } catch (e) {
    if (e instanceof ProbeFailure) throw e;
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || (err.name === 'AbortError' && !signal.aborted)) throw new ProbeFailure(`no answer within ${probe.timeoutMs} ms`);
    throw new ProbeFailure(err.cause?.code ?? err.cause?.message ?? err.message);
  }
}

function asNumber(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? (parseValue(v.trim()) ?? NaN) : NaN;
  if (!Number.isFinite(n)) throw new ProbeFailure(`${what} is not a number (got ${JSON.stringify(v)?.slice(0, 60) ?? String(v)})`);
  return n;
}

// The command runs in its own process group, and the whole group is killed on timeout or when the
// run ends: killing only the shell would leave a child (e.g. a hung kubectl) holding stdout open.
async function sampleCommand(command: string, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const child = execa(command, { shell: true, detached: true, stdin: 'ignore', reject: false, maxBuffer: 64_000 });
  let killed: string | null = null;
  const killGroup = (why: string): void => {
    killed ??= why;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => killGroup(`the command took longer than ${timeoutMs} ms`), timeoutMs);
  const onAbort = (): void => killGroup('the run ended before the command answered');
  signal.addEventListener('abort', onAbort, { once: true });
  const r = await child;
  clearTimeout(timer);
  signal.removeEventListener('abort', onAbort);
  if (killed) throw new ProbeFailure(killed);
  if (r.exitCode !== 0) {
    const why = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.exitCode ?? '?'}`;
    const tail = String(r.stderr).trim().slice(-TAIL);
    throw new ProbeFailure(`the command ${why}${tail ? `: ${tail}` : ''}`);
  }
  return asNumber(String(r.stdout).trim(), 'the command output');
}

async function get(url: string, signal: AbortSignal, accept: string): Promise<string> {
  const res = await fetch(url, { signal, headers: { accept } });
  const text = await res.text();
  if (!res.ok) throw new ProbeFailure(`HTTP ${res.status} from ${url}`);
  return text;
}

async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const text = await get(url, signal, 'application/json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProbeFailure(`the body of ${url} is not JSON`);
  }
}

async function samplePrometheus(p: Extract<Probe, { type: 'prometheus' }>, signal: AbortSignal): Promise<number> {
  const text = await get(p.url, signal, 'text/plain;version=0.0.4');
  let parsed;
  try {
    parsed = parsePromText(text);
  } catch (e) {
    if (e instanceof PromParseError) throw new ProbeFailure(`${p.url} is not Prometheus text: ${e.message}`);
    throw e;
  }
  const matchers = Object.entries(p.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
  const selector = matchers ? `${p.metric}{${matchers}}` : p.metric;
  const values = selectSamples(parsed, p.metric, p.labels).map((s) => s.value);
  if (values.length === 0) throw new ProbeFailure(`no series ${selector} at ${p.url}`);
  if (values.length > 1 && !p.aggregate) throw new ProbeFailure(`${values.length} series match ${selector}: add labels or an aggregate`);
  const v = aggregate(values, p.aggregate ?? 'sum');
  return asNumber(v, selector);
}

function aggregate(values: number[], how: 'sum' | 'max' | 'min' | 'avg'): number {
  if (how === 'max') return Math.max(...values);
  if (how === 'min') return Math.min(...values);
  const sum = values.reduce((a, b) => a + b, 0);
  return how === 'sum' ? sum : sum / values.length;
}

interface PromqlAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

async function samplePromql(base: string, query: string, signal: AbortSignal): Promise<number> {
  const url = `${base.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  const res = await fetch(url, { signal });
  const body = (await res.json().catch(() => null)) as PromqlAnswer | null;
  if (!body) throw new ProbeFailure(`HTTP ${res.status} from ${base}: not a Prometheus API answer`);
  if (body.status !== 'success') throw new ProbeFailure(`Prometheus refused the query: ${body.error ?? `HTTP ${res.status}`}`);
  const { resultType, result } = body.data ?? {};
  if (resultType === 'scalar') return asNumber((result as unknown[] | undefined)?.[1], 'the scalar result');
  if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length !== 1) throw new ProbeFailure(`the query gave ${result.length} series; make it give one (e.g. sum(...))`);
    return asNumber((result[0] as { value?: unknown[] }).value?.[1], 'the query result');
  }
  throw new ProbeFailure(`the query gave a ${resultType ?? 'missing'} result; an instant vector or scalar is needed`);
}

// `kubectl get <resource> -o json` and a pointer into the object: what the API server holds now.
async function sampleKubernetes(p: Extract<Probe, { type: 'kubernetes' }>, signal: AbortSignal): Promise<number> {
  const argv = [...(p.context ? ['--context', p.context] : []), ...(p.namespace ? ['--namespace', p.namespace] : []), 'get', p.resource, '-o', 'json'];
  const r = await execa('kubectl', argv, { cancelSignal: signal, reject: false, stdin: 'ignore', maxBuffer: 4_000_000 });
  if (r.exitCode !== 0) throw new ProbeFailure(`kubectl get ${p.resource} ${r.exitCode === undefined ? 'did not run' : `exited ${r.exitCode}`}: ${String(r.stderr).trim().slice(-TAIL)}`);
  let body: unknown;
  try {
    body = JSON.parse(String(r.stdout)) as unknown;
  } catch {
    throw new ProbeFailure(`kubectl get ${p.resource} did not print JSON`);
  }
  const at = resolvePointer(body, p.pointer);
  if ('missing' in at) throw new ProbeFailure(`${p.resource}: ${at.missing}`);
  return asNumber(at.value, `${p.resource} ${p.pointer}`);
}

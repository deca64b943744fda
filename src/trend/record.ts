// One line of baselines/<profile>/<scenario>.history.jsonl: the compact record of one run for the
// nightly trend. A few hundred bytes whatever the run's length (no series, no histograms), so a
// year of nightly soaks stays a small file that diffs well in git. Pure.

import type { Check, RunResult, RunStatus } from '../results/types.js';

export const HISTORY_VERSION = 1;
export const DEFAULT_HISTORY_SIZE = 400; // records kept: over a year of nightly runs

export interface HistoryRecord {
  v: typeof HISTORY_VERSION;
  runId: string;
  startedAt: string; // ISO 8601
  status: RunStatus;
  durationMs: number;
  requests: number;
  errorRate: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  gitSha?: string;
  drift?: Record<string, number>; // metric → fitted change over the run (ratio; absolute for errorRate)
  driftFailed?: string[]; // metrics whose drift check failed
}

/** The record of a finished run; `drift` are its drift checks (from the run, or judged after it). */
export function historyRecord(r: RunResult, drift: readonly Check[]): HistoryRecord {
  const http = r.metrics.http;
  const round = (v: number, digits = 4) => Number(v.toPrecision(digits));
  const rec: HistoryRecord = {
    v: HISTORY_VERSION,
    runId: r.runId,
    startedAt: r.startedAt,
    status: r.status,
    durationMs: Math.round(r.durationMs),
    requests: http.requests,
    errorRate: round(http.errorRate),
    rps: round(http.rps),
    p50: round(http.latencyMs.p50),
    p95: round(http.latencyMs.p95),
    p99: round(http.latencyMs.p99),
  };
  if (r.meta.gitSha) rec.gitSha = r.meta.gitSha;
  const judged = drift.filter((c) => c.kind === 'drift' && c.measured !== null);
  if (judged.length) rec.drift = Object.fromEntries(judged.map((c) => [c.metric, round(c.measured!, 3)]));
  const failed = drift.filter((c) => c.kind === 'drift' && c.status === 'fail').map((c) => c.metric);
  if (failed.length) rec.driftFailed = failed;
  return rec;
}

const NUMBERS = ['durationMs', 'requests', 'errorRate', 'rps', 'p50', 'p95', 'p99'] as const;

/** A record read back, or why the line is not one. */
export function parseRecord(line: string): HistoryRecord | string {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (e) {
    return `not JSON (${(e as Error).message})`;
  }
  if (typeof data !== 'object' || data === null) return 'not an object';
  const o = data as Record<string, unknown>;
  if (o.v !== HISTORY_VERSION) return `unknown version ${JSON.stringify(o.v)} (this loadctl reads ${HISTORY_VERSION})`;
  if (typeof o.runId !== 'string' || typeof o.startedAt !== 'string' || typeof o.status !== 'string') return 'runId, startedAt and status must be strings';
  const bad = NUMBERS.find((k) => typeof o[k] !== 'number' || !Number.isFinite(o[k]));
  if (bad) return `${bad} must be a number`;
  return o as unknown as HistoryRecord;
}

export interface ParsedHistory {
  records: HistoryRecord[];
  skipped: { line: number; why: string }[]; // e.g. a line torn by a writer killed mid-append
}

export function parseHistory(text: string): ParsedHistory {
  const out: ParsedHistory = { records: [], skipped: [] };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const r = parseRecord(line);
    if (typeof r === 'string') out.skipped.push({ line: i + 1, why: r });
    else out.records.push(r);
  });
  return out;
}

export function formatHistory(records: readonly HistoryRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

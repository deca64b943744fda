// SLA rules → checks. Absolute limits from the profile against the run's measured numbers. Pure.

import type { Sla, SlaLimits } from '../../config/types.js';
import type { Check, HttpStats, Metrics } from '../../results/types.js';
import { formatValue } from '../../util/format.js';
import { judgeMetricLimits, parseMetricLimits } from './metric-sla.js';

const LATENCY_KEYS = ['p50', 'p90', 'p95', 'p99', 'max'] as const;

/** `overallScope` names what the overall numbers cover ("outside faults" on a chaos run). */
export function judgeSla(sla: Sla, metrics: Metrics, overallScope = 'overall'): Check[] {
  const checks = limitsChecks(sla, metrics.http, overallScope);
  // A request's numbers cover what the overall ones do: a chaos run's name says "outside faults" too.
  const within = overallScope === 'overall' ? '' : `, ${overallScope}`;
  for (const [name, limits] of Object.entries(sla.requests ?? {})) {
    checks.push(...limitsChecks(limits, metrics.http.byName[name], name, `${name}${within}`));
  }
  if (sla.metrics) {
    // The profile was validated when loaded: a problem here is a result edited by hand.
    const parsed = parseMetricLimits(sla.metrics);
    if (Array.isArray(parsed)) checks.push(...judgeMetricLimits(parsed, metrics.k6));
  }
  return checks;
}

function limitsChecks(limits: SlaLimits, stats: HttpStats | undefined, scope: string, label = scope): Check[] {
  const out: Check[] = [];
  const none = !stats || stats.requests === 0;
  const why = scope === 'overall' || scope === 'outside faults' ? 'no requests were made' : `no "${scope}" requests were made`;
  for (const key of LATENCY_KEYS) {
    const limit = limits[key];
    if (limit === undefined) continue;
    const measured = none ? null : stats.latencyMs[key];
    out.push(check(`${key} latency`, label, scope, key, measured, limit, 'ms', '<=', none ? why : undefined));
  }
  if (limits.errorRate !== undefined) {
    const measured = none ? null : stats.errorRate;
    out.push(check('error rate', label, scope, 'errorRate', measured, limits.errorRate, 'ratio', '<=', none ? why : undefined));
  }
  if (limits.minRps !== undefined) {
    const measured = stats ? stats.rps : 0;
    out.push(check('throughput', label, scope, 'rps', measured, limits.minRps, 'req/s', '>=', undefined));
  }
  return out;
}

function check(
  what: string,
  label: string, // what the numbers cover, in the check's name

  scope: string,
  metric: string,
  measured: number | null,
  limitValue: number,
  unit: Check['unit'],
  op: '<=' | '>=',
  inconclusiveReason: string | undefined,
): Check {
  const limit = `${op} ${formatValue(limitValue, unit)}`;
  const name = `${what} (${label})`;
  if (measured === null) {
    return { name, kind: 'sla', scope, metric, status: 'inconclusive', limit, limitValue, measured, unit, reason: inconclusiveReason };
  }
  const ok = op === '<=' ? measured <= limitValue : measured >= limitValue;
  const base: Check = { name, kind: 'sla', scope, metric, status: ok ? 'pass' : 'fail', limit, limitValue, measured, unit };
  if (!ok) base.reason = `${what} ${formatValue(measured, unit)} is ${op === '<=' ? 'over' : 'under'} the limit ${formatValue(limitValue, unit)}`;
  return base;
}

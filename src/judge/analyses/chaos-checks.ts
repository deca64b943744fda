// Chaos SLA → checks, one set per fault: recovered in time, errors held down while it lasted, and the
// provider did its job. Pure.
import type { ChaosSla } from '../../config/types.js';
import type { Check } from '../../results/types.js';
import type { FaultKind } from '../../chaos/types.js';
import { analyzeFaults, type ChaosAnalysisInput, type FaultAnalysis } from './chaos.js';
import { formatValue } from '../../util/format.js';

export const CHAOS_SLA_DEFAULTS: Required<ChaosSla> = { maxRecoverySeconds: 30, maxErrorRateDuringFault: 0.05 };

// Kinds that fail every request through them by design: under the default SLA their error rate
// is not judged (it would always fail); an explicit maxErrorRateDuringFault judges them too.
const FAILS_BY_DESIGN: Record<FaultKind, boolean> = {
  latency: false,
  bandwidth: false,
  reset: true,
  timeout: true,
  down: true,
  'pod-kill': false,
  'network-delay': false,
  'network-loss': false,
  'network-partition': true,
  'cpu-stress': false,
  'memory-stress': false,
  scale: false, // to 0 replicas it would; then give maxErrorRateDuringFault
};

export function judgeChaos(faults: FaultAnalysis[], sla: ChaosSla = {}): Check[] {
  const limits = { ...CHAOS_SLA_DEFAULTS, ...sla };
  const checks: Check[] = [];
  for (const f of faults) {
    const base = { kind: 'chaos' as const, scope: f.id };
    if (f.status === 'skipped') continue; // the run ended before it: the run's status says why
    if (f.status === 'inject-failed' || f.status === 'revert-failed') {
      const what = f.status === 'inject-failed' ? 'was not injected' : 'could not be reverted and is still active';
      checks.push({ ...base, name: `fault handled (${f.id})`, metric: 'provider', status: 'fail', limit: 'injected and reverted', limitValue: 1, measured: 0, unit: 'ratio', reason: `${f.id} ${what}: ${f.error ?? 'no reason given'}` });
      if (f.status === 'inject-failed') continue;
    }
    const maxMs = limits.maxRecoverySeconds * 1000;
    const r = f.recovery;
    const recovery: Check = { ...base, name: `recovery time (${f.id})`, metric: 'recoveryTime', limit: `<= ${formatValue(maxMs, 'ms')}`, limitValue: maxMs, measured: r.timeToRecoverMs, unit: 'ms', status: 'pass' };
    if (r.status === 'unknown') Object.assign(recovery, { status: 'inconclusive', reason: r.reason ?? 'recovery could not be measured' });
    else if (r.status === 'not-recovered') Object.assign(recovery, { status: 'fail', reason: `not recovered: ${r.reason ?? ''}`.trim() });
    else if (r.timeToRecoverMs! > maxMs) Object.assign(recovery, { status: 'fail', reason: `recovered after ${(r.timeToRecoverMs! / 1000).toFixed(1)} s, over the limit of ${limits.maxRecoverySeconds} s` });
    checks.push(recovery);

    const judged = sla.maxErrorRateDuringFault !== undefined || !FAILS_BY_DESIGN[f.kind];
    if (!judged || !f.during) continue;
    const max = limits.maxErrorRateDuringFault;
    const ok = f.during.errorRate <= max;
    checks.push({
      ...base,
      name: `error rate during fault (${f.id})`,
      metric: 'errorRate',
      limit: `<= ${formatValue(max, 'ratio')}`,
      limitValue: max,
      measured: f.during.errorRate,
      unit: 'ratio',
      status: ok ? 'pass' : 'fail',
      ...(ok ? {} : { reason: `error rate ${formatValue(f.during.errorRate, 'ratio')} during the fault is over the limit ${formatValue(max, 'ratio')}` }),
    });
  }
  return checks;
}

/** Both steps for a run: RunResult.faults and the chaos checks to add to the verdict. */
export function chaosVerdict(input: ChaosAnalysisInput): { faults: FaultAnalysis[]; checks: Check[] } {
  const faults = analyzeFaults(input);
  return { faults, checks: judgeChaos(faults, input.sla.chaos) };
}

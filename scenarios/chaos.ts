// chaos — open model (iterations/s), so a fault that slows responses does not also slow the load.
// Defaults: rate 100/s. 'warm-up' 0 → rate over 1m, then 'baseline' 3m, 'fault' 2m, 'recovery' 3m,
// all at rate (9m in all). The phase marks exist now; fault injection during 'fault' comes later.
import { loadctlOptions, runWorkload } from './lib/loadctl.ts';
import type { ShapeSpec } from './lib/loadctl.ts';

export const shape: ShapeSpec<{ rate: number }> = {
  summary: 'Constant arrival rate with a fault window between baseline and recovery',
  model: 'arrival',
  params: { rate: 100 },
  stages: (p) => [
    { phase: 'warm-up', duration: '1m', target: p.rate },
    { phase: 'baseline', duration: '3m', target: p.rate },
    { phase: 'fault', duration: '2m', target: p.rate },
    { phase: 'recovery', duration: '3m', target: p.rate },
  ],
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}

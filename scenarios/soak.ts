// soak — closed model (VUs). Defaults: 100 VUs.
// 'warm-up' 0 → vus over 2m, then 'steady' for 1h (1h2m in all; `--duration 24h` rescales).
// Long enough to surface leaks, pool exhaustion and drift that short runs hide.
import { loadctlOptions, runWorkload } from './lib/loadctl.ts';
import type { ShapeSpec } from './lib/loadctl.ts';

export const shape: ShapeSpec<{ vus: number }> = {
  summary: 'Moderate steady load for a long time',
  model: 'vus',
  params: { vus: 100 },
  stages: (p) => [
    { phase: 'warm-up', duration: '2m', target: p.vus },
    { phase: 'steady', duration: '1h', target: p.vus },
  ],
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}

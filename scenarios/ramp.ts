// ramp — closed model (VUs). Defaults: peak 1000 VUs.
// 'ramp-up' 0 → peak over 5m, then 'ramp-down' to 0 over 30s (5m30s in all).
// Finds the load at which latency or errors start to bend.
import { loadctlOptions, runWorkload } from './lib/loadctl.ts';
import type { ShapeSpec } from './lib/loadctl.ts';

export const shape: ShapeSpec<{ peak: number }> = {
  summary: 'Ramp up to peak VUs over 5 minutes, then back down',
  model: 'vus',
  params: { peak: 1000 },
  stages: (p) => [
    { phase: 'ramp-up', duration: '5m', target: p.peak },
    { phase: 'ramp-down', duration: '30s', target: 0 },
  ],
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}

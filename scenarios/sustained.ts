// sustained — closed model (VUs). Defaults: 100 VUs.
// 'warm-up' 0 → vus over 30s, then 'steady' at vus for 30m (30m30s in all).
// A fixed arrival rate instead comes from `--rate`, which the planner turns into the open model.
import { loadctlOptions, runWorkload } from './lib/loadctl.ts';
import type { ShapeSpec } from './lib/loadctl.ts';

export const shape: ShapeSpec<{ vus: number }> = {
  summary: 'Hold a steady number of VUs for 30 minutes',
  model: 'vus',
  params: { vus: 100 },
  stages: (p) => [
    { phase: 'warm-up', duration: '30s', target: p.vus },
    { phase: 'steady', duration: '30m', target: p.vus },
  ],
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}

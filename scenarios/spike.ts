// spike — closed model (VUs). Defaults: base 100 VUs, factor 2 (e.g. `--set scenarios.spike.factor=5`).
// 'warm-up' 30s to base, 'base' 1m, 'spike' 10s up to base*factor and 1m hold, 'drop' 10s back to
// base, 'recovery' 2m at base (4m50s in all). Shows whether the target recovers after a surge.
import { loadctlOptions, runWorkload } from './lib/loadctl.ts';
import type { ShapeSpec } from './lib/loadctl.ts';

export const shape: ShapeSpec<{ base: number; factor: number }> = {
  summary: 'Sudden surge to factor × base VUs, then recovery at base',
  model: 'vus',
  params: { base: 100, factor: 2 },
  stages: (p) => [
    { phase: 'warm-up', duration: '30s', target: p.base },
    { phase: 'base', duration: '1m', target: p.base },
    { phase: 'spike', duration: '10s', target: p.base * p.factor },
    { phase: 'spike', duration: '1m', target: p.base * p.factor },
    { phase: 'drop', duration: '10s', target: p.base },
    { phase: 'recovery', duration: '2m', target: p.base },
  ],
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}

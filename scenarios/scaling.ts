// scaling — open model (iterations/s). Defaults: start 50/s, step 50/s, steps 10, stepSeconds 60.
// Phase 'step-i' (i = 1..steps): a 5s ramp to start + (i-1)*step, held for the rest of stepSeconds
// (10m in all). Per-step aggregates show where throughput stops following the offered rate.
import { loadctlOptions, runWorkload } from './lib/loadctl.ts';
import type { ShapeSpec, ShapeStage } from './lib/loadctl.ts';

type Params = { start: number; step: number; steps: number; stepSeconds: number };

export const shape: ShapeSpec<Params> = {
  summary: 'Staircase of arrival rates, one phase per step',
  model: 'arrival',
  params: { start: 50, step: 50, steps: 10, stepSeconds: 60 },
  stages: (p) => {
    const stepMs = p.stepSeconds * 1000;
    const rampMs = Math.min(5000, stepMs); // short ramp: a jump would burst all new arrivals at once
    const stages: ShapeStage[] = [];
    for (let i = 0; i < p.steps; i++) {
      const target = p.start + i * p.step;
      const phase = `step-${i + 1}`;
      stages.push({ phase, duration: rampMs, target });
      if (stepMs > rampMs) stages.push({ phase, duration: stepMs - rampMs, target });
    }
    return stages;
  },
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}

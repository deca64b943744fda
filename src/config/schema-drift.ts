// The profile's `sla.drift` block (judge/drift.ts): trends within a run.
import type { JSONSchemaType } from 'ajv';
import { fraction, num } from './schema-parts.js';
import { DRIFT_METRICS, type DriftSettings } from './types.js';

export const driftSchema: JSONSchemaType<DriftSettings | undefined> & { nullable: true } = {
  type: 'object',
  nullable: true,
  description: 'Drift within the run: fail when a metric trends significantly worse by more than a tolerance (on by default for soak).',
  additionalProperties: false,
  required: [],
  properties: {
    enabled: { type: 'boolean', nullable: true, description: 'Judge drift (default: true for the soak scenario, false for the others).' },
    tolerancePct: num('Change of the fitted trend line from start to end tolerated, in percent (default 20).', { exclusiveMinimum: 0 }),
    errorRateIncrease: fraction('Absolute rise of the error rate over the run tolerated (default 0.01).'),
    alpha: num('Significance level of each trend test (default 0.01).', { exclusiveMinimum: 0, maximum: 0.5 }),
    warmupSeconds: num('Seconds left out at the start (default: the warm-up phase, else 10% of the run).', { minimum: 0 }),
    metrics: {
      type: 'array',
      nullable: true,
      minItems: 1,
      uniqueItems: true,
      description: `Metrics to watch (default all: ${DRIFT_METRICS.join(', ')}); probe series are always watched.`,
      items: { type: 'string', enum: [...DRIFT_METRICS] },
    },
  },
};

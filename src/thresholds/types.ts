// A script's thresholds as loadctl carries them in the plan (serialisable; parse.ts makes them).
// Pure types and constants only: the plan's types import them.

import type { MetricSelector } from '../results/k6-metric-types.js';

export const AGGREGATIONS = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max', 'p'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

// k6 scans for the operators in this order and takes the first one found with text after it, so
// `<=` must come before `<` and `===` before `==`.
export const OPERATORS = ['<=', '<', '>=', '>', '===', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface ThresholdExpression {
  source: string; // as the script wrote it: k6 names the threshold by it
  aggregation: Aggregation;
  percentile?: number; // for `p(N)`, N in 0..100
  operator: Operator;
  value: number;
}

export interface ScriptThreshold {
  key: string; // the thresholds' key in the script: `metric` or `metric{tag:value,…}`
  selector: MetricSelector;
  expression: ThresholdExpression;
  abortOnFail: boolean;
  /** With abortOnFail: no abort before the run has lasted longer than this (ms). */
  delayAbortEvalMs?: number;
}


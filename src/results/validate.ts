// Validates a RunResult against its published schema (used when re-reading result.json files).

import { validatorFor, type ValidatorSpec } from '../util/validator.js';
import { resultSchema } from './schema.js';
import type { RunResult } from './types.js';

export const RESULT_VALIDATOR: ValidatorSpec = { name: 'result', schema: resultSchema, options: { allErrors: true, strict: false } };

export function resultProblems(data: unknown): string[] {
  const v = validatorFor(RESULT_VALIDATOR);
  if (v(data)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

export function isRunResult(data: unknown): data is RunResult {
  return resultProblems(data).length === 0;
}

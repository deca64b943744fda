// Validates a RunResult against its published schema (used when re-reading result.json files).

import { Ajv } from 'ajv';
import { resultSchema } from './schema.js';
import type { RunResult } from './types.js';

let compiled: ReturnType<Ajv['compile']> | undefined;

export function resultProblems(data: unknown): string[] {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(resultSchema);
  if (compiled(data)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

export function isRunResult(data: unknown): data is RunResult {
  return resultProblems(data).length === 0;
}

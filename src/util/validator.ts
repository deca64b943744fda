// JSON Schema validators, compiled once. `npm run build` precompiles each schema into
// dist/validators/<name>.cjs (ajv's standalone code, scripts/compile-validators.mjs), which loads
// in a millisecond; without it (tests run from src/) ajv compiles the schema on first use.
// Either way the validator and its errors are the same.

import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

export interface ValidatorSpec {
  name: string; // file name of the precompiled validator
  schema: object;
  options: Record<string, unknown>; // ajv options; the build uses the same ones
}

const cache = new Map<string, ValidateFunction>();

export function validatorFor(spec: ValidatorSpec): ValidateFunction {
  let v = cache.get(spec.name);
  if (v) return v;
  try {
    const mod = require(`../validators/${spec.name}.cjs`) as { default?: ValidateFunction } & ValidateFunction;
    v = mod.default ?? mod;
  } catch {
    const { Ajv } = require('ajv') as typeof import('ajv');
    v = new Ajv({ ...spec.options, code: { source: false } }).compile(spec.schema);
  }
  cache.set(spec.name, v);
  return v;
}

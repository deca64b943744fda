// JSON Schema validators, compiled once. `npm run build` precompiles each schema into
// dist/validators/<name>.cjs (ajv's standalone code, scripts/compile-validators.mjs), which loads
// in a millisecond; without it (tests run from src/) ajv compiles the schema on first use.
// Either way the validator and its errors are the same.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { packageRoot } from './roots.js';

const require = createRequire(import.meta.url);
// Found from the package root: the bundled CLI runs this code from dist/chunks/, tsc's from dist/util/.
const precompiled = join(packageRoot(), 'dist', 'validators');
const fromDist = fileURLToPath(import.meta.url).startsWith(join(packageRoot(), 'dist'));

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
    if (!fromDist) throw new Error('running from src/: compile the schema');
    const mod = require(join(precompiled, `${spec.name}.cjs`)) as { default?: ValidateFunction } & ValidateFunction;
    v = mod.default ?? mod;
  } catch {
    const { Ajv } = require('ajv') as typeof import('ajv');
    v = new Ajv({ ...spec.options, code: { source: false } }).compile(spec.schema);
  }
  cache.set(spec.name, v);
  return v;
}

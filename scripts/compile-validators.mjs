// Precompiles loadctl's JSON Schema validators into dist/validators/<name>.cjs with ajv's
// standalone code, so a run does not compile schemas at start-up (src/util/validator.ts loads
// them). Part of `npm run build`; runs after tsc.
import { mkdir, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const dist = new URL('../dist/', import.meta.url);
const { PROFILE_VALIDATOR } = await import(new URL('config/validate.js', dist));
const { BASELINE_VALIDATORS } = await import(new URL('baselines/schema.js', dist));
const { RESULT_VALIDATOR } = await import(new URL('results/validate.js', dist));

await mkdir(new URL('validators/', dist), { recursive: true });
for (const spec of [PROFILE_VALIDATOR, ...BASELINE_VALIDATORS, RESULT_VALIDATOR]) {
  const ajv = new Ajv({ ...spec.options, code: { source: true } });
  const code = standaloneCode.default(ajv, ajv.compile(spec.schema));
  await writeFile(new URL(`validators/${spec.name}.cjs`, dist), code);
}

// Reads a scenario's exported `shape` in Node: the scenario is bundled to CommonJS with every k6
// module replaced by an inert stub and evaluated in a fresh VM context. A file without a `shape`
// export is a plain k6 script, run as it is.

import { runInNewContext } from 'node:vm';
import type { Plugin } from 'esbuild';
import { UsageError } from '../util/errors.js';
import type { ShapeSpec } from '../plan/types.js';
import { compileCached } from './bundle.js';
import { loadctlLib } from './package-alias.js';

const STUB = `
const handler = {
  get(_t, p) { return typeof p === 'symbol' ? undefined : p === '__esModule' ? true : stub; },
  apply() { return stub; },
  construct() { return stub; },
};
const stub = new Proxy(function () {}, handler);
module.exports = stub;`;

const stubK6: Plugin = {
  name: 'stub-k6',
  setup(b) {
    b.onResolve({ filter: /^(k6($|\/)|https?:\/\/)/ }, (a) => ({ path: a.path, namespace: 'k6-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'k6-stub' }, () => ({ contents: STUB, loader: 'js' }));
  },
};

export async function extractShape(entry: string, cwd: string, toolsDir?: string): Promise<ShapeSpec | null> {
  const code = await compileCached(entry, cwd, 'cjs', { plugins: [stubK6, loadctlLib] }, toolsDir);
  const module = { exports: {} as Record<string, unknown> };
  const quiet = { log() {}, warn() {}, error() {}, info() {}, debug() {} };
  try {
    runInNewContext(code, { module, exports: module.exports, __ENV: {}, __VU: 0, __ITER: 0, console: quiet, open: () => '' }, { timeout: 2000 });
  } catch (e) {
    // A plain k6 script may do things at init that only k6 can; it has no loadctl shape then.
    return null;
  }
  const shape = module.exports.shape as ShapeSpec | undefined;
  if (shape === undefined) return null;
  if (typeof shape !== 'object' || typeof shape.stages !== 'function' || !shape.params || !shape.model) {
    throw new UsageError(`${entry}: export "shape" must have summary, model, params and stages(params)`);
  }
  return shape;
}

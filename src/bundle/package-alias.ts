// Resolves `loadctl/lib` (and `loadctl/lib/<file>`) in a user's scenario to the scenario library
// shipped with this loadctl, wherever loadctl is installed: a dev dependency, a global install, or
// this clone itself (where no node_modules/loadctl exists). package.json `exports` maps the same
// names for editors and the type checker.

import { join } from 'node:path';
import type { Plugin } from 'esbuild';
import { packageRoot } from '../util/roots.js';

export const LIB_SPECIFIER = 'loadctl/lib';

export const loadctlLib: Plugin = {
  name: 'loadctl-lib',
  setup(b) {
    b.onResolve({ filter: /^loadctl\/lib(\/.*)?$/ }, (a) => {
      const rest = a.path.slice(LIB_SPECIFIER.length);
      return { path: join(packageRoot(), 'scenarios', 'lib', rest ? rest.slice(1) : 'loadctl.ts') };
    });
  },
};

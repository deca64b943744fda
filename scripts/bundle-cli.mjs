// Bundles the CLI for a fast start: dist/cli.js (commander and the command table) plus shared
// chunks in dist/chunks/, loaded as each command needs them (src/cli.ts imports commands lazily),
// and dist/demo/main.js for the demo target's own process. One file per chunk instead of hundreds
// of modules saves Node most of its module resolution at start-up (bench/startup.mjs measures it).
// Runs after tsc in `npm run build`, replacing tsc's dist/cli.js and dist/demo/main.js; the rest of
// tsc's dist/ stays for the tests that import modules from it.
// esbuild (a native binary) and typescript (only `validate` loads it; 9 MB) stay external.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist/chunks/', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts', 'demo/main': 'src/demo/main.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['esbuild', 'typescript'],
  // CommonJS dependencies (ajv, hdr-histogram-js, cross-spawn) call require(); give them one.
  banner: { js: "import { createRequire as __loadctlRequire } from 'node:module'; const require = __loadctlRequire(import.meta.url);" },
  // Less text for V8 to parse at start-up; names are kept, so stack traces still read.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
});

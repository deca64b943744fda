// Lint of the module boundaries (DESIGN.md): the pure core — planning, judging, statistics,
// rendering, the aggregator — does no I/O and reads no clock, so it is tested with data alone;
// only the CLI, the commands and the reporters' console door print.
import tseslint from 'typescript-eslint';

/** Modules that must stay pure: data in, data out. */
export const PURE = [
  'src/plan/**/*.ts',
  'src/judge/**/*.ts',
  'src/report/**/*.ts',
  'src/capacity/{analyse,scaling,scaling-run,search-planner,trial-outcome,types,rows,html}.ts',
  'src/trend/{analyse,changepoint,record,view,html}.ts',
  'src/util/{format,closest,paint}.ts',
  'src/results/{aggregator,assemble,buckets,csv,excluding,histograms,k6-metric-query,k6-metric-store,k6-metric-types,run-id,samples,schema,series-types,slots,types}.ts',
  'src/chaos/{chaos-mesh-manifest,kinds,timeline,fault-flag,types}.ts',
  'src/thresholds/{parse,evaluate,go-syntax,types}.ts',
  'src/k6/outputs.ts',
  'src/config/schema-outputs.ts',
  'src/executors/instances/{merge,merge-samples,rows,time-order}.ts',
  'src/executors/k8s/{manifests,kubectl-args,runner-logs}.ts',
];

const IO_MODULES = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'os', 'readline', 'worker_threads'];
const IO = [...IO_MODULES, ...IO_MODULES.map((m) => `node:${m}`), 'execa', 'chalk'];

export default [
  { ignores: ['dist/**', 'node_modules/**', 'scenarios/**', 'test/**', 'bench/**', 'scripts/**', 'k6/**', 'examples/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module' } },
    rules: { 'no-console': 'error' },
  },
  {
    files: PURE,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: IO.map((name) => ({ name, message: 'a pure module (plan, judge, report, the aggregator core) does no I/O: take the data as an argument and do the I/O at the edge (pipeline/, k6/, target/, config/)' })) },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'a pure module reads no clock: pass the time in' },
        { object: 'performance', property: 'now', message: 'a pure module reads no clock: pass the time in' },
        { object: 'process', message: 'a pure module reads no process state (env, argv, stdout): pass it in' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'a pure module reads no clock: pass the time in' }],
    },
  },
];

import { defineConfig } from 'vitest/config';

// Two groups, one after the other (sequence.groupOrder):
// - unit: pure and in-process tests (no k6, no built CLI, no child process), every file at once;
//   `npm run test:unit` runs them alone in seconds.
// - e2e: everything that runs real k6, the built CLI or another real tool, three files at a time:
//   their runs are mostly fixed seconds of light load, so two cores carry three. Each of these
//   tests is written to pass with another core fully loaded (events awaited, bounds only
//   generous), which is what its neighbours do to it.
// A file that must run by itself would go in a third project (maxWorkers: 1, groupOrder: 2) with
// its reason here. None does: e2e-package packs a copy of the repository, so its rebuild of dist/
// touches nothing the other files run.
const UNIT = [
      'test/abort.test.ts',
      'test/aggregator-tail.test.ts',
      'test/chaos-analysis.test.ts',
      'test/chaos-command.test.ts',
      'test/chaos-mesh.test.ts',
      'test/chaos-plan.test.ts',
      'test/chaos-report.test.ts',
      'test/config.test.ts',
      'test/console.test.ts',
      'test/demo-autoscaler.test.ts',
      'test/distributed-merge-samples.test.ts',
      'test/distributed-merge.test.ts',
      'test/drift.test.ts',
      'test/excluding.test.ts',
      'test/gate-power.test.ts',
      'test/judge.test.ts',
      'test/k6-metrics.test.ts',
      'test/metric-sla.test.ts',
      'test/plan.test.ts',
      'test/profile-cache.test.ts',
      'test/regression-k6.test.ts',
      'test/regression-pool.test.ts',
      'test/regression-thin.test.ts',
      'test/regression.test.ts',
      'test/report-baseline.test.ts',
      'test/report-capacity.test.ts',
      'test/report-drift.test.ts',
      'test/report.test.ts',
      'test/result-schema.test.ts',
      'test/run-folder.test.ts',
      'test/sensitivity.test.ts',
      'test/sequential.test.ts',
      'test/start-caches.test.ts',
      'test/stats.test.ts',
      'test/thresholds-evaluate.test.ts',
      'test/thresholds-parse.test.ts',
      'test/within-run.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: UNIT, maxWorkers: 3, sequence: { groupOrder: 1 } } },
    ],
  },
});

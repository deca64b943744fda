import { defineConfig } from 'vitest/config';

// Three groups, one after the other (sequence.groupOrder):
// - unit: pure and in-process tests (no k6, no built CLI, no child process), every file at once;
//   `npm run test:unit` runs them alone in seconds.
// - e2e: everything that runs real k6, the built CLI or another real tool, three files at a time:
//   their runs are mostly fixed seconds of light load, so two cores carry three. Each of these
//   tests is written to pass with another core fully loaded (events awaited, bounds only
//   generous), which is what its neighbours do to it.
// - alone: last, one file at a time, each with its reason:
//   demo-capacity offers the demo target 900 req/s and holds it to the rate and the latency its
//   model gives; beside two other k6 runs the machine, not the demo, would be what it measures.
// (e2e-package packs a copy of the repository, so its rebuild of dist/ touches nothing the other
// files run: it needs no place here.)
const ALONE = ['test/demo-capacity.test.ts'];
// On a real Kubernetes (scripts/k8s-test-cluster.sh): vitest.k8s.config.ts, `npm run test:k8s`.
const CLUSTER = ['test/k8s-cluster/**'];
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
      'test/k8s-jobs.test.ts',
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
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...ALONE, ...CLUSTER], maxWorkers: 3, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 2 } } },
    ],
  },
});

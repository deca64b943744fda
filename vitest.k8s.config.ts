import { defineConfig } from 'vitest/config';

// The tests on a real single-node Kubernetes (test/k8s-cluster): one file, its tests in order (the
// cluster comes up first and goes down last). Not in `npm test`: the cluster's first build takes
// ~10 minutes and needs root; .ci/k8s runs them after the suite (`npm run test:k8s`).
export default defineConfig({
  test: {
    include: ['test/k8s-cluster/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
  },
});

// The nightly job examples are files users copy as they are: the workflow must be valid GitHub
// Actions YAML, the CronJob must run the image the Dockerfile builds with the exact command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './helpers/cli.js';

const read = (rel: string) => readFileSync(join(repoRoot, rel), 'utf8');
const dir = 'examples/nightly';

const CRON_RANGES: [number, number][] = [
  [0, 59], // minute
  [0, 23], // hour
  [1, 31], // day of month
  [1, 12], // month
  [0, 6], // day of week
];

/** POSIX cron as Actions and Kubernetes read it: five fields of *, n, a-b, lists and /step. */
function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return `${fields.length} fields, need 5`;
  for (const [i, field] of fields.entries()) {
    const [lo, hi] = CRON_RANGES[i]!;
    for (const part of field.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `field ${i + 1}: "${part}" is not cron syntax`;
      const nums = [m[2], m[3]].filter((v): v is string => v !== undefined).map(Number);
      if (nums.some((n) => n < lo || n > hi)) return `field ${i + 1}: "${part}" outside ${lo}-${hi}`;
      if (m[4] !== undefined && Number(m[4]) < 1) return `field ${i + 1}: step must be >= 1`;
    }
  }
  return null;
}

describe('cron syntax check', () => {
  it('accepts valid expressions and names what is wrong in bad ones', () => {
    expect(cronProblem('17 2 * * *')).toBeNull();
    expect(cronProblem('*/15 0-6 1,15 * 1-5')).toBeNull();
    expect(cronProblem('17 2 * *')).toMatch(/4 fields/);
    expect(cronProblem('61 2 * * *')).toMatch(/outside 0-59/);
    expect(cronProblem('0 2 * * MON-')).toMatch(/not cron syntax/);
  });
});

describe('GitHub Actions workflow', () => {
  const wf = parse(read(`${dir}/github-actions-nightly-soak.yml`)) as Record<string, any>;

  it('has the fields Actions requires, on a valid schedule', () => {
    expect(typeof wf.name).toBe('string');
    expect(wf.on).toBeTypeOf('object'); // YAML 1.2: `on` stays a key, not the boolean true
    const schedule = wf.on.schedule as { cron: string }[];
    expect(schedule.length).toBeGreaterThan(0);
    for (const s of schedule) expect(cronProblem(s.cron)).toBeNull();
    const jobs = Object.entries(wf.jobs as Record<string, any>);
    expect(jobs.length).toBeGreaterThan(0);
    for (const [id, job] of jobs) {
      expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
      expect(typeof job['runs-on']).toBe('string');
      expect(job['timeout-minutes']).toBeLessThanOrEqual(360); // GitHub-hosted runners stop at 6 h
      const steps = job.steps as Record<string, unknown>[];
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        // Exactly one of `uses` (a pinned action) or `run`.
        expect(('uses' in step) !== ('run' in step)).toBe(true);
        if ('uses' in step) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
      }
      // Every `steps.<id>` the workflow reads is a step of this job.
      const ids = new Set(steps.map((s) => s.id).filter(Boolean));
      for (const m of JSON.stringify(job).matchAll(/steps\.([\w-]+)\./g)) expect(ids.has(m[1])).toBe(true);
    }
  });

  it('runs the nightly script, keeps the history and the run, and fails on a finding', () => {
    const steps = wf.jobs.soak.steps as Record<string, string>[];
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('bash examples/nightly/nightly.sh staging');
    expect(runs).toMatch(/git add baselines\/staging\/soak\.history\.jsonl/);
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(steps[steps.length - 1]!.run).toBe('exit ${{ steps.soak.outputs.exit }}');
    expect(wf.permissions.contents).toBe('write');
  });
});

describe('Kubernetes CronJob and its image', () => {
  const cron = parse(read(`${dir}/kubernetes-cronjob.yaml`)) as Record<string, any>;
  const pkg = JSON.parse(read('package.json')) as { version: string };
  const k6Version = `v${/^K6_VERSION="\$\{K6_VERSION:-([\d.]+)\}"$/m.exec(read('scripts/install-k6.sh'))![1]}`;
  const pinned = `ghcr.io/example/loadctl:${pkg.version}-k6-${k6Version}`;

  it('is a valid CronJob that never overlaps and never retries a finding', () => {
    expect(cron).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', spec: { concurrencyPolicy: 'Forbid', jobTemplate: { spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } } } } });
    expect(cronProblem(cron.spec.schedule)).toBeNull();
  });

  it('names the pinned image (loadctl and k6 versions) and the exact command', () => {
    const [container] = cron.spec.jobTemplate.spec.template.spec.containers;
    expect(container.image).toBe(pinned);
    expect(container.command).toEqual(['sh', '/app/examples/nightly/nightly.sh']);
    expect(container.args).toEqual(['nightly', '8h']);
    expect(container.workingDir).toBe('/data');
  });

  it('is the image the Dockerfile builds: same tag, the script at the path the command runs', () => {
    const docker = read(`${dir}/Dockerfile`);
    expect(docker).toContain(`-t ${pinned} .`);
    expect(docker).toMatch(/^WORKDIR \/app$[\s\S]*^COPY examples\/nightly\/nightly\.sh examples\/nightly\/nightly\.sh$/m);
    expect(docker).toContain(`FROM grafana/k6:${k6Version.slice(1)} AS k6`);
    expect(docker).toMatch(/^COPY --from=k6 \/usr\/bin\/k6 \.tools\/bin\/k6$/m);
  });
});

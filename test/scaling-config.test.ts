// Bad probe, capacity and scaling settings: each refused with the field named (validateProfile),
// and through the built CLI with exit 2 before anything runs.
import { describe, expect, it } from 'vitest';
import { validateProfile } from '../src/config/validate.js';
import { ConfigError } from '../src/util/errors.js';
import type { ProbeSettings } from '../src/config/types.js';
import { toProbes } from '../src/probes/settings.js';
import { searchOptions } from '../src/capacity/search-driver.js';
import { fileTree, runCli, tempProject } from './helpers/cli.js';

const workload = { requests: [{ name: 'home', path: '/' }] };
const base = { baseUrl: 'http://127.0.0.1:9', workload };
const probe = { name: 'replicas', type: 'prometheus', url: 'http://127.0.0.1:9/metrics', metric: 'up' };

function problem(profile: object): string {
  try {
    validateProfile(profile, 'p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  return 'valid';
}

describe('scaling settings in a profile', () => {
  it('accepts probes of every type, demo limits and the scaling SLA', () => {
    const probes = [
      probe,
      { name: 'hpa', type: 'command', command: 'kubectl get hpa web -o jsonpath={.status.currentReplicas}', intervalSeconds: 5 },
      { name: 'ready', type: 'http-json', url: 'http://127.0.0.1:9/status', pointer: '/status/replicas' },
      { name: 'own', type: 'prometheus', url: '/metrics', metric: 'loadctl_demo_replicas' },
      { name: 'q', type: 'promql', url: 'http://127.0.0.1:9090', query: 'sum(kube_deployment_status_replicas)' },
    ];
    expect(problem({ ...base, probes, sla: { minCapacity: 300, scaling: { maxReactionSeconds: 30 } }, search: { ceiling: 2000, budgetSeconds: 120 } })).toBe('valid');
    expect(problem({ demo: { capacity: { rps: 300, concurrency: 10, queue: 50 }, autoscaler: { reactionSeconds: 5, maxReplicas: 3 } }, workload })).toBe('valid');
  });

  it.each([
    [{ probes: [{ ...probe, type: 'graphite' }] }, 'p.yaml: /probes/0/type: must be one of command, http-json, prometheus, promql'],
    [{ probes: [{ ...probe, intervalSeconds: 0 }] }, 'p.yaml: /probes/0/intervalSeconds: must be >= 0.1'],
    [{ probes: [{ ...probe, metric: 'bad metric' }] }, 'p.yaml: /probes/0/metric: must match'],
    [{ probes: [{ ...probe, colour: 1 }] }, 'p.yaml: /probes/0: unknown key "colour"'],
    [{ probes: [{ name: 'x', type: 'http-json', url: 'http://127.0.0.1:9/' }] }, 'p.yaml: /probes/0: a http-json probe needs "pointer"'],
    [{ probes: [{ ...probe, command: 'echo 1' }] }, 'p.yaml: /probes/0/command: does not apply to a prometheus probe'],
    [{ probes: [{ ...probe, url: 'ftp://x/metrics' }] }, 'p.yaml: /probes/0/url: must be an http(s) URL'],
    [{ probes: [{ ...probe, url: 'metrics' }] }, 'p.yaml: /probes/0/url: must be an http(s) URL'],
    [{ probes: [probe, probe] }, 'p.yaml: /probes/1/name: duplicate probe name "replicas"'],
    [{ sla: { minCapacity: -1 } }, 'p.yaml: /sla/minCapacity: must be > 0'],
    [{ sla: { scaling: { maxReactionSeconds: 30 } } }, 'p.yaml: /sla/scaling: no probe named "replicas"'],
    [{ probes: [probe], sla: { scaling: { maxReactionSeconds: 30, probe: 'hpa' } } }, 'p.yaml: /sla/scaling/probe: no probe named "hpa"'],
    [{ probes: [probe], sla: { scaling: {} } }, 'p.yaml: /sla/scaling: missing required key "maxReactionSeconds"'],
    [{ search: { start: 50 } }, 'p.yaml: /search: missing required key "ceiling"'],
    [{ search: { ceiling: 800, factor: 1 } }, 'p.yaml: /search/factor: must be > 1'],
    [{ search: { ceiling: 800, precision: 2 } }, 'p.yaml: /search/precision: must be <= 1'],
  ])('refuses %j', (extra, message) => {
    expect(problem({ ...base, ...extra })).toContain(message);
  });

  it.each([
    [{ capacity: { rps: 0 } }, 'p.yaml: /demo/capacity/rps: must be > 0'],
    [{ capacity: { rps: 300, concurrency: 1.5 } }, 'p.yaml: /demo/capacity/concurrency: must be integer'],
    [{ autoscaler: { reactionSeconds: 5 } }, 'p.yaml: /demo/autoscaler: needs demo.capacity'],
    [{ capacity: { rps: 300 }, autoscaler: { reactionSeconds: 5, maxReplicas: 0 } }, 'p.yaml: /demo/autoscaler/maxReplicas: must be >= 1'],
  ])('refuses demo %j', (demo, message) => {
    expect(problem({ demo, workload })).toContain(message);
  });

  it('probe ${ENV} references stay references in the plan; URLs are resolved only for sampling', async () => {
    const secret = 's3cr3t-probe-value';
    const profile = ['demo: {}', 'workload:', '  requests: [{ name: home, path: /health }]', 'probes:',
      '  - { name: r, type: prometheus, url: "http://127.0.0.1:9/${PROBE_PATH}", metric: up }',
      '  - { name: c, type: command, command: "echo ${PROBE_TOKEN} | wc -c" }', ''].join('\n');
    const dir = tempProject({ 'profiles/probed.yaml': profile });
    const r = await runCli(['run', 'sustained', '-t', 'probed', '-d', '2s', '--dry-run'], { cwd: dir, env: { PROBE_TOKEN: secret, PROBE_PATH: 'metrics' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain(secret);
    const plan = JSON.parse(r.stdout) as { probes: ProbeSettings[] };
    expect(plan.probes.map((p) => p.url ?? p.command)).toEqual(['http://127.0.0.1:9/${PROBE_PATH}', 'echo ${PROBE_TOKEN} | wc -c']);
    const [url, command] = toProbes(plan.probes, { PROBE_PATH: 'metrics', PROBE_TOKEN: secret });
    expect(url).toMatchObject({ url: 'http://127.0.0.1:9/metrics' });
    expect(command).toMatchObject({ command: 'echo ${PROBE_TOKEN} | wc -c' }); // the shell expands it
    const missing = await runCli(['run', 'sustained', '-t', 'probed', '-d', '2s', '--dry-run'], { cwd: dir, env: { PROBE_PATH: 'metrics' } });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('PROBE_TOKEN');
  });

  it('a search block becomes driver options with its defaults', () => {
    expect(searchOptions({ ceiling: 1600 })).toEqual({ start: 100, ceiling: 1600, stepMs: 10_000, budgetMs: 600_000 });
    expect(searchOptions({ ceiling: 900, start: 50, factor: 3, precision: 0.1, stepSeconds: 5, budgetSeconds: 90 })).toEqual({ start: 50, ceiling: 900, factor: 3, precision: 0.1, stepMs: 5000, budgetMs: 90_000 });
  });

  it.each([
    [['--scale-after', '3'], 'the autoscaler flags need --capacity-rps'],
    [['--capacity-rps', 'x'], '--capacity-rps must be a number > 0 (got NaN)'],
    [['--capacity-rps', '300', '--concurrency', '0'], '--concurrency must be an integer >= 1 (got 0)'],
  ])('loadctl demo %j exits 2 naming the flag', async (flags, message) => {
    const r = await runCli(['demo', '--port', '0', ...flags]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('the CLI exits 2 naming the field, and writes nothing', async () => {
    const profile = ['demo: {}', 'workload:', '  requests: [{ name: home, path: /health }]', 'probes:', '  - { name: r, type: http-json, url: "http://127.0.0.1:9/x" }', ''].join('\n');
    const dir = tempProject({ 'profiles/bad.yaml': profile });
    const before = fileTree(dir);
    const r = await runCli(['run', 'sustained', '-t', 'bad', '-d', '2s'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('profiles/bad.yaml: /probes/0: a http-json probe needs "pointer"');
    expect(fileTree(dir)).toEqual(before);
  });
});

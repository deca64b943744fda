// k6 outputs next to loadctl's own, without k6: profile validation (every error names its field),
// the mapping onto k6's settings, --k6-out, and the exact argv and environment k6 gets.
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../src/config/load.js';
import { validateProfile } from '../src/config/validate.js';
import { ConfigError, UsageError } from '../src/util/errors.js';
import { k6Invocation } from '../src/k6/args.js';
import { assertOutputsAvailable, planOutputs, resolveEnvTemplates } from '../src/k6/outputs.js';
import { buildPlan } from '../src/plan/plan.js';
import type { Plan } from '../src/plan/types.js';
import { planHash } from '../src/pipeline/run-once.js';
import { tempProject } from './helpers/cli.js';

const base = { demo: {}, workload: { requests: [{ name: 'home', path: '/' }] } };
const PROM = 'experimental-prometheus-rw';

function problem(outputs: unknown): ConfigError {
  try {
    validateProfile({ ...base, outputs }, 'profiles/p.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const loaded = (outputs: unknown) => ({ name: 'p', file: 'profiles/p.yaml', profile: validateProfile({ ...base, outputs }, 'profiles/p.yaml'), envRefs: [] });
const planWith = (outputs: unknown, k6Out?: string[], kind: 'scenario' | 'script' = 'scenario'): Plan =>
  buildPlan({
    scenario: { name: 's', file: 's.ts', spec: kind === 'scenario' ? { summary: '', model: 'vus', params: {}, stages: () => [{ phase: 'steady', duration: '5s', target: 2 }] } : null },
    profile: loaded(outputs),
    flags: { k6Out },
  });

describe('profile outputs: validation', () => {
  it('accepts the Prometheus, OpenTelemetry and generic forms', () => {
    const p = validateProfile(
      {
        ...base,
        outputs: [
          { type: PROM, url: 'http://127.0.0.1:9090/api/v1/write', trendStats: ['p(95)', 'p(99.9)', 'avg'], pushInterval: '1s', bearerTokenEnv: 'PROM_TOKEN' },
          { type: 'opentelemetry', endpoint: 'otel:4318', protocol: 'http', insecure: true, serviceName: 'checkout-load' },
          { type: 'json', args: 'samples.json.gz', env: { K6_JSON_TIME_FORMAT: 'unix' } },
        ],
      },
      'profiles/p.yaml',
    );
    expect(p.outputs).toHaveLength(3);
  });

  it.each([
    [[{ type: PROM, endpoint: 'x:1' }], '/outputs/0/endpoint', /does not apply to type experimental-prometheus-rw/],
    [[{ type: 'json', url: 'http://x' }], '/outputs/0/url', /belongs to experimental-prometheus-rw/],
    [[{ type: PROM, args: 'url=http://x' }], '/outputs/0/args', /settings from the environment only/],
    [[{ type: 'loadctl' }], '/outputs/0/type', /loadctl's own output/],
    [[{ type: 'statsd' }], '/outputs/0/type', /not an output of k6 v2/],
    [[{ type: 'prom etheus' }], '/outputs/0/type', /must match/],
    [[{ type: PROM, url: 'localhost:9090' }], '/outputs/0/url', /not an http\(s\) URL/],
    [[{ type: 'opentelemetry', endpoint: 'https://otel:4317' }], '/outputs/0/endpoint', /has a scheme/],
    [[{ type: PROM }, { type: PROM }], '/outputs/1/type', /a second experimental-prometheus-rw/],
    [[{ type: PROM, trendStats: ['p95'] }], '/outputs/0/trendStats/0', /must match/],
    [[{ type: PROM, bearerToken: 'abc' }], '/outputs/0', /bearerToken/],
    [[{ type: PROM, passwordEnv: 'PW' }], '/outputs/0/passwordEnv', /needs a user/],
    [[{ type: PROM, bearerTokenEnv: 'not a name' }], '/outputs/0/bearerTokenEnv', /only letters, digits and _/],
    [[{ type: 'json', env: { OTHER: 'x' } }], '/outputs/0/env', /must match pattern/],
    [[{ type: 'json', env: { K6_LOADCTL_BUCKET_MS: '5' } }], '/outputs/0/env/K6_LOADCTL_BUCKET_MS', /set by loadctl itself/],
  ])('refuses %j at %s (exit 2)', (outputs, pointer, detail) => {
    const e = problem(outputs);
    expect(e.exitCode).toBe(2);
    expect(e.path).toBe(pointer);
    expect(e.message).toMatch(detail);
  });

  it('needs the variables the auth fields name, and says which field names them', async () => {
    const dir = tempProject({
      'profiles/p.yaml': `demo: {}\nworkload: { requests: [{ name: home, path: / }] }\noutputs:\n  - { type: ${PROM}, bearerTokenEnv: PROM_TOKEN }\n`,
    });
    await expect(loadProfile('p', { cwd: dir, env: {} })).rejects.toThrow('profiles/p.yaml: /outputs/0/bearerTokenEnv: environment variable PROM_TOKEN is not set');
    const ok = await loadProfile('p', { cwd: dir, env: { PROM_TOKEN: 'tok-123456' } });
    expect(ok.envRefs).toContain('PROM_TOKEN'); // so every run redacts its value
    expect(JSON.stringify(ok.profile)).not.toContain('tok-123456');
  });

  it('keeps ${NAME} in env values a reference until k6 starts', async () => {
    const dir = tempProject({
      'profiles/p.yaml': `demo: {}\nworkload: { requests: [{ name: home, path: / }] }\noutputs:\n  - { type: influxdb, args: "http://127.0.0.1:8086/k6", env: { K6_INFLUXDB_PASSWORD: "\${INFLUX_PW}" } }\n`,
    });
    await expect(loadProfile('p', { cwd: dir, env: {} })).rejects.toThrow('/outputs/0/env/K6_INFLUXDB_PASSWORD: environment variable INFLUX_PW is not set');
    const ok = await loadProfile('p', { cwd: dir, env: { INFLUX_PW: 'pw-secret-1' } });
    expect(ok.profile.outputs?.[0]?.env).toEqual({ K6_INFLUXDB_PASSWORD: '${INFLUX_PW}' });
    expect(ok.envRefs).toContain('INFLUX_PW');
  });
});

describe('planned outputs: k6 settings', () => {
  it("maps the typed fields onto k6's environment variables, secrets as references", () => {
    const [prom, otel] = planOutputs(
      [
        { type: PROM, url: 'http://127.0.0.1:9090/api/v1/write', trendStats: ['p(95)', 'p(99)'], nativeHistograms: false, pushInterval: '1s', staleMarkers: true, usernameEnv: 'PROM_USER', passwordEnv: 'PROM_PW' },
        { type: 'opentelemetry', endpoint: 'otel:4318', protocol: 'http', insecure: true, serviceName: 'svc', exportInterval: '2s', headersEnv: 'OTEL_HDRS' },
      ],
      [],
      'p.yaml',
    );
    expect(prom).toEqual({
      type: PROM,
      from: '/outputs/0',
      env: {
        K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write',
        K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99)',
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'false',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
        K6_PROMETHEUS_RW_STALE_MARKERS: 'true',
        K6_PROMETHEUS_RW_USERNAME: '${PROM_USER}',
        K6_PROMETHEUS_RW_PASSWORD: '${PROM_PW}',
      },
    });
    expect(otel).toEqual({
      type: 'opentelemetry',
      from: '/outputs/1',
      env: {
        K6_OTEL_EXPORTER_PROTOCOL: 'http/protobuf',
        K6_OTEL_EXPORTER_TYPE: 'http',
        K6_OTEL_HTTP_EXPORTER_ENDPOINT: 'otel:4318',
        K6_OTEL_HTTP_EXPORTER_INSECURE: 'true',
        K6_OTEL_SERVICE_NAME: 'svc',
        K6_OTEL_EXPORT_INTERVAL: '2s',
        K6_OTEL_HEADERS: '${OTEL_HDRS}',
      },
    });
    const [grpc] = planOutputs([{ type: 'opentelemetry', endpoint: 'otel:4317', insecure: true }], [], 'p.yaml');
    expect(grpc?.env).toEqual({ K6_OTEL_GRPC_EXPORTER_ENDPOINT: 'otel:4317', K6_OTEL_GRPC_EXPORTER_INSECURE: 'true' });
  });

  it('--k6-out adds outputs; on a configured type it overrides the URL and keeps auth and trend stats', () => {
    const outs = planOutputs([{ type: PROM, url: 'http://a:9090/api/v1/write', bearerTokenEnv: 'T', trendStats: ['p(95)'] }], [`${PROM}=http://b:9090/api/v1/write`, 'json=out.json', 'csv'], 'p.yaml');
    expect(outs).toEqual([
      { type: PROM, from: `--k6-out ${PROM}=http://b:9090/api/v1/write`, env: { K6_PROMETHEUS_RW_SERVER_URL: 'http://b:9090/api/v1/write', K6_PROMETHEUS_RW_TREND_STATS: 'p(95)', K6_PROMETHEUS_RW_BEARER_TOKEN: '${T}' } },
      { type: 'json', from: '--k6-out json=out.json', arg: 'out.json', env: {} },
      { type: 'csv', from: '--k6-out csv', env: {} },
    ]);
  });

  it('refuses a bad --k6-out and settings that contradict (exit 2)', () => {
    expect(() => planOutputs([], ['loadctl=/x'], 'p.yaml')).toThrow(UsageError);
    expect(() => planOutputs([], ['=x'], 'p.yaml')).toThrow(/not a k6 output name/);
    expect(() => planOutputs([], [`${PROM}=localhost:9090`], 'p.yaml')).toThrow(/not an http\(s\) URL/);
    expect(() => planOutputs([{ type: PROM, url: 'http://a/w', env: { K6_PROMETHEUS_RW_SERVER_URL: 'http://b/w' } }], [], 'p.yaml')).toThrow(
      'p.yaml: /outputs/0/env/K6_PROMETHEUS_RW_SERVER_URL: K6_PROMETHEUS_RW_SERVER_URL is already set',
    );
    expect(() => planOutputs([{ type: 'json', env: { K6_X: '1' } }, { type: 'csv', env: { K6_X: '2' } }], [], 'p.yaml')).toThrow(/sets K6_X differently from \/outputs\/0/);
  });

  it('a flag value is literal: ${ in it is not read as a reference', () => {
    const [o] = planOutputs([], [`${PROM}=http://h/w?x=\${NOT_A_REF}`], 'p.yaml');
    expect(resolveEnvTemplates(o!.env, {})).toEqual({ K6_PROMETHEUS_RW_SERVER_URL: 'http://h/w?x=${NOT_A_REF}' });
  });

  it('an output the k6 lacks is refused before anything starts, naming the field (exit 2)', () => {
    const k6 = { path: '/k6', version: '2.2.0', outputs: ['loadctl', 'xk6-influxdb'] };
    const outs = planOutputs([{ type: 'prometheus-rw' }], [], 'profiles/p.yaml');
    const e = (() => {
      try {
        assertOutputsAvailable(outs, k6, 'profiles/p.yaml');
      } catch (err) {
        return err as UsageError;
      }
      throw new Error('expected a UsageError');
    })();
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(
      'profiles/p.yaml: /outputs/0/type: the k6 at /k6 has no output "prometheus-rw" (it has: cloud, csv, experimental-opentelemetry, experimental-prometheus-rw, influxdb, json, opentelemetry, web-dashboard, xk6-influxdb)',
    );
    expect(e.hint).toBe('did you mean "experimental-prometheus-rw"?');
    expect(() => assertOutputsAvailable(planOutputs([], ['xk6-timescaledb'], 'p'), k6, 'p')).toThrow(/^--k6-out xk6-timescaledb: the k6 at \/k6 has no output/);
    expect(() => assertOutputsAvailable(planOutputs([{ type: 'xk6-influxdb' }, { type: PROM }], [], 'p'), k6, 'p')).not.toThrow();
  });
});

describe('k6Invocation with outputs', () => {
  const outputs = [{ type: PROM, url: 'http://127.0.0.1:9090/api/v1/write', bearerTokenEnv: 'PROM_TOKEN' }];

  it('adds --out and the testid tag; the token travels as a reference, resolved only into the environment', () => {
    const plan = planWith(outputs);
    const inv = k6Invocation({ plan, script: '/b/s.js', samplesPath: '/tmp/f', format: 'loadctl', runId: '20261201-000000-s-p' });
    expect(inv.args.slice(-6)).toEqual(['--no-thresholds', '--out', PROM, '--tag', 'testid=20261201-000000-s-p', '/b/s.js']);
    expect(inv.args).toEqual(expect.arrayContaining(['--out', 'loadctl=/tmp/f']));
    expect(inv.envTemplates).toEqual({ K6_PROMETHEUS_RW_SERVER_URL: 'http://127.0.0.1:9090/api/v1/write', K6_PROMETHEUS_RW_BEARER_TOKEN: '${PROM_TOKEN}' });
    const resolved = resolveEnvTemplates(inv.envTemplates, { PROM_TOKEN: 'tok-secret-42' });
    expect(resolved.K6_PROMETHEUS_RW_BEARER_TOKEN).toBe('tok-secret-42');
    expect(JSON.stringify(inv)).not.toContain('tok-secret-42');
  });

  it('a loadctl scenario always carries the run id; a plain script only with outputs, keeping its own tags', () => {
    const none = k6Invocation({ plan: planWith(undefined), script: 's.js', samplesPath: '/f', format: 'loadctl', runId: 'r1' });
    expect(none.args).toEqual(expect.arrayContaining(['--tag', 'testid=r1']));
    expect(none.envTemplates).toEqual({});
    const bare = k6Invocation({ plan: planWith(undefined, [], 'script'), script: 's.js', samplesPath: '/f', format: 'loadctl', runId: 'r1' });
    expect(bare.args).not.toContain('--tag');
    const script = k6Invocation({ plan: planWith(outputs, [], 'script'), script: 's.js', samplesPath: '/f', format: 'loadctl', runId: 'r1', scriptTags: { team: 'pay' } });
    expect(script.args.join(' ')).toContain('--tag team=pay --tag testid=r1 s.js');
    const unreadable = k6Invocation({ plan: planWith(outputs, [], 'script'), script: 's.js', samplesPath: '/f', format: 'loadctl', runId: 'r1', scriptTags: null });
    expect(unreadable.args).not.toContain('--tag');
  });

  it('where the metrics also go does not change the plan hash', () => {
    expect(planHash(planWith(outputs))).toBe(planHash(planWith(undefined)));
  });
});

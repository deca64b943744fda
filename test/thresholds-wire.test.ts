// Where script thresholds meet the run: k6 inspect reads them (real k6), bad ones stop the run
// with exit 2 before any load, k6 gets --no-thresholds once loadctl judges them, and the safety
// stop ends a run on a failing abortOnFail threshold.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/util/errors.js';
import { k6Invocation } from '../src/k6/args.js';
import { safetyStop } from '../src/pipeline/safety.js';
import type { Plan } from '../src/plan/types.js';
import { withScriptThresholds } from '../src/thresholds/attach.js';
import { parseExpression, parseThresholds } from '../src/thresholds/parse.js';
import { readScriptThresholds } from '../src/thresholds/read.js';
import { besideContext } from './helpers/beside.js';
import { realK6, tempProject } from './helpers/cli.js';
import { metricsFromSamples } from './helpers/thresholds-metrics.js';

const plan = (over: Partial<Plan> = {}): Plan =>
  ({
    planVersion: 1,
    scenario: { name: 'load', file: 'load.js', kind: 'script', summary: '' },
    target: { name: 'local', profileFile: null, baseUrl: '', managed: 'demo' },
    shape: null,
    k6Scenarios: null,
    phases: [],
    durationMs: null,
    workload: { requests: [] },
    envRefs: [],
    sla: {},
    safety: {},
    baseline: {},
    overrides: {},
    k6: {},
    bucketMs: 1000,
    metricTags: ["name", "group"],
    ...over,
  }) as Plan;

const script = (thresholds: string, init = '') => `import http from 'k6/http';
import { Trend } from 'k6/metrics';
${init}
const t = new Trend('tunnel_setup', true);
export const options = { vus: 1, duration: '1s', thresholds: ${thresholds} };
export default function () { t.add(1); }
`;

function project(files: Record<string, string>) {
  const dir = tempProject(files, { scenarios: false, localProfile: false, nodeModules: false });
  return (name: string) => ({ k6: realK6, script: join(dir, name), display: name, cwd: dir, env: { PATH: process.env.PATH }, runEnv: { BASE_URL: 'http://127.0.0.1:9' } });
}

describe('k6 argv', () => {
  it('turns k6 thresholds off only when loadctl judges them', () => {
    const inv = (p: Plan) => k6Invocation({ plan: p, script: 'load.js', samplesPath: '/f', format: 'loadctl' }).args;
    expect(inv(plan())).not.toContain('--no-thresholds');
    expect(inv(plan({ thresholds: [] }))).toContain('--no-thresholds');
    expect(inv(plan({ thresholds: parseThresholds({ http_req_duration: ['p(95)<5'] }, 'load.js') }))).toContain('--no-thresholds');
  });
});

describe('reading a script with k6 inspect', () => {
  it('reads both forms, with env the script needs at init', async () => {
    const at = project({
      'load.js': script(`{ http_req_duration: ['p(95)<500'], 'tunnel_setup{name:eu}': [{ threshold: 'p(99.9) < 800', abortOnFail: true, delayAbortEval: '1m30s' }] }`, "if (!__ENV.BASE_URL) throw new Error('BASE_URL');"),
    });
    const ts = await readScriptThresholds(at('load.js'));
    expect(ts).toEqual([
      { key: 'http_req_duration', selector: { metric: 'http_req_duration', tags: {} }, expression: { source: 'p(95)<500', aggregation: 'p', percentile: 95, operator: '<', value: 500 }, abortOnFail: false },
      {
        key: 'tunnel_setup{name:eu}',
        selector: { metric: 'tunnel_setup', tags: { name: 'eu' } },
        expression: { source: 'p(99.9) < 800', aggregation: 'p', percentile: 99.9, operator: '<', value: 800 },
        abortOnFail: true,
        delayAbortEvalMs: 90_000,
      },
    ]);
  });

  it('gives up (k6 judges, as before) when k6 cannot load the script', async () => {
    const at = project({ 'load.js': "throw new Error('broken at init');\n" });
    expect(await readScriptThresholds(at('load.js'))).toBeNull();
  });

  const refusal = async (thresholds: string): Promise<UsageError> => {
    const at = project({ 'load.js': script(thresholds) });
    const e = await readScriptThresholds(at('load.js')).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  };

  it('refuses a malformed expression: names the script, the key and the expression', async () => {
    const e = await refusal(`{ 'http_req_duration{name:checkout}': ['p95 < 500'] }`);
    expect(e.message).toBe('load.js: options.thresholds["http_req_duration{name:checkout}"]: "p95 < 500" is malformed: "p95" is not an aggregation: use one of value, count, rate, avg, min, med, max or p(N)');
    expect(e.exitCode).toBe(2);
  });

  it("refuses what k6's registry refuses: a metric the script lacks, an aggregation a custom metric does not answer", async () => {
    const missing = await refusal(`{ tunnel_setp: ['p(95)<5'] }`);
    expect(missing.message).toMatch(/^load\.js: options\.thresholds: .*tunnel_setp/);
    expect(missing.hint).toMatch(/name a built-in metric or one the script creates/);
    const wrong = await refusal(`{ tunnel_setup: ['count>5'] }`);
    expect(wrong.message).toMatch(/unsupported aggregation method count on metric of type trend/);
  });

  it('attaches the thresholds to the plan only when loadctl judges them', async () => {
    const at = project({ 'load.js': script(`{ http_req_duration: ['p(95)<500'] }`) });
    const c = { k6: realK6, script: at('load.js').script, cwd: at('load.js').cwd, env: { PATH: process.env.PATH } };
    expect((await withScriptThresholds(plan(), c, true)).thresholds).toHaveLength(1);
    expect((await withScriptThresholds(plan(), c, false)).thresholds).toBeUndefined();
    expect((await withScriptThresholds(plan({ scenario: { name: 's', file: 's.ts', kind: 'scenario', summary: '' } }), c, true)).thresholds).toBeUndefined();
  });
});

describe("loadctl's grammar is k6's", () => {
  // Each expression on a Trend: k6 (inspect validates thresholds as run does) and loadctl agree.
  const CASES = ['p(95)<500', 'p(99.9) <= 1', ' avg>1 ', 'med==1', 'min===1', 'max!=1', 'p(0)>=0', 'p(100)<1e3', 'avg<.5', 'avg<5.', 'avg<0x1p3', 'avg<inf', 'avg<-Inf',
    'p95<500', 'AVG<1', 'avg', 'avg<', 'avg=1', 'p(101)<1', 'p(-1)<1', 'p( 95)<1', 'p(nan)<1', 'avg<1_000', 'avg<1e999', 'avg<>1', 'avg<=<1', 'avg < 1 ms', 'count>1', 'rate<1', 'value>1'];

  it.each(CASES)('%s', async (expr) => {
    const at = project({ 'load.js': script(`{ tunnel_setup: [${JSON.stringify(expr)}] }`) });
    const k6Accepts = await readScriptThresholds(at('load.js')).then(
      () => true,
      () => false,
    );
    const parsed = parseExpression(expr);
    const weAccept = typeof parsed !== 'string' && ['avg', 'min', 'max', 'med', 'p'].includes(parsed.aggregation);
    expect(weAccept).toBe(k6Accepts);
  });
});

describe('the safety stop', () => {
  it('stops the run on a failing abortOnFail threshold past its delay, as k6 would', async () => {
    const { ctx, abort } = besideContext();
    const reasons: string[] = [];
    const metrics = metricsFromSamples([{ metric: 'http_req_duration', type: 'trend', contains: 'time', value: 900 }], 3000);
    const thresholds = parseThresholds({ http_req_duration: [{ threshold: 'max<500', abortOnFail: true, delayAbortEval: '50ms' }] }, 'load.js');
    ctx.plan = plan({ thresholds });
    ctx.k6Metrics = () => metrics;
    const stopped = new Promise<void>((resolve) => {
      ctx.stopRun = (r) => {
        reasons.push(r);
        resolve();
      };
    });
    const task = safetyStop(20);
    await task.start(ctx);
    await stopped;
    await task.stop();
    abort();
    expect(reasons).toEqual(['thresholds crossed with abortOnFail (http_req_duration: max<500): stopping the run as k6 would']);
  });
});


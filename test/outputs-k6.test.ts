// k6 outputs with real k6: the bearer token a profile names reaches the remote-write endpoint (a
// local HTTP server standing in for Prometheus checks the header) and nothing else; a plain
// script keeps its own tags next to testid; an output k6 lacks stops the run before it starts;
// the built-in output list matches the pinned k6's. `npm run build` first.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinOutputs } from '../src/k6/outputs.js';
import { realK6, runCli, tempProject } from './helpers/cli.js';

const secret = `prom-${randomBytes(8).toString('hex')}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** A stand-in remote-write endpoint: records each push's headers, answers 204 like Prometheus. */
async function writeReceiver() {
  const pushes: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      pushes.push(req.headers);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/write`;
  return { url, pushes, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A k6 that records the argv loadctl gives it, then is the real k6. */
function argvRecorder(project: string): { wrapper: string; log: string } {
  const log = join(project, 'k6-argv.log');
  const wrapper = join(project, 'k6-wrapper.sh');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realK6}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  return { wrapper, log };
}

describe('k6 outputs (real k6)', () => {
  it('sends the bearer token named by the profile to the endpoint, and nowhere else', async () => {
    const receiver = await writeReceiver();
    try {
      const project = tempProject({
        'profiles/rw.yaml': `demo: {}
workload:
  requests: [{ name: home, path: / }]
outputs:
  - type: experimental-prometheus-rw
    url: ${receiver.url}
    pushInterval: 1s
    bearerTokenEnv: PROM_TOKEN
`,
      });
      const { wrapper, log } = argvRecorder(project);
      const out = join(project, 'out');
      const r = await runCli(['run', 'sustained', '-t', 'rw', '--vus', '2', '-d', '5s', '--out', out], {
        cwd: project,
        env: { PROM_TOKEN: secret, LOADCTL_K6: wrapper },
        timeoutMs: 120_000,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(receiver.pushes.length).toBeGreaterThan(0);
      for (const h of receiver.pushes) expect(h.authorization).toBe(`Bearer ${secret}`);
      expect(receiver.pushes[0]!['content-encoding']).toBe('snappy');

      const runArgv = readFileSync(log, 'utf8').split('\n').find((l) => l.startsWith('run '));
      const runId = (JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { runId: string }).runId;
      expect(runArgv).toContain(`--out experimental-prometheus-rw --tag testid=${runId} `);
      expect(readFileSync(log, 'utf8')).not.toContain(secret);
      for (const f of filesUnder(out)) expect(readFileSync(f, 'utf8'), f).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(secret);
      // The plan (--dry-run, and LOADCTL_PLAN in k6's environment) holds the name, not the value.
      const dry = await runCli(['run', 'sustained', '-t', 'rw', '--dry-run'], { cwd: project, env: { PROM_TOKEN: secret } });
      expect(dry.stdout).toContain('"K6_PROMETHEUS_RW_BEARER_TOKEN": "${PROM_TOKEN}"');
      expect(dry.stdout).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  }, 150_000);

  it('exports to an OpenTelemetry collector over OTLP/http with the service name and the run id', async () => {
    const bodies: { path: string; type: string; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ path: req.url ?? '', type: String(req.headers['content-type']), body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const project = tempProject({
        'profiles/otel.yaml': `demo: {}
workload:
  requests: [{ name: home, path: / }]
outputs:
  - { type: opentelemetry, protocol: http, endpoint: "127.0.0.1:${port}", insecure: true, serviceName: loadctl-otel-test, exportInterval: 1s }
`,
      });
      const out = join(project, 'out');
      const r = await runCli(['run', 'sustained', '-t', 'otel', '--vus', '2', '-d', '5s', '--out', out, '--quiet'], { cwd: project, timeoutMs: 120_000 });
      expect(r.exitCode, r.stderr).toBe(0);
      const runId = (JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as { runId: string }).runId;
      expect(bodies.length).toBeGreaterThan(0);
      expect(bodies.every((b) => b.path === '/v1/metrics' && b.type === 'application/x-protobuf')).toBe(true);
      // Protobuf keeps strings as they are: the resource's service name and the run's tag are in there.
      const all = Buffer.concat(bodies.map((b) => b.body));
      expect(all.includes('loadctl-otel-test')).toBe(true);
      expect(all.includes(runId)).toBe(true);
      expect(all.includes('http_reqs')).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 150_000);

  it("a plain script keeps its own tags next to testid (k6's --tag replaces them)", async () => {
    const project = tempProject({
      'tagged.js': `import http from 'k6/http';
export const options = { vus: 1, iterations: 5, tags: { team: 'payments' } };
export default function () { http.get(__ENV.BASE_URL + '/'); }
`,
    });
    const samples = join(project, 'samples.json');
    const r = await runCli(['run', 'tagged.js', '-t', 'local', '--k6-out', `json=${samples}`, '--out', join(project, 'out'), '--quiet'], { cwd: project, timeoutMs: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const runId = (JSON.parse(readFileSync(join(project, 'out', 'result.json'), 'utf8')) as { runId: string }).runId;
    const points = readFileSync(samples, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"Point"') && l.includes('"metric":"http_reqs"'))
      .map((l) => JSON.parse(l) as { data: { tags: Record<string, string> } });
    expect(points).toHaveLength(5);
    for (const p of points) expect(p.data.tags).toMatchObject({ team: 'payments', testid: runId });
  }, 150_000);

  it('refuses an output this k6 lacks before any load, naming the flag (exit 2)', async () => {
    const project = tempProject();
    const r = await runCli(['run', 'sustained', '-t', 'local', '-d', '5s', '--k6-out', 'prometheus-rw'], { cwd: project });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--k6-out prometheus-rw: the k6 at');
    expect(r.stderr).toContain('has no output "prometheus-rw"');
    expect(r.stderr).toContain('did you mean "experimental-prometheus-rw"?');
    expect(r.stdout).not.toMatch(/requests/);
  }, 60_000);

  it("knows k6's built-in outputs: the list the pinned k6 gives", async () => {
    const project = tempProject({ 'noop.js': 'export default function () {}\n' }, { scenarios: false, localProfile: false, nodeModules: false });
    const said = await new Promise<string>((resolve) => {
      execFile(realK6, ['run', '-q', '--no-usage-report', '-o', 'no-such-output', 'noop.js'], { cwd: project }, (_e, stdout, stderr) => resolve(stdout + stderr));
    });
    const list = /available types are: ([^"]+)"/.exec(said)?.[1]?.split(', ').map((s) => s.trim());
    expect(list, said).toBeDefined();
    // statsd is listed but only refuses to start (removed in k6 v0.55); loadctl is the extension.
    const version = /k6 v(\d+)\./.exec(execFileSync(realK6, ['version']).toString())![1]!;
    expect(list!.filter((n) => n !== 'statsd' && n !== 'loadctl').sort()).toEqual([...builtinOutputs(Number(version))].sort());
  }, 60_000);
});

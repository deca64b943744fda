// Declares the commands and maps errors to exit codes. Logic lives in src/commands/*.

import { Command, Option } from 'commander';
import { ExitCode, UsageError, isLoadctlError } from './util/errors.js';
import { loadctlVersion } from './util/meta.js';
import { out, err, paint } from './util/output.js';
import { LIMIT_FLAGS, optionKey, setLimitFlag } from './demo/flags.js';
import { toolsCacheDir } from './util/roots.js';

/**
 * The per-user tools folder (caches, a kept k6), decided once here from the real environment and
 * the working folder, and passed to whatever caches: nothing below reads it from the environment.
 */
const tools = (): { toolsDir: string } => ({ toolsDir: toolsCacheDir(process.env, process.cwd()) });

const collect = (value: string, previous: string[] = []) => [...previous, value];

const program = new Command('loadctl')
  .description('Load tests with real k6: TypeScript scenarios, target profiles, SLA and baseline verdicts.')
  .version(loadctlVersion())
  .showHelpAfterError()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride((e) => {
    process.exit(e.exitCode === 0 ? 0 : ExitCode.usage);
  });

/** The options `run` and `gate` share. */
function loadOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-t, --target <profile|url>', 'profile name from profiles/, or a URL for an ad-hoc run')
    .option('--vus <n>', 'peak VUs (the shape is kept, scaled to this peak)')
    .option('--rate <n>', 'peak arrival rate in iterations/s (turns the shape into an open model)')
    .option('-d, --duration <time>', 'total duration, e.g. 20s, 10m, 24h (every stage rescales)')
    .option('--set <key.path=value>', 'override a profile field for this run (repeatable)', collect)
    .option('--fault <spec>', "a fault during the run, e.g. latency=800ms@60s+30s or down@fault (repeatable; replaces the profile's chaos.faults)", collect)
    .option('-o, --out <dir>', 'run folder (default reports/<run-id>/)')
    .option('--k6-out <spec>', 'also send k6\'s metrics to this k6 output, e.g. experimental-prometheus-rw=http://127.0.0.1:9090/api/v1/write (repeatable; adds to the profile\'s outputs)', collect)
    .option('--dry-run', 'print the resolved plan as JSON and run nothing')
    .option('-y, --yes', 'confirm a run against a protected profile')
    .option('--k6 <path>', 'k6 binary to use (a stock k6 v1.x/v2.x; default: LOADCTL_K6, .tools/bin/k6, the tools folder, then PATH)')
    .option('--bucket <time>', 'time-series bucket size (default 1s; runs over an hour get wider buckets, at most ~3600 points)')
    .option('--report <list>', 'reports to write: json,html,md,junit', 'json,html,md,junit')
    .option('--repeat <n>', 'run N times; the baseline judge sees every run')
    .option('--baseline <file|none>', 'baseline to judge against (default baselines/<profile>/<scenario>.json)')
    .option('--update-baseline', 'add this run to the baseline pool if it passed')
    .option('--force', 'with --update-baseline: add the run even if it did not pass')
    .option('--strict', 'refuse to compare with a baseline recorded under a different fingerprint')
    .option('--search', 'find the capacity by short runs at one rate each (grow ×2, then bisect) instead of the scenario\'s shape')
    .option('--ceiling <rate>', 'with --search: the highest rate to try, iterations/s (default: the profile\'s search.ceiling)')
    .option('--budget <time>', 'run --search: wall time for the whole search, e.g. 2m (default: search.budgetSeconds, else 10m); gate --against: seconds of load the sequential gate may spend before it must decide, e.g. 90s')
    .option('-q, --quiet', 'no live progress')
    .addOption(new Option('--progress <mode>', 'live progress').choices(['auto', 'tty', 'plain', 'json', 'none']).default('auto'));
}

loadOptions(
  program
    .command('run')
    .description('run a scenario (or a plain k6 script) against a target profile and judge it')
    .argument('<scenario>', 'scenario name from scenarios/, or a path to a k6 script (.js/.ts)'),
)
  .option('--instances <n>', 'split the load across N k6 processes on this machine (execution segments); one merged result and verdict')
  .option('--executor <where>', 'local (default); k8s: stock k6 runner Jobs on Kubernetes; k6-operator: a TestRun for that operator. One merged result and verdict')
  .option('--parallelism <n>', 'with --executor k8s or k6-operator: runner pods sharing the load')
  .option('--namespace <ns>', 'with --executor k8s or k6-operator: the namespace of the runners (default: kubectl\'s)')
  .option('--context <ctx>', 'with --executor k8s or k6-operator: the kubectl context')
  .option('--runner-image <image>', 'with --executor k8s or k6-operator: the runners\' image, a stock k6 (default: grafana/k6 at the tested version)')
  .action(async (scenario: string, opts) => {
    const { runCommand } = await import('./commands/run/index.js');
    process.exitCode = await runCommand({ ...opts, scenario, cwd: process.cwd(), env: process.env, ...tools(), isTTY: Boolean(process.stderr.isTTY), stderr: err });
  });

loadOptions(
  program
    .command('gate')
    .description('judge a candidate against a reference profile, runs interleaved A B A B (or against the stored pool)')
    .argument('<scenario>', 'scenario name, or a path to a k6 script')
    .option('--against <profile>', 'reference profile (e.g. the main branch build); without it: the stored baseline pool')
    .option('--pairs <n>', 'reference/candidate pairs (or candidate runs against the pool)', '5'),
).action(async (scenario: string, opts) => {
  const { gateCommand } = await import('./commands/gate/index.js');
  process.exitCode = await gateCommand({ ...opts, scenario, cwd: process.cwd(), env: process.env, ...tools(), isTTY: Boolean(process.stderr.isTTY), stderr: err });
});

program
  .command('report')
  .description('re-render the reports of a run from its result.json alone')
  .argument('<run>', 'a run folder or its result.json')
  .option('--report <list>', 'reports to write: html,md,junit,json')
  .option('-o, --out <dir>', 'where to write them (default: the run folder)')
  .action(async (input: string, opts) => {
    const { reportCommand } = await import('./commands/report/index.js');
    out(await reportCommand({ cwd: process.cwd(), input, formats: opts.report, out: opts.out }));
  });

const baseline = program.command('baseline').description('show and manage stored baseline pools (baselines/<profile>/<scenario>.json)');
const baselineAction = (action: 'show' | 'history') =>
  baseline
    .command(action)
    .description(action === 'show' ? 'the runs in the pool and their spread' : 'what was added and removed, when')
    .argument('<scenario>')
    .requiredOption('-t, --target <profile>', 'profile name')
    .option('--json', 'machine-readable output')
    .action(async (scenario: string, opts) => {
      const { baselineCommand } = await import('./commands/baseline/index.js');
      out(await baselineCommand({ cwd: process.cwd(), action, profile: opts.target, scenario, json: Boolean(opts.json) }));
    });
baselineAction('show');
baselineAction('history');
baseline
  .command('add')
  .description('add a finished run (folder or result.json) to its pool')
  .argument('<run>')
  .option('--force', 'add it even if it did not pass')
  .option('--note <text>', 'why, for the history')
  .action(async (run: string, opts) => {
    const { baselineCommand } = await import('./commands/baseline/index.js');
    const { readRunResult } = await import('./results/read.js');
    const { result } = await readRunResult(run, process.cwd());
    out(await baselineCommand({ cwd: process.cwd(), action: 'add', profile: result.target, scenario: result.scenario, run, force: Boolean(opts.force), note: opts.note }));
  });
baseline
  .command('remove')
  .description('remove a run from a pool')
  .argument('<scenario>')
  .argument('<run-id>')
  .requiredOption('-t, --target <profile>', 'profile name')
  .action(async (scenario: string, id: string, opts) => {
    const { baselineCommand } = await import('./commands/baseline/index.js');
    out(await baselineCommand({ cwd: process.cwd(), action: 'remove', profile: opts.target, scenario, id }));
  });

program
  .command('history')
  .description('the nightly trend of a scenario on a profile, with change points (baselines/<profile>/<scenario>.history.jsonl)')
  .argument('<scenario>')
  .requiredOption('-t, --target <profile>', 'profile name')
  .option('--add <run>', 'record a finished run (folder or result.json) first')
  .option('--json', 'machine-readable output')
  .option('--markdown', 'Markdown (for CI step summaries)')
  .option('--html <file>', 'also write a page with the nightly series charted')
  .option('--recent <n>', 'a regression starting within the newest n nights exits 1 (default 7)')
  .option('--rows <n>', 'newest nights listed (default 14)')
  .option('--max <n>', 'records kept in the history file (default 400)')
  .action(async (scenario: string, opts) => {
    const { historyCommand } = await import('./commands/history/index.js');
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
    const r = await historyCommand({ cwd: process.cwd(), scenario, profile: opts.target, add: opts.add, json: Boolean(opts.json), markdown: Boolean(opts.markdown), html: opts.html, recent: num(opts.recent), rows: num(opts.rows), max: num(opts.max) });
    out(r.text);
    process.exitCode = r.exitCode;
  });

program
  .command('compare')
  .description('judge a finished run against another run or the baseline pool, offline (no k6)')
  .argument('<runs...>', 'the candidate run(s) (folder or result.json; several for a --repeat set), then another run, a baseline file, or "baseline"')
  .option('--json', 'machine-readable output')
  .action(async (args: string[], opts) => {
    if (args.length < 2) throw new UsageError('compare needs a candidate run and something to compare it with', 'loadctl compare <run…> <other-run|baseline-file|baseline>');
    const { compareCommand } = await import('./commands/compare/index.js');
    process.exitCode = await compareCommand({ cwd: process.cwd(), a: args.slice(0, -1), b: args[args.length - 1]!, json: Boolean(opts.json) });
  });

program
  .command('list')
  .description('list scenarios (with their shapes) and profiles')
  .option('--json', 'machine-readable output')
  .action(async (opts) => {
    const { listCommand } = await import('./commands/list/index.js');
    out(await listCommand({ cwd: process.cwd(), json: Boolean(opts.json), ...tools() }));
  });

program
  .command('build')
  .description('bundle scenarios into standalone k6 scripts')
  .argument('[scenarios...]', 'scenario names (default: all)')
  .option('--out <dir>', 'where to write the bundles', 'dist/k6')
  .option('-t, --target <profile|url>', 'bake this target\'s resolved plan into each bundle')
  .option('--set <key.path=value>', 'override a profile field (repeatable)', collect)
  .option('-d, --duration <time>', 'total duration of the baked plan')
  .action(async (names: string[], opts) => {
    const { buildCommand } = await import('./commands/build/index.js');
    out(await buildCommand({ ...opts, cwd: process.cwd(), env: process.env, names, ...tools() }));
  });

program
  .command('validate')
  .description('validate every profile and type-check every scenario')
  .action(async () => {
    const { validateCommand } = await import('./commands/validate/index.js');
    const r = await validateCommand({ cwd: process.cwd(), env: process.env, ...tools() });
    out(r.text);
    process.exitCode = r.ok ? 0 : ExitCode.usage;
  });

program
  .command('doctor')
  .description('check k6, Go, Node, the tools folder and (with --target) reachability')
  .option('-t, --target <profile|url>', 'also check that this target answers')
  .action(async (opts) => {
    const { doctorCommand } = await import('./commands/doctor/index.js');
    const r = await doctorCommand({ cwd: process.cwd(), env: process.env, target: opts.target, ...tools() });
    out(r.text);
    process.exitCode = r.ok ? 0 : ExitCode.runtime;
  });

program
  .command('init')
  .description('scaffold loadctl in this project: profiles, an example scenario, .gitignore lines, a CI workflow')
  .option('--url <url>', 'base URL of your staging service, for profiles/staging.yaml')
  .option('--force', 'overwrite files that already exist')
  .action(async (opts) => {
    const { initCommand } = await import('./commands/init/index.js');
    out(await initCommand({ cwd: process.cwd(), url: opts.url, force: Boolean(opts.force) }));
  });

const demo = program
  .command('demo')
  .description('serve the built-in demo target (health, items, slow, jobs, wizard)')
  .option('--host <host>', 'loopback address to listen on', '127.0.0.1')
  .option('--port <n>', 'port (0 = any free port)', '8080')
  .option('--delay-ms <n>', 'added latency per request', '0')
  .option('--jitter-ms <n>', 'extra random latency 0..n', '0')
  .option('--error-rate <x>', 'fraction of requests answered 500 (0..1)', '0')
  .option('--leak-pct-per-min <x>', 'slow leak: latency and reported memory (GET /admin/leak) grow by x % a minute', '0');
for (const [flag, { help }] of Object.entries(LIMIT_FLAGS)) demo.option(`${flag} <n>`, help);
demo.action(async (opts) => {
    const { demoCommand } = await import('./commands/demo/index.js');
    const limits = {};
    for (const flag of Object.keys(LIMIT_FLAGS)) {
      const v = opts[optionKey(flag)];
      if (v !== undefined) setLimitFlag(limits, flag, Number(v));
    }
    await demoCommand({
      limits,
      host: opts.host,
      port: Number(opts.port),
      delayMs: Number(opts.delayMs),
      jitterMs: Number(opts.jitterMs),
      errorRate: Number(opts.errorRate),
      leakPctPerMin: Number(opts.leakPctPerMin),
      token: process.env.LOADCTL_DEMO_TOKEN,
    });
  });

program
  .command('chaos')
  .description('fault injection housekeeping')
  .command('revert')
  .description('revert the faults a killed loadctl left active (chaos journals in reports/)')
  .option('-t, --target <profile>', 'only this profile')
  .option('--run <dir|file>', 'only this run folder or chaos-journal.json')
  .action(async (opts) => {
    const { chaosRevertCommand } = await import('./commands/chaos/revert.js');
    const r = await chaosRevertCommand({ cwd: process.cwd(), env: process.env, target: opts.target, run: opts.run });
    out(r.text);
    process.exitCode = r.ok ? ExitCode.pass : ExitCode.runtime;
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (isLoadctlError(e)) {
      err(paint.bad(`error: ${e.message}`));
      if (e.hint) err(paint.dim(`hint: ${e.hint}`));
      process.exitCode = e.exitCode;
      return;
    }
    err(paint.bad('loadctl hit an unexpected error (a bug; please report it with the stack below):'));
    err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = ExitCode.runtime;
  }
}

await main();

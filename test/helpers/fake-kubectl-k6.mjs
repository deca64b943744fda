#!/usr/bin/env node
// A stand-in for kubectl on PATH playing k6-operator (see test/k8s-run.test.ts), in the pattern of
// fake-kubectl.mjs: records every call (argv and stdin) and answers apply, get testrun (its
// stage), get pods (the runner pods, their exit codes), logs --follow (replays recorded runner
// output: FAKE_K6_STREAMS/instance-<i-1>.ndjson, with k6 log lines around it) and delete.
// FAKE_K6_STAGES: the stages successive reads return (default "initialization,started,finished";
// the last repeats). FAKE_K6_HANG=1: logs never end (a run Ctrl-C stops).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_KUBECTL_DIR;
const argv = process.argv.slice(2);
const stdin = argv.includes('-f') ? readFileSync(0, 'utf8') : '';
appendFileSync(join(dir, 'calls.jsonl'), `${JSON.stringify({ argv, stdin })}\n`);
// The objects and the stage reads live in separate files: polls (get testrun, every 20 ms) run
// while apply or delete does, and a poll rewriting the objects it read before a delete would bring
// them back (a cluster's state has no such lost update).
const stateFile = join(dir, 'state.json');
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { objects: {} };
const save = () => writeFileSync(stateFile, JSON.stringify(state));
const readsFile = join(dir, 'reads.json');
const reads = existsSync(readsFile) ? Number(readFileSync(readsFile, 'utf8')) : 0;

const rest = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--context' || argv[i] === '--namespace') i++;
  else rest.push(argv[i]);
}
const [verb, ref] = rest;
const testRun = () => Object.values(state.objects).find((o) => o.kind === 'TestRun');
const pods = () => {
  const tr = testRun();
  return tr ? Array.from({ length: tr.spec.parallelism }, (_, i) => `${tr.metadata.name}-${i + 1}-x${i}z`) : [];
};

if (verb === 'apply') {
  for (const o of JSON.parse(stdin).items) {
    state.objects[`${o.kind}/${o.metadata.name}`] = o;
    process.stdout.write(`${o.kind === 'TestRun' ? 'testrun.k6.io' : o.kind.toLowerCase()}/${o.metadata.name} created\n`);
  }
  save();
} else if (verb === 'get' && ref.startsWith('testrun/')) {
  if (!testRun()) {
    process.stderr.write(`Error from server (NotFound): testruns.k6.io "${ref.slice(8)}" not found\n`);
    process.exit(1);
  }
  const stages = (process.env.FAKE_K6_STAGES ?? 'initialization,started,finished').split(',');
  process.stdout.write(stages[Math.min(reads, stages.length - 1)]);
  writeFileSync(readsFile, String(reads + 1));
} else if (verb === 'get' && ref === 'pods') {
  const jsonpath = rest.find((a) => a.startsWith('jsonpath='));
  for (const p of pods()) process.stdout.write(jsonpath ? `${p} 0\n` : `pod/${p}\n`);
} else if (verb === 'logs') {
  const pod = rest[rest.length - 1];
  const i = pods().indexOf(pod);
  process.stderr.write('');
  process.stdout.write(`time="2026-01-01T00:00:00Z" level=info msg="runner ${i + 1} waiting to be resumed"\n`);
  if (process.env.FAKE_K6_HANG) {
    setInterval(() => undefined, 1000);
  } else {
    process.stdout.write(readFileSync(join(process.env.FAKE_K6_STREAMS, `instance-${i}.ndjson`), 'utf8'));
    process.stdout.write(`time="2026-01-01T00:00:09Z" level=info msg="runner ${i + 1} done"\n`);
  }
} else if (verb === 'delete') {
  for (const r of rest.slice(1).filter((a) => !a.startsWith('--'))) {
    const [type, name] = r.split('/');
    delete state.objects[`${type === 'testrun' ? 'TestRun' : 'ConfigMap'}/${name}`];
    process.stdout.write(`${r} deleted\n`);
  }
  save();
} else {
  process.stderr.write(`fake kubectl: unexpected call ${argv.join(' ')}\n`);
  process.exit(1);
}

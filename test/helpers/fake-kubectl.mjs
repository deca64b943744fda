#!/usr/bin/env node
// A stand-in for kubectl on PATH (see test/chaos-mesh.test.ts): records every call (argv and
// stdin) and answers apply / get -o json / delete the way kubectl does for chaos-mesh.org
// resources, keeping them in a state file. Chaos Mesh's AllInjected condition turns True after
// FAKE_KUBECTL_INJECT_AFTER reads (default 1; "never" keeps it False).
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_KUBECTL_DIR;
const argv = process.argv.slice(2);
const stdin = argv.includes('-f') ? readFileSync(0, 'utf8') : '';
appendFileSync(join(dir, 'calls.jsonl'), `${JSON.stringify({ argv, stdin })}\n`);
const stateFile = join(dir, 'state.json');
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
const save = () => writeFileSync(stateFile, JSON.stringify(state));

const flags = {};
const rest = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--context' || argv[i] === '--namespace' || argv[i] === '-n') flags[argv[i]] = argv[++i];
  else rest.push(argv[i]);
}
const contexts = (process.env.FAKE_KUBECTL_CONTEXTS ?? 'kind-dev').split(',');
if (flags['--context'] && !contexts.includes(flags['--context'])) {
  process.stderr.write(`error: context "${flags['--context']}" does not exist\n`);
  process.exit(1);
}
const ns = flags['--namespace'] ?? flags['-n'] ?? 'default';
const [verb, ref] = rest;
const key = (r) => `${ns}/${r}`;
const notFound = (r) => {
  const [type, name] = r.split('/');
  process.stderr.write(`Error from server (NotFound): ${type} "${name}" not found\n`);
  process.exit(1);
};

if (verb === 'apply') {
  const obj = JSON.parse(stdin);
  const r = `${obj.kind.toLowerCase()}.chaos-mesh.org/${obj.metadata.name}`;
  const existed = key(r) in state;
  state[key(r)] = { obj, reads: 0 };
  save();
  process.stdout.write(`${r} ${existed ? 'configured' : 'created'}\n`);
} else if (verb === 'get') {
  const entry = state[key(ref)];
  if (!entry) notFound(ref);
  entry.reads += 1;
  save();
  const after = process.env.FAKE_KUBECTL_INJECT_AFTER ?? '1';
  const injected = after !== 'never' && entry.reads >= Number(after);
  const out = { ...entry.obj, status: { conditions: [{ type: 'AllInjected', status: injected ? 'True' : 'False' }, { type: 'AllRecovered', status: 'False' }] } };
  process.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
} else if (verb === 'delete') {
  if (!(key(ref) in state)) {
    if (rest.includes('--ignore-not-found')) process.exit(0);
    notFound(ref);
  }
  delete state[key(ref)];
  save();
  const [type, name] = ref.split('/');
  process.stdout.write(`${type} "${name}" deleted\n`);
} else {
  process.stderr.write(`error: unknown command "${verb}" for "kubectl"\n`);
  process.exit(1);
}

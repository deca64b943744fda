// One kubectl command of a fault provider: its output read whole, a failure turned into an error
// that says what kubectl said and which setting to check.
import { execa } from 'execa';
import { RuntimeError } from '../util/errors.js';

export interface KubectlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function kubectlCall(argv: string[], o: { env?: NodeJS.ProcessEnv; input?: string; tolerate?: boolean; hint: string }): Promise<KubectlResult> {
  const r = await execa('kubectl', argv, { input: o.input, env: o.env, reject: false, timeout: 90_000 });
  if (r.failed && r.exitCode === undefined) {
    throw new RuntimeError(`kubectl could not run: ${r.shortMessage}`, 'install kubectl and make sure it is on PATH');
  }
  const out = { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
  if (out.exitCode !== 0 && !o.tolerate) throw kubectlFailure(argv, out, o.hint);
  return out;
}

export function kubectlFailure(argv: string[], r: { exitCode: number; stderr: string }, hint: string): RuntimeError {
  const verb = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--context' && argv[i - 1] !== '--namespace') ?? 'command';
  return new RuntimeError(`kubectl ${verb} failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}`, hint);
}

// The command provider: the user's own inject / revert / status commands, run through the shell
// with the fault in LOADCTL_FAULT_* variables; a failing command is a RuntimeError with its words.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandProvider } from '../src/chaos/command.js';
import type { PlannedFault } from '../src/chaos/types.js';
import { RuntimeError } from '../src/util/errors.js';
import { tempProject } from './helpers/cli.js';

const f: PlannedFault = { id: 'f1-cpu-stress', kind: 'cpu-stress', params: { workers: 2, loadPercent: 80 }, at: 'fault', startMs: 10_000, endMs: 25_000, source: 'test' };

describe('command provider', () => {
  it('injects, reports and reverts with the fault in the environment, in the project folder', async () => {
    const cwd = tempProject({}, { scenarios: false, localProfile: false });
    const p = new CommandProvider({
      name: 'command',
      cwd,
      settings: {
        inject: 'printf "%s %s %s %s" "$LOADCTL_FAULT_ID" "$LOADCTL_FAULT_KIND" "$LOADCTL_FAULT_DURATION_MS" "$LOADCTL_FAULT_PARAMS" > active',
        revert: 'rm -f active',
        status: 'test -f active',
      },
    });
    expect(await p.status(f)).toBe('inactive');
    await p.inject(f);
    expect(readFileSync(join(cwd, 'active'), 'utf8')).toBe('f1-cpu-stress cpu-stress 15000 {"workers":2,"loadPercent":80}');
    expect(await p.status(f)).toBe('active');
    await p.revert(f);
    expect(existsSync(join(cwd, 'active'))).toBe(false);
    expect(await p.status(f)).toBe('inactive');
  });

  it('a failing or hanging command is a RuntimeError naming the step and the fault', async () => {
    const cwd = tempProject({}, { scenarios: false, localProfile: false });
    const p = new CommandProvider({ name: 'command', cwd, settings: { inject: 'echo "no such service" >&2; exit 4', revert: 'sleep 5', timeoutMs: 300 } });
    const e1 = (await p.inject(f).catch((e: unknown) => e)) as Error;
    expect(e1).toBeInstanceOf(RuntimeError);
    expect(e1.message).toBe('chaos.command.inject for f1-cpu-stress exited 4: no such service');
    const e2 = (await p.revert(f).catch((e: unknown) => e)) as Error;
    expect(e2.message).toBe('chaos.command.revert for f1-cpu-stress timed out');
    expect(await p.status(f)).toBe('unknown'); // no status command given
  });
});

// The command provider: the user's own shell commands inject, revert and (optionally) report a
// fault. Each gets the fault as environment variables, so one script can serve every kind.
import { execa } from 'execa';
import { RuntimeError } from '../util/errors.js';
import type { FaultProvider, FaultState, ProviderRef } from './provider.js';
import type { PlannedFault } from './types.js';

type Ref = Extract<ProviderRef, { name: 'command' }>;

export function faultEnv(f: PlannedFault): Record<string, string> {
  return {
    LOADCTL_FAULT_ID: f.id,
    LOADCTL_FAULT_KIND: f.kind,
    LOADCTL_FAULT_PARAMS: JSON.stringify(f.params),
    LOADCTL_FAULT_DURATION_MS: String(f.endMs - f.startMs),
  };
}

export class CommandProvider implements FaultProvider {
  readonly name = 'command' as const;

  constructor(
    readonly ref: Ref,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async inject(f: PlannedFault): Promise<void> {
    await this.run('inject', this.ref.settings.inject, f);
  }

  async revert(f: PlannedFault): Promise<void> {
    await this.run('revert', this.ref.settings.revert, f);
  }

  async status(f: PlannedFault): Promise<FaultState> {
    if (!this.ref.settings.status) return 'unknown';
    const r = await this.exec(this.ref.settings.status, f);
    return r.exitCode === 0 ? 'active' : 'inactive';
  }

  private async run(what: string, command: string, f: PlannedFault): Promise<void> {
    const r = await this.exec(command, f);
    if (r.exitCode !== 0) {
      const why = r.timedOut ? 'timed out' : r.exitCode === undefined ? r.shortMessage : `exited ${r.exitCode}`;
      const tail = r.stderr.trim().split('\n').slice(-2).join(' ');
      throw new RuntimeError(`chaos.command.${what} for ${f.id} ${why}${tail ? `: ${tail}` : ''}`, `run it by hand with LOADCTL_FAULT_KIND=${f.kind} to see why`);
    }
  }

  // In its own process group, so a timeout stops the command and everything it started (a shell's
  // children would otherwise keep its output open and the run waiting).
  private async exec(command: string, f: PlannedFault) {
    const child = execa(command, { shell: true, detached: true, cwd: this.ref.cwd, env: { ...this.env, ...faultEnv(f) }, reject: false, stdin: 'ignore' });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, this.ref.settings.timeoutMs ?? 30_000);
    const r = await child;
    clearTimeout(timer);
    return { exitCode: timedOut ? undefined : r.exitCode, timedOut, stderr: String(r.stderr), shortMessage: r.shortMessage };
  }
}

// The Chaos Mesh provider: a fault is a chaos-mesh.org resource applied with kubectl, injected once
// Chaos Mesh reports the AllInjected condition, reverted by deleting it (Chaos Mesh's finalizers
// recover the pods before the delete returns).
import { RuntimeError, UsageError } from '../util/errors.js';
import { kubectlCall, kubectlFailure, type KubectlResult } from './kubectl-call.js';
import { chaosManifest, resourceRef, type ChaosManifest } from './chaos-mesh-manifest.js';
import type { FaultProvider, FaultState, ProviderRef } from './provider.js';
import type { PlannedFault } from './types.js';

type Ref = Extract<ProviderRef, { name: 'chaos-mesh' }>;
const HINT = 'check the kubectl context and namespace in chaos.chaosMesh';

export class ChaosMeshProvider implements FaultProvider {
  readonly name = 'chaos-mesh' as const;

  constructor(
    readonly ref: Ref,
    private readonly o: { env?: NodeJS.ProcessEnv; pollMs?: number } = {},
  ) {}

  /** kubectl's global flags for this profile: context, then namespace. */
  baseArgs(): string[] {
    const s = this.ref.settings;
    return [...(s.context ? ['--context', s.context] : []), '--namespace', s.namespace];
  }

  manifest(f: PlannedFault): ChaosManifest {
    const m = chaosManifest(f, this.ref.settings, this.ref.runId);
    if (!m) throw new UsageError(`Chaos Mesh cannot inject "${f.kind}" (${f.source})`, 'use chaos.provider toxiproxy or command for this kind');
    return m;
  }

  async inject(f: PlannedFault): Promise<void> {
    const m = this.manifest(f);
    await this.kubectl(['apply', '-f', '-'], JSON.stringify(m));
    const timeoutMs = this.ref.settings.injectTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.status(f);
      if (state === 'active') return;
      if (Date.now() > deadline) {
        throw new RuntimeError(`Chaos Mesh did not report ${resourceRef(m)} injected within ${timeoutMs / 1000} s`, `look at \`kubectl describe ${resourceRef(m)}\`; is Chaos Mesh installed and are the selected pods there?`);
      }
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 500));
    }
  }

  async revert(f: PlannedFault): Promise<void> {
    await this.kubectl(['delete', resourceRef(this.manifest(f)), '--ignore-not-found', '--wait=true', '--timeout=60s']);
  }

  async status(f: PlannedFault): Promise<FaultState> {
    const r = await this.kubectl(['get', resourceRef(this.manifest(f)), '-o', 'json'], undefined, true);
    if (r.exitCode !== 0) {
      if (/NotFound/.test(r.stderr)) return 'inactive';
      throw kubectlFailure(['get'], r, HINT);
    }
    const res = JSON.parse(r.stdout) as { status?: { conditions?: { type?: string; status?: string }[] } };
    const injected = res.status?.conditions?.find((c) => c.type === 'AllInjected');
    return injected?.status === 'True' ? 'active' : 'unknown';
  }

  private kubectl(args: string[], input?: string, tolerate = false): Promise<KubectlResult> {
    return kubectlCall([...this.baseArgs(), ...args], { env: this.o.env, ...(input !== undefined ? { input } : {}), tolerate, hint: HINT });
  }
}

// The kubernetes provider: faults through the cluster's own API with kubectl, for clusters without
// Chaos Mesh.
// - pod-kill: one (or every) Running pod of the label selector is deleted with a 1 s grace period;
//   its controller replaces it, so there is nothing to revert. The provider then watches the
//   selected pods until as many are Ready as before the kill: that time is the pod's recovery.
// - scale: the Deployment's replicas before the fault are written onto the Deployment itself (an
//   annotation) before it is scaled, so a revert — this run's, or `loadctl chaos revert` after a
//   loadctl that was killed mid-fault — restores them from the cluster, whoever reverts.
import { randomInt } from 'node:crypto';
import { RuntimeError, UsageError } from '../util/errors.js';
import { kubectlCall, type KubectlResult } from './kubectl-call.js';
import type { FaultOutcome, FaultProvider, FaultState, ProviderRef } from './provider.js';
import type { PlannedFault } from './types.js';

type Ref = Extract<ProviderRef, { name: 'kubernetes' }>;

export const REPLICAS_BEFORE = 'loadctl.dev/replicas-before';
const FAULT_ANNOTATION = 'loadctl.dev/fault';
const WATCH_MS = 250;
const READY_WITHIN_MS = 300_000;

interface PodJson {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
}

/** What a pod-kill did: the pods it deleted and when the selection was whole again. */
export interface PodKillOutcome {
  pods: string[];
  killedAt: number;
  readyAgainAt: number | null;
}

export class KubernetesProvider implements FaultProvider {
  readonly name = 'kubernetes' as const;
  readonly kills = new Map<string, PodKillOutcome>();
  private readonly watches = new Set<Promise<void>>();

  constructor(
    readonly ref: Ref,
    private readonly o: { env?: NodeJS.ProcessEnv; now?: () => number } = {},
  ) {}

  async inject(f: PlannedFault): Promise<void> {
    if (f.kind === 'pod-kill') return this.killPods(f);
    if (f.kind === 'scale') return this.scale(f);
    throw new UsageError(`the kubernetes provider cannot inject "${f.kind}" (${f.source})`, 'it injects pod-kill and scale; use chaos.provider chaos-mesh or command for the others');
  }

  async revert(f: PlannedFault): Promise<void> {
    if (f.kind !== 'scale') return; // a killed pod is replaced by its controller
    const d = await this.deployment();
    const before = d.metadata?.annotations?.[REPLICAS_BEFORE];
    if (before === undefined) return;
    await this.kubectl(['scale', `deployment/${this.deploymentName()}`, `--replicas=${before}`]);
    await this.kubectl(['annotate', `deployment/${this.deploymentName()}`, `${REPLICAS_BEFORE}-`, `${FAULT_ANNOTATION}-`]);
  }

  async status(f: PlannedFault): Promise<FaultState> {
    if (f.kind !== 'scale') return this.kills.has(f.id) ? 'active' : 'inactive';
    const d = await this.deployment();
    return d.metadata?.annotations?.[REPLICAS_BEFORE] === undefined ? 'inactive' : 'active';
  }

  async settle(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((r) => (timer = setTimeout(r, ms)));
    await Promise.race([Promise.allSettled([...this.watches]), cut]);
    clearTimeout(timer);
  }

  outcome(f: PlannedFault): FaultOutcome | undefined {
    const k = this.kills.get(f.id);
    return k ? { pods: k.pods, podsReadyAgainMs: k.readyAgainAt === null ? null : k.readyAgainAt - k.killedAt } : undefined;
  }

  private async killPods(f: PlannedFault): Promise<void> {
    const selector = this.selector();
    const before = await this.pods(selector);
    const running = before.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp).map((p) => p.metadata!.name!);
    if (running.length === 0) throw new RuntimeError(`no Running pod matches ${selector} in namespace ${this.ref.settings.namespace}`, 'check chaos.kubernetes.selector and namespace');
    const victims = this.ref.settings.mode === 'all' ? running : [running[randomInt(running.length)]!];
    const readyBefore = before.filter(isReady).length;
    await this.kubectl(['delete', ...victims.map((p) => `pod/${p}`), '--grace-period=1', '--wait=false']);
    const outcome: PodKillOutcome = { pods: victims, killedAt: this.now(), readyAgainAt: null };
    this.kills.set(f.id, outcome);
    const watch = this.watchReady(selector, victims, readyBefore, outcome).finally(() => this.watches.delete(watch));
    this.watches.add(watch);
  }

  /** Until as many selected pods are Ready as before the kill, none of them a killed one. */
  private async watchReady(selector: string, victims: string[], want: number, outcome: PodKillOutcome): Promise<void> {
    const by = outcome.killedAt + READY_WITHIN_MS;
    while (this.now() < by) {
      const pods = await this.pods(selector).catch(() => undefined);
      const ready = pods?.filter((p) => isReady(p) && !victims.includes(p.metadata?.name ?? '') && !p.metadata?.deletionTimestamp).length ?? 0;
      if (ready >= want) {
        outcome.readyAgainAt = this.now();
        return;
      }
      await new Promise((r) => setTimeout(r, WATCH_MS));
    }
  }

  private async scale(f: PlannedFault): Promise<void> {
    const name = this.deploymentName();
    const d = await this.deployment();
    // A fault already recorded on it (a run killed mid-fault, not yet reverted) keeps the original count.
    if (d.metadata?.annotations?.[REPLICAS_BEFORE] === undefined) {
      await this.kubectl(['annotate', `deployment/${name}`, `${REPLICAS_BEFORE}=${d.spec?.replicas ?? 1}`, `${FAULT_ANNOTATION}=${this.ref.runId}/${f.id}`, '--overwrite']);
    }
    await this.kubectl(['scale', `deployment/${name}`, `--replicas=${f.params.replicas ?? 0}`]);
  }

  private selector(): string {
    const labels = this.ref.settings.selector?.labelSelectors ?? {};
    const s = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    if (!s) throw new UsageError('pod-kill needs chaos.kubernetes.selector.labelSelectors', 'add e.g. { app: api }');
    return s;
  }

  private deploymentName(): string {
    const d = this.ref.settings.deployment;
    if (!d) throw new UsageError('scale needs chaos.kubernetes.deployment', 'name the Deployment to scale');
    return d;
  }

  private async pods(selector: string): Promise<PodJson[]> {
    const r = await this.kubectl(['get', 'pods', '-l', selector, '-o', 'json']);
    return (JSON.parse(r.stdout) as { items?: PodJson[] }).items ?? [];
  }

  private async deployment(): Promise<{ metadata?: { annotations?: Record<string, string> }; spec?: { replicas?: number } }> {
    const r = await this.kubectl(['get', `deployment/${this.deploymentName()}`, '-o', 'json']);
    return JSON.parse(r.stdout) as { metadata?: { annotations?: Record<string, string> }; spec?: { replicas?: number } };
  }

  private kubectl(args: string[]): Promise<KubectlResult> {
    const s = this.ref.settings;
    return kubectlCall([...(s.context ? ['--context', s.context] : []), '--namespace', s.namespace, ...args], { env: this.o.env, hint: 'check the kubectl context and namespace in chaos.kubernetes' });
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

function isReady(p: PodJson): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

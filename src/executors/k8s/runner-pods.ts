// What the runner pods of a run are doing, from `kubectl get pods -l loadctl.dev/run=<name> -o json`:
// which pod carries which runner, whether its k6 container runs, and why a pod that cannot run or
// ended early did so, in words a user can act on. Pure.
import { RUNNER_LABEL } from './job-manifests.js';

export interface RunnerPod {
  runner: number; // 1-based, from the Job's label
  name: string;
  running: boolean; // the k6 container has started and not ended
  /** Why this pod will not carry its runner to the end, once that is certain. */
  gone?: string;
  /** Still starting, and why (image pull, scheduling): said when the start takes long. */
  waiting?: string;
}

interface PodJson {
  metadata?: { name?: string; labels?: Record<string, string>; deletionTimestamp?: string; creationTimestamp?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    containerStatuses?: {
      state?: { running?: object; waiting?: { reason?: string; message?: string }; terminated?: { exitCode?: number; reason?: string; signal?: number } };
    }[];
  };
}

// A container stuck in one of these will not start without a change of image or settings.
const HOPELESS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'CrashLoopBackOff', 'RunContainerError']);

export function runnerPods(text: string): RunnerPod[] {
  const items = (JSON.parse(text) as { items?: PodJson[] }).items ?? [];
  return items.flatMap((p) => {
    const runner = Number(p.metadata?.labels?.[RUNNER_LABEL]);
    const name = p.metadata?.name;
    if (!Number.isInteger(runner) || runner < 1 || !name) return [];
    const c = p.status?.containerStatuses?.[0];
    const out: RunnerPod = { runner, name, running: c?.state?.running !== undefined };
    const t = c?.state?.terminated;
    if (p.metadata?.deletionTimestamp) out.gone = 'the pod was deleted';
    else if (t) out.gone = `its k6 container ended (exit code ${t.exitCode ?? '?'}${t.reason ? `, ${t.reason}` : ''})`;
    else if (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded') out.gone = `the pod ${p.status.phase === 'Failed' ? 'failed' : 'ended'}${p.status.reason ? ` (${p.status.reason}${p.status.message ? `: ${p.status.message}` : ''})` : ''}`;
    const w = c?.state?.waiting;
    if (!out.gone && w?.reason && HOPELESS.has(w.reason)) out.gone = `its k6 container cannot start: ${w.reason}${w.message ? ` (${w.message})` : ''}`;
    if (!out.gone && !out.running) {
      const unscheduled = p.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
      out.waiting = w?.reason ? `${w.reason}${w.message ? `: ${w.message}` : ''}` : unscheduled ? `not scheduled: ${unscheduled.message ?? unscheduled.reason ?? ''}` : (p.status?.phase ?? 'Pending');
    }
    return [out];
  });
}

/** The exit code a gone runner's container reported, when it did. */
export function exitCodeOf(gone: string | undefined): number | null {
  const m = gone ? /exit code (\d+)/.exec(gone) : null;
  return m ? Number(m[1]) : null;
}

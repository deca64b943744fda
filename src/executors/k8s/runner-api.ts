// Each runner pod's k6 REST API, reached through `kubectl proxy` and the API server's pod proxy:
// the status that says a runner is paused and ready, or its test over; the resume that starts all
// runners together; the stop of a safety stop; and k6's own final counters, which the samples read
// back from the pod's log must match exactly.
import { PAUSED_BEFORE_RUN } from '../instances/rest.js';

/** k6's execution status once its test has ended (lib.ExecutionStatusEnded). */
export const ENDED = 9;

export interface RunnerStatus {
  status: number;
  paused: boolean;
  stopped: boolean;
  tainted: boolean;
}

interface StatusBody {
  data?: { attributes?: { status?: number; paused?: boolean; stopped?: boolean; tainted?: boolean } };
}

interface MetricBody {
  data?: { attributes?: { sample?: { count?: number } } };
}

export class RunnerApi {
  constructor(
    private readonly proxyUrl: string,
    private readonly namespace: string,
    private readonly port: number,
  ) {}

  private url(pod: string, path: string): string {
    return `${this.proxyUrl}/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods/${encodeURIComponent(pod)}:${this.port}/proxy${path}`;
  }

  /** undefined while the pod's k6 does not answer (starting, or gone). */
  async status(pod: string): Promise<RunnerStatus | undefined> {
    try {
      const res = await fetch(this.url(pod, '/v1/status'), { signal: AbortSignal.timeout(5000) });
      if (!res.ok) return undefined;
      const a = ((await res.json()) as StatusBody).data?.attributes;
      if (a?.status === undefined) return undefined;
      return { status: a.status, paused: a.paused === true, stopped: a.stopped === true, tainted: a.tainted === true };
    } catch {
      return undefined;
    }
  }

  static ready(s: RunnerStatus | undefined): boolean {
    return s !== undefined && s.status >= PAUSED_BEFORE_RUN && s.paused;
  }

  resume(pod: string): Promise<void> {
    return this.patch(pod, { paused: false }, 'resume');
  }

  /** Ends the test the way k6's Ctrl-C does: the samples so far are flushed; the runner lingers. */
  stop(pod: string): Promise<void> {
    return this.patch(pod, { stopped: true }, 'stop');
  }

  /** A counter's count as k6 itself tallied it; undefined when k6 keeps none (no threshold watches it). */
  async count(pod: string, metric: string): Promise<number | undefined> {
    const res = await fetch(this.url(pod, `/v1/metrics/${encodeURIComponent(metric)}`), { signal: AbortSignal.timeout(10_000) });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`runner pod ${pod} answered ${res.status} for metric ${metric}`);
    const sample = ((await res.json()) as MetricBody).data?.attributes?.sample;
    return sample?.count;
  }

  private async patch(pod: string, attributes: Record<string, boolean>, what: string): Promise<void> {
    const body = JSON.stringify({ data: { type: 'status', id: 'default', attributes } });
    const res = await fetch(this.url(pod, '/v1/status'), { method: 'PATCH', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`runner pod ${pod} answered ${res.status} to the ${what}: ${(await res.text()).slice(0, 200)}`);
  }
}

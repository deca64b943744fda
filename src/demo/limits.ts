// What the demo target's capacity settings add to it: the gate every request passes (capacity.ts),
// the simulated autoscaler (autoscaler.ts) and the Prometheus `/metrics` text that shows both, so
// loadctl's probes can watch replicas rise while a run loads the target.
import type http from 'node:http';
import type { DemoSettings } from '../config/types.js';
import { autoscalerProblem, startAutoscaler } from './autoscaler.js';
import { capacityProblem, createCapacityGate, type CapacityGauges } from './capacity.js';

export interface DemoLimits {
  /** Runs `serve` when the request may proceed; `reject` when the target is over capacity. */
  admit(serve: () => void, reject: () => void): void;
  /** Answers GET /metrics in the Prometheus text exposition format (version 0.0.4). */
  metrics(res: http.ServerResponse): void;
  stop(): void;
}

/** Returns a reason when the capacity or autoscaler settings are out of range, else null. */
export function limitsProblem(s: Pick<DemoSettings, 'capacity' | 'autoscaler'>): string | null {
  if (s.autoscaler && !s.capacity) return 'autoscaler needs capacity (each replica adds capacity.rps)';
  return (s.capacity && capacityProblem(s.capacity)) || (s.autoscaler && autoscalerProblem(s.autoscaler)) || null;
}

export function createDemoLimits(s: DemoSettings): DemoLimits {
  const problem = limitsProblem(s);
  if (problem) throw new RangeError(problem);
  const gate = s.capacity ? createCapacityGate(s.capacity) : null;
  const stopScaler = gate && s.autoscaler ? startAutoscaler(gate, s.autoscaler) : () => {};
  return {
    admit: gate ? gate.admit : (serve) => serve(),
    metrics(res) {
      const text = renderMetrics(gate?.gauges() ?? null);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
    stop: stopScaler,
  };
}

type Family = [name: string, type: 'gauge' | 'counter', help: string, samples: [labels: string, value: number][]];

export function renderMetrics(g: CapacityGauges | null): string {
  const families: Family[] = [['loadctl_demo_replicas', 'gauge', 'Replicas serving requests.', [['', g?.replicas ?? 1]]]];
  if (g) {
    families.push(
      ['loadctl_demo_in_flight', 'gauge', 'Requests in service now.', [['', g.inFlight]]],
      ['loadctl_demo_queue_depth', 'gauge', 'Requests waiting for a worker.', [['', g.queueDepth]]],
      ['loadctl_demo_capacity_rps', 'gauge', 'Requests per second the replicas can serve.', [['', g.capacityRps]]],
      ['loadctl_demo_requests_total', 'counter', 'Requests by outcome.', [['{outcome="served"}', g.served], ['{outcome="rejected"}', g.rejected]]],
    );
  }
  const lines: string[] = [];
  for (const [name, type, help, samples] of families) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}

// The command-line form of the demo's capacity and autoscaler settings, in one table used by the
// three places that speak it: `loadctl demo`, the demo child's argv (target.ts → main.ts).
import type { AutoscalerSettings, CapacitySettings, DemoSettings } from '../config/types.js';

type Limits = Pick<DemoSettings, 'capacity' | 'autoscaler'>;
type Entry = readonly ['capacity', keyof CapacitySettings] | readonly ['autoscaler', keyof AutoscalerSettings];

export const LIMIT_FLAGS: Record<string, { at: Entry; help: string }> = {
  '--capacity-rps': { at: ['capacity', 'rps'], help: 'requests/s one replica serves; beyond it requests queue, then get 503' },
  '--concurrency': { at: ['capacity', 'concurrency'], help: 'requests in service at once per replica (default 10)' },
  '--queue': { at: ['capacity', 'queue'], help: 'requests that may wait for a worker (default 5 x concurrency)' },
  '--scale-after': { at: ['autoscaler', 'reactionSeconds'], help: 'autoscaler: add a replica after load stays high this many seconds' },
  '--scale-threshold': { at: ['autoscaler', 'threshold'], help: 'autoscaler: offered load / capacity that counts as high (default 0.8)' },
  '--max-replicas': { at: ['autoscaler', 'maxReplicas'], help: 'autoscaler: most replicas (default 4)' },
  '--scale-down-after': { at: ['autoscaler', 'scaleDownSeconds'], help: 'autoscaler: remove a replica after load stays low this long' },
};

/** Sets one flag's value into the limits; false when `flag` is not a limits flag. */
export function setLimitFlag(limits: Limits, flag: string, value: number): boolean {
  const entry = LIMIT_FLAGS[flag];
  if (!entry) return false;
  const [group, key] = entry.at;
  const target = (limits[group] ??= {} as never) as unknown as Record<string, number>;
  target[key] = value;
  return true;
}

/** The argv that hands these limits to the demo child (demo/main.ts). */
export function limitArgs(limits: Limits): string[] {
  const args: string[] = [];
  for (const [flag, { at }] of Object.entries(LIMIT_FLAGS)) {
    const value = (limits[at[0]] as Record<string, number> | undefined)?.[at[1]];
    if (value !== undefined) args.push(flag, String(value));
  }
  return args;
}

/** commander's camelCase option name of a flag (`--capacity-rps` → `capacityRps`). */
export function optionKey(flag: string): string {
  return flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A limits problem as the command line says it: `capacity.rps` → `--capacity-rps`. */
export function inFlagWords(problem: string): string {
  let out = problem.replace(/^autoscaler needs capacity .*$/, 'the autoscaler flags need --capacity-rps (each replica adds that much capacity)');
  for (const [flag, { at }] of Object.entries(LIMIT_FLAGS)) out = out.replace(`${at[0]}.${at[1]}`, flag);
  return out;
}

// Error spending for a group-sequential test (Lan & DeMets 1983), shared by the sequential gate
// (sequential.ts) and its predicted power (gate-power.ts). Pure.
import { zCdf, zQuantile } from './stats.js';

/** Lan–DeMets O'Brien–Fleming-type spending: the share of `level` spent by information fraction t. */
export function obfSpent(t: number, level: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return level;
  return 2 - 2 * zCdf(zQuantile(1 - level / 2) / Math.sqrt(t));
}

/** The level look k of K may use: what the spending function adds between looks k − 1 and k. */
export function lookLevel(k: number, K: number, level: number): number {
  return obfSpent(k / K, level) - obfSpent((k - 1) / K, level);
}

// One interface for every fault provider. A provider is built from a serialisable ref, so a later
// process (the journal's reader, `loadctl chaos revert`) can rebuild it and revert what a killed
// loadctl left behind.
import type { ChaosMeshSettings, CommandSettings, KubernetesSettings, PlannedFault, ProviderName } from './types.js';

export type FaultState = 'active' | 'inactive' | 'unknown';

export interface FaultProvider {
  readonly name: ProviderName;
  /** What the journal stores to rebuild this provider elsewhere. */
  readonly ref: ProviderRef;
  /** Resolves once the provider reports the fault in place. */
  inject(f: PlannedFault): Promise<void>;
  /** Idempotent: reverting a fault that is not (or no longer) there succeeds. */
  revert(f: PlannedFault): Promise<void>;
  status(f: PlannedFault): Promise<FaultState>;
  /** What the provider saw of a fault beyond its window (a killed pod's replacement), once settled. */
  outcome?(f: PlannedFault): FaultOutcome | undefined;
  /** Waits (at most `ms`) for what outcome() still watches. */
  settle?(ms: number): Promise<void>;
}

export interface FaultOutcome {
  pods?: string[]; // the pods a pod-kill deleted
  podsReadyAgainMs?: number | null; // from the kill until as many selected pods were Ready as before; null: not within the watch
}

export type ProviderRef =
  | { name: 'toxiproxy'; url: string; proxy: string; ownedServerPid?: number }
  | { name: 'chaos-mesh'; settings: ChaosMeshSettings; runId: string }
  | { name: 'command'; settings: CommandSettings; cwd: string }
  | { name: 'kubernetes'; settings: KubernetesSettings; runId: string };

// A provider from its ref: what the timeline task uses, and what the journal's reader rebuilds.
import { ChaosMeshProvider } from './chaos-mesh.js';
import { CommandProvider } from './command.js';
import type { FaultProvider, ProviderRef } from './provider.js';
import { ToxiproxyProvider } from './toxiproxy.js';
import { KubernetesProvider } from './kubernetes.js';

export function providerFromRef(ref: ProviderRef, env: NodeJS.ProcessEnv = process.env): FaultProvider {
  switch (ref.name) {
    case 'toxiproxy':
      return new ToxiproxyProvider(ref);
    case 'chaos-mesh':
      return new ChaosMeshProvider(ref, { env });
    case 'command':
      return new CommandProvider(ref, env);
    case 'kubernetes':
      return new KubernetesProvider(ref, { env });
  }
}

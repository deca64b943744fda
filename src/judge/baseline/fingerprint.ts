// Whether a candidate was measured like the pool's runs (same plan, k6 and machine). Pure.
import type { BaselineRun, Fingerprint } from '../../baselines/types.js';

/** How the candidate's fingerprint differs from the pool's runs; empty when all match. */
export function fingerprintMismatch(pool: BaselineRun[], candidate: Fingerprint): string[] {
  const fields: [keyof Fingerprint, string][] = [['planHash', 'plan hash'], ['k6Version', 'k6 version'], ['machine', 'machine']];
  const out: string[] = [];
  for (const [key, label] of fields) {
    const differing = pool.filter((r) => r.fingerprint[key] !== candidate[key]);
    if (differing.length === 0) continue;
    const theirs = [...new Set(differing.map((r) => r.fingerprint[key]))].join(', ');
    out.push(`${label} ${candidate[key]} differs from ${differing.length} of ${pool.length} baseline runs (${theirs})`);
  }
  return out;
}

// `loadctl list`: the scenarios with their shapes, and the profiles. Pure.

import { table } from '../table.js';

export interface ScenarioInfo {
  name: string;
  file: string;
  summary: string;
  model?: 'vus' | 'arrival';
  params?: Record<string, number>;
  defaultDuration?: string;
  phases?: string[];
  /** Shipped with loadctl rather than in the project's scenarios/. */
  builtin?: true;
}

export interface ProfileInfo {
  name: string;
  protected?: boolean;
  description?: string;
}

export function renderList(scenarios: ScenarioInfo[], profiles: ProfileInfo[]): string {
  // Inside loadctl's own clone every scenario is the project's; elsewhere the built-in ones say so.
  const lines = [scenarios.some((s) => s.builtin) ? 'Scenarios (scenarios/ and built-in):' : 'Scenarios (scenarios/):'];
  const rows = scenarios.map((s) => [
    s.builtin ? `${s.name} (built-in)` : s.name,
    s.model ? `${s.model === 'vus' ? 'VUs' : 'arrival rate'}, ${s.defaultDuration}` : '-',
    s.params ? Object.entries(s.params).map(([k, v]) => `${k}=${v}`).join(' ') : '',
    s.summary,
  ]);
  lines.push(...table(rows, undefined, ['l', 'l', 'l', 'l']).map((l) => `  ${l}`));
  lines.push('', 'Profiles (profiles/):');
  lines.push(...table(profiles.map((p) => [p.name, p.protected ? 'protected' : '', p.description ?? '']), undefined, ['l', 'l', 'l']).map((l) => `  ${l}`));
  return lines.join('\n');
}

// `loadctl list`: the scenarios with their shapes, and the profiles. Pure.

import { table } from './table.js';

export interface ScenarioInfo {
  name: string;
  file: string;
  summary: string;
  model?: 'vus' | 'arrival';
  params?: Record<string, number>;
  defaultDuration?: string;
  phases?: string[];
}

export interface ProfileInfo {
  name: string;
  protected?: boolean;
  description?: string;
}

export function renderList(scenarios: ScenarioInfo[], profiles: ProfileInfo[]): string {
  const lines = ['Scenarios (scenarios/):'];
  const rows = scenarios.map((s) => [
    s.name,
    s.model ? `${s.model === 'vus' ? 'VUs' : 'arrival rate'}, ${s.defaultDuration}` : '-',
    s.params ? Object.entries(s.params).map(([k, v]) => `${k}=${v}`).join(' ') : '',
    s.summary,
  ]);
  lines.push(...table(rows, undefined, ['l', 'l', 'l', 'l']).map((l) => `  ${l}`));
  lines.push('', 'Profiles (profiles/):');
  lines.push(...table(profiles.map((p) => [p.name, p.protected ? 'protected' : '', p.description ?? '']), undefined, ['l', 'l', 'l']).map((l) => `  ${l}`));
  return lines.join('\n');
}

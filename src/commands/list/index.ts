// `loadctl list`: scenarios with their shapes and purpose, and profiles.

import { extractShape } from '../../bundle/extract-shape.js';
import { listScenarioFiles } from '../../bundle/locate.js';
import { listProfiles } from '../../config/load.js';
import { formatDuration } from '../../plan/duration.js';
import { phasesOf, planShape, totalMs } from '../../plan/shape.js';
import { table } from '../../report/table.js';

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

export async function scenarioInfos(cwd: string): Promise<ScenarioInfo[]> {
  const out: ScenarioInfo[] = [];
  for (const s of listScenarioFiles(cwd)) {
    const spec = await extractShape(s.file, cwd).catch(() => null);
    const builtin = s.builtin ? { builtin: true as const } : {};
    if (!spec) {
      out.push({ name: s.name, file: s.display, summary: 'plain k6 script (its own options)', ...builtin });
      continue;
    }
    const shape = planShape(spec, s.name, {});
    out.push({
      name: s.name,
      file: s.display,
      summary: spec.summary,
      model: spec.model,
      params: shape.params,
      defaultDuration: formatDuration(totalMs(shape.stages)),
      phases: phasesOf(shape.stages).map((p) => p.name),
      ...builtin,
    });
  }
  return out;
}

export async function listCommand(o: { cwd: string; json: boolean }): Promise<string> {
  const scenarios = await scenarioInfos(o.cwd);
  const profiles = await listProfiles(o.cwd);
  if (o.json) return JSON.stringify({ scenarios, profiles }, null, 2);
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

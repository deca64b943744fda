// `loadctl list`: scenarios with their shapes and purpose, and profiles.

import { extractShape } from '../../bundle/extract-shape.js';
import { listScenarioFiles } from '../../bundle/locate.js';
import { listProfiles } from '../../config/load.js';
import { formatDuration } from '../../plan/duration.js';
import { phasesOf, planShape, totalMs } from '../../plan/shape.js';
import { renderList, type ScenarioInfo } from '../../report/views/list.js';

export async function scenarioInfos(cwd: string, toolsDir?: string): Promise<ScenarioInfo[]> {
  const out: ScenarioInfo[] = [];
  for (const s of listScenarioFiles(cwd)) {
    const spec = await extractShape(s.file, cwd, toolsDir).catch(() => null);
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

export async function listCommand(o: { cwd: string; json: boolean; toolsDir?: string }): Promise<string> {
  const scenarios = await scenarioInfos(o.cwd, o.toolsDir);
  const profiles = await listProfiles(o.cwd, o.toolsDir);
  return o.json ? JSON.stringify({ scenarios, profiles }, null, 2) : renderList(scenarios, profiles);
}

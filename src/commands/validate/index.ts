// `loadctl validate`: every profile loads and validates; every scenario type-checks against
// @types/k6 and exposes a usable shape. Reports all problems, not just the first.

import { extractShape } from '../../bundle/extract-shape.js';
import { listScenarioFiles } from '../../bundle/locate.js';
import { listProfiles, loadProfile } from '../../config/load.js';
import { isLoadctlError } from '../../util/errors.js';
import { planShape } from '../../plan/shape.js';
import { checklistOk, renderChecklist, type ChecklistItem } from '../../report/checklist.js';
import { typeCheck } from './typecheck.js';

export async function validateCommand(o: { cwd: string; env: NodeJS.ProcessEnv; toolsDir?: string }): Promise<{ ok: boolean; text: string }> {
  const items: ChecklistItem[] = [];
  const fail = (what: string, why: string) => items.push({ status: 'bad', text: why.startsWith(`${what}:`) ? why : `${what}: ${why}` });
  const good = (text: string) => items.push({ status: 'ok', text });

  // Structure is what validate checks: a secret that is unset gets a stand-in (secrets are only
  // needed when the profile runs). Nothing is written: no tools folder is passed for the profiles.
  for (const p of await listProfiles(o.cwd)) {
    try {
      const loaded = await loadProfile(p.file, { cwd: o.cwd, env: o.env, standIns: true });
      good(loaded.standIns ? `${p.file} (needs ${loaded.standIns.join(', ')} set when it runs)` : p.file);
    } catch (e) {
      fail(p.file, isLoadctlError(e) ? e.message : String(e));
    }
  }

  const scenarios = listScenarioFiles(o.cwd);
  for (const s of scenarios) {
    try {
      const spec = await extractShape(s.file, o.cwd, o.toolsDir);
      if (spec) planShape(spec, s.name, {});
    } catch (e) {
      fail(s.display, isLoadctlError(e) ? e.message : String(e));
    }
  }
  // Built-in scenarios are type-checked in loadctl's own CI; a project checks its own files.
  const own = scenarios.filter((s) => !s.builtin);
  const diagnostics = typeCheck(o.cwd, own.map((s) => s.file));
  for (const d of diagnostics) fail('type error', d);
  if (own.length) items.push({ status: diagnostics.length ? 'bad' : 'ok', text: `${own.length} scenarios type-check against @types/k6` });
  return { ok: checklistOk(items), text: renderChecklist(items, { ok: 'all valid', bad: 'problems found' }) };
}

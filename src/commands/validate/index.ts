// `loadctl validate`: every profile loads and validates; every scenario type-checks against
// @types/k6 and exposes a usable shape. Reports all problems, not just the first.

import { extractShape } from '../../bundle/extract-shape.js';
import { listScenarioFiles } from '../../bundle/locate.js';
import { listProfiles, loadProfile } from '../../config/load.js';
import { isLoadctlError } from '../../util/errors.js';
import { planShape } from '../../plan/shape.js';
import { checklistOk, renderChecklist, type ChecklistItem } from '../../report/checklist.js';
import { typeCheck } from './typecheck.js';

const MISSING_VAR = /environment variable (\w+) is not set/;

export async function validateCommand(o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ ok: boolean; text: string }> {
  const items: ChecklistItem[] = [];
  const fail = (what: string, why: string) => items.push({ status: 'bad', text: why.startsWith(`${what}:`) ? why : `${what}: ${why}` });
  const good = (text: string) => items.push({ status: 'ok', text });

  for (const p of await listProfiles(o.cwd)) {
    try {
      await loadProfile(p.file, { cwd: o.cwd, env: o.env });
      good(p.file);
    } catch (e) {
      const missing = isLoadctlError(e) ? MISSING_VAR.exec(e.message) : null;
      if (!missing) {
        fail(p.file, isLoadctlError(e) ? e.message : String(e));
        continue;
      }
      // Structure is what validate checks; secrets are only needed when the profile runs.
      const placeholder = new Proxy({ ...o.env }, { get: (t, k) => (typeof k === 'string' ? (t[k] ?? 'placeholder') : undefined) });
      try {
        const loaded = await loadProfile(p.file, { cwd: o.cwd, env: placeholder });
        good(`${p.file} (needs ${loaded.envRefs.join(', ') || missing[1]} set when it runs)`);
      } catch (e2) {
        fail(p.file, isLoadctlError(e2) ? e2.message : String(e2));
      }
    }
  }

  const scenarios = listScenarioFiles(o.cwd);
  for (const s of scenarios) {
    try {
      const spec = await extractShape(s.file, o.cwd);
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

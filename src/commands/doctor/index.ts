// `loadctl doctor`: is this machine ready to run loadctl? k6 (which one and why, and where to get
// one), Node, the two roots, and optionally whether a target answers.

import { existsSync } from 'node:fs';
import { loadProfile } from '../../config/load.js';
import { packageRoot, projectRoot } from '../../util/roots.js';
import { checkReachable } from '../../target/index.js';
import { isLoadctlError } from '../../util/errors.js';
import { candidates, K6_INSTALL_HINT, K6_SOURCE_WORDS, K6_TESTED, locateK6, type K6Binary } from '../../k6/locate.js';
import { assertOutputsAvailable, planOutputs } from '../../k6/outputs.js';
import { checklistOk, renderChecklist, type ChecklistItem } from '../../report/checklist.js';
import { locateToxiproxy, TOXIPROXY_TESTED, toxiproxyHint } from '../../chaos/toxiproxy-server.js';

export async function doctorCommand(o: { cwd: string; env: NodeJS.ProcessEnv; target?: string; toolsDir?: string }): Promise<{ ok: boolean; text: string }> {
  const items: ChecklistItem[] = [];
  const good = (text: string) => items.push({ status: 'ok', text });
  const note = (text: string, fix?: string) => items.push({ status: 'note', text, ...(fix ? { fix } : {}) });
  const bad = (text: string, fix?: string) => items.push({ status: 'bad', text, ...(fix ? { fix } : {}) });

  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 20) good(`node ${process.version}`);
  else bad(`node ${process.version} is too old`, 'install Node 20 or newer');

  let k6: K6Binary | undefined;
  try {
    k6 = await locateK6({ env: o.env, cwd: o.cwd, ...(o.toolsDir ? { toolsDir: o.toolsDir } : {}) });
    good(`k6 v${k6.version} at ${k6.path} (${K6_SOURCE_WORDS[k6.source]})${k6.version === K6_TESTED ? '' : `; loadctl's own tests use v${K6_TESTED}`}`);
  } catch (e) {
    bad(isLoadctlError(e) ? e.message : String(e), isLoadctlError(e) ? e.hint : K6_INSTALL_HINT);
  }
  note(`k6 is looked for in this order: ${k6Order(o)}`);
  await toxiproxyItem(o, good, note);

  const project = projectRoot(o.cwd);
  note(`project ${project} (profiles/, scenarios/, baselines/, reports/)`);
  if (project !== packageRoot()) note(`loadctl ${packageRoot()} (built-in scenarios, the local profile, schemas)`);

  if (o.target) {
    try {
      const p = await loadProfile(o.target, { cwd: o.cwd, env: o.env, ...(o.toolsDir ? { toolsDir: o.toolsDir } : {}) });
      if (p.profile.demo) good(`target ${p.name}: the built-in demo target (loadctl starts it for each run)`);
      else if (p.profile.start) good(`target ${p.name}: started by loadctl with \`${p.profile.start.command}\``);
      else {
        await checkReachable(p.profile.baseUrl ?? '');
        good(`target ${p.name} (${p.profile.baseUrl}) answers`);
      }
      const outputs = planOutputs(p.profile.outputs, [], p.file ?? p.name);
      if (outputs.length && k6) {
        assertOutputsAvailable(outputs, k6, p.file ?? p.name);
        good(`k6 has the outputs ${p.name} sends to: ${outputs.map((x) => x.type).join(', ')}`);
      }
    } catch (e) {
      bad(isLoadctlError(e) ? e.message : String(e), isLoadctlError(e) ? e.hint : undefined);
    }
  }
  return { ok: checklistOk(items), text: renderChecklist(items, { ok: 'ready', bad: 'not ready: fix the ✗ lines above' }) };
}

/** The places k6 is looked for, the first that exists wins; PATH folders shown as one entry. */
function k6Order(o: { cwd: string; env: NodeJS.ProcessEnv; toolsDir?: string }): string {
  const list = candidates({ env: o.env, cwd: o.cwd, ...(o.toolsDir ? { toolsDir: o.toolsDir } : {}) });
  const fixed = list.filter((c) => c.source !== 'path').map((c, i) => `${i + 1}. ${c.path}${existsSync(c.path) ? '' : ' (absent)'}`);
  return [...fixed, ...(list.some((c) => c.source === 'path') || fixed.length === 0 ? [`${fixed.length + 1}. k6 on PATH`] : [])].join('  ');
}

/** Toxiproxy is needed only for faults (the chaos scenario, a profile's chaos: block): a note when absent. */
async function toxiproxyItem(o: { cwd: string; env: NodeJS.ProcessEnv; toolsDir?: string }, good: (t: string) => void, note: (t: string, fix?: string) => void): Promise<void> {
  let bin: string;
  try {
    bin = locateToxiproxy(o.env, o.cwd, o.toolsDir);
  } catch (e) {
    note(`${(e as Error).message}`, toxiproxyHint(o.cwd));
    return;
  }
  const { execa } = await import('execa');
  const r = await execa(bin, ['-version'], { reject: false, timeout: 10_000 });
  const version = /(\d+\.\d+\.\d+)/.exec(`${r.stdout} ${r.stderr}`)?.[1];
  if (r.exitCode === 0 && version) good(`toxiproxy-server ${version} at ${bin} (for faults)${version === TOXIPROXY_TESTED ? '' : `; loadctl's own tests use ${TOXIPROXY_TESTED}`}`);
  else note(`${bin} did not answer -version like toxiproxy-server (exit ${r.exitCode})`, toxiproxyHint(o.cwd));
}

// `loadctl build [scenario…] [--out dir] [--target profile]`: standalone k6 scripts for people who
// run k6 elsewhere. With --target the resolved plan (no secret values: ${NAME} references are
// resolved by k6 from its environment) is baked in; LOADCTL_PLAN still overrides it.

import { join, relative, resolve } from 'node:path';
import { bundleCode } from '../../bundle/bundle.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { listScenarioFiles, locateScenario } from '../../bundle/locate.js';
import { prepareRun } from '../../pipeline/prepare.js';

export interface BuildOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  names: string[];
  out: string;
  target?: string;
  set?: string[];
  duration?: string;
  vus?: string;
  rate?: string;
  toolsDir?: string;
}

export async function buildCommand(o: BuildOptions): Promise<string> {
  const refs = o.names.length ? o.names.map((n) => locateScenario(n, o.cwd)) : listScenarioFiles(o.cwd);
  const dir = resolve(o.cwd, o.out);
  const lines: string[] = [];
  for (const ref of refs) {
    let code = await bundleCode(ref.file, o.cwd, o.toolsDir);
    if (o.target) {
      const { plan } = await prepareRun({ ...o, scenario: ref.file, target: o.target });
      code = `globalThis.__LOADCTL_BAKED_PLAN__ = ${JSON.stringify(JSON.stringify(plan))};\n${code}`;
    }
    const file = join(dir, `${ref.name}.js`);
    await writeFileAtomic(file, code);
    lines.push(`${relative(o.cwd, file)}  (${(code.length / 1024).toFixed(1)} KiB)`);
  }
  lines.push('', o.target ? 'run one with: BASE_URL=<url> k6 run <file>' : 'run one with: LOADCTL_PLAN="$(loadctl run <name> -t <profile> --dry-run)" BASE_URL=<url> k6 run <file>');
  return lines.join('\n');
}

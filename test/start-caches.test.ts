// What a run's start may skip: recompiling a scenario whose files are unchanged, and asking an
// unchanged k6 binary for its version. Both caches live in the per-user cache folder
// (the tools folder the CLI decides and passes in: a temporary one here), never in the project.
import { chmodSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleCode } from '../src/bundle/bundle.js';
import { extractShape } from '../src/bundle/extract-shape.js';
import { k6VersionOutput } from '../src/k6/version-cache.js';
import { fileTree, tempProject } from './helpers/cli.js';

let cache = '';
beforeAll(() => {
  cache = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
});

const scenario = (vus: number) => `import { loadctlOptions, runWorkload } from 'loadctl/lib';
import { pace } from './lib/pace.ts';
export const shape = { summary: 's', model: 'vus', params: { vus: ${vus} }, stages: (p) => [{ phase: 'a', duration: '10s', target: p.vus * pace }] };
export const options = loadctlOptions();
export default function () { runWorkload(); }
`;

describe('compiled scenarios', () => {
  it('are reused while every input is unchanged, and recompiled when any input (an import too) changes', async () => {
    const dir = tempProject({ 'scenarios/x.ts': scenario(3), 'scenarios/lib/pace.ts': 'export const pace = 1;\n' }, { scenarios: false, localProfile: false });
    const before = fileTree(dir);
    const file = join(dir, 'scenarios', 'x.ts');
    const first = await bundleCode(file, dir, cache);
    expect(first).toContain('vus: 3');
    expect(await extractShape(file, dir, cache)).toMatchObject({ params: { vus: 3 } });
    expect(fileTree(dir)).toEqual(before); // nothing written into the project

    // Same content, new mtime on the imported file: recompiled (and still right).
    const lib = join(dir, 'scenarios', 'lib', 'pace.ts');
    writeFileSync(lib, 'export const pace = 2;\n');
    utimesSync(lib, new Date(), new Date(Date.now() + 5000));
    expect(await bundleCode(file, dir, cache)).toMatch(/pace = 2/);
    const shape = await extractShape(file, dir, cache);
    expect(shape!.stages(shape!.params)[0]!.target).toBe(6);

    // The scenario itself changes size: recompiled.
    writeFileSync(file, scenario(12));
    expect(await bundleCode(file, dir, cache)).toContain('vus: 12');
    expect(await extractShape(file, dir, cache)).toMatchObject({ params: { vus: 12 } });
  });

  it('a cached entry is what the next call returns when nothing changed', async () => {
    const dir = tempProject({ 'scenarios/y.ts': scenario(4), 'scenarios/lib/pace.ts': 'export const pace = 1;\n' }, { scenarios: false, localProfile: false });
    const file = join(dir, 'scenarios', 'y.ts');
    const code = await bundleCode(file, dir, cache);
    // Tamper with the cached code: an unchanged input set must hand back the cached text as is.
    const entries = readdirSync(join(cache, 'compiled')).map((f) => join(cache, 'compiled', f));
    const mine = entries.find((f) => readFileSync(f, 'utf8').includes('vus: 4'));
    expect(mine).toBeDefined();
    const stored = JSON.parse(readFileSync(mine!, 'utf8')) as { code: string };
    writeFileSync(mine!, JSON.stringify({ ...stored, code: `${stored.code}\n// marker` }));
    expect(await bundleCode(file, dir, cache)).toBe(`${code}\n// marker`);
  });
});

describe('k6 version', () => {
  it('asks a binary once while its size and mtime stay the same, and again after it changes', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
    const count = join(dir, 'calls');
    const k6 = join(dir, 'k6');
    const script = (v: string) => `#!/bin/sh\necho x >> "${count}"\necho "k6 v${v} (go1.26.8, linux/amd64)"\n`;
    writeFileSync(k6, script('2.2.0'));
    chmodSync(k6, 0o755);
    expect((await k6VersionOutput(k6, cache)).stdout).toMatch(/k6 v2\.2\.0/);
    expect((await k6VersionOutput(k6, cache)).stdout).toMatch(/k6 v2\.2\.0/);
    expect(readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(1);

    writeFileSync(k6, script('2.3.10'));
    utimesSync(k6, new Date(), new Date(Date.now() + 5000));
    expect((await k6VersionOutput(k6, cache)).stdout).toMatch(/k6 v2\.3\.10/);
    expect(readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('never remembers a failing answer', async () => {
    const dir = tempProject({}, { scenarios: false, localProfile: false, nodeModules: false });
    const k6 = join(dir, 'k6');
    writeFileSync(k6, '#!/bin/sh\necho broken >&2\nexit 1\n');
    chmodSync(k6, 0o755);
    expect((await k6VersionOutput(k6, join(dir, 'own-cache'))).exitCode).toBe(1);
    expect(existsSync(join(dir, 'own-cache', 'k6-versions.json'))).toBe(false);
  });
});

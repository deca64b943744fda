// The boundary lint (eslint.config.js) is part of `npm test`; this proves it bites: I/O, a clock or
// process state planted in a pure module is an error, the same line at an I/O edge is not.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const eslint = new ESLint({ cwd: repoRoot });

async function rulesBroken(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('module boundaries', () => {
  it.each([
    ['src/judge/planted.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/plan/planted.ts', "import { execa } from 'execa';\nexport const x = execa;\n"],
    ['src/report/planted.ts', "import chalk from 'chalk';\nexport const x = chalk;\n"],
    ['src/results/aggregator.ts', "import { spawn } from 'node:child_process';\nexport const x = spawn;\n"],
  ])('refuses I/O imports in the pure module %s', async (file, code) => {
    expect(await rulesBroken(code, file)).toContain('no-restricted-imports');
  });

  it('refuses a clock or process state in a pure module', async () => {
    expect(await rulesBroken('export const t = Date.now();\n', 'src/judge/planted.ts')).toContain('no-restricted-properties');
    expect(await rulesBroken('export const t = new Date();\n', 'src/report/planted.ts')).toContain('no-restricted-syntax');
    expect(await rulesBroken('export const e = process.env.X;\n', 'src/plan/planted.ts')).toContain('no-restricted-properties');
  });

  it('allows the same imports at the edges', async () => {
    expect(await rulesBroken("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'src/pipeline/planted.ts')).toEqual([]);
    expect(await rulesBroken("import { execa } from 'execa';\nexport const x = execa;\n", 'src/k6/planted.ts')).toEqual([]);
  });

  it('keeps console out of everything but the CLI door', async () => {
    expect(await rulesBroken("console.log('x');\n", 'src/pipeline/planted.ts')).toContain('no-console');
  });

  it('passes on the code as it is', async () => {
    const results = await eslint.lintFiles(['src']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.ruleId}: ${m.message}`))).toEqual([]);
  });
});

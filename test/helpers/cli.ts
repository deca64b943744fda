// Runs the built CLI (bin/loadctl.js → dist/) as a user would, and builds throwaway projects for
// it to run in. Build first: `npx tsc -p tsconfig.json`.
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll } from 'vitest';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = join(repoRoot, 'bin', 'loadctl.js');
export const realK6 = join(repoRoot, '.tools', 'bin', 'k6');

export interface CliResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  const r = await execa(process.execPath, [cliPath, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { NO_COLOR: '1', CI: 'true', LOADCTL_K6: realK6, ...opts.env },
    reject: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, durationMs: Date.now() - started };
}

export interface ProjectOptions {
  /** Copy the repo's scenarios/ (with lib/) into the project. Default true. */
  scenarios?: boolean;
  /** Copy the repo's profiles/local.yaml into the project. Default true. */
  localProfile?: boolean;
  /** Link the repo's node_modules into the project. Default true (false for a real `npm install`). */
  nodeModules?: boolean;
}

const made: string[] = [];
// Registered when a test file imports this module (at collection time; a hook registered from
// inside another hook would never run).
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A project folder in a fresh temp dir: the given files (path → content) on top of copies of the
 * repo's scenarios/ and profiles/local.yaml, with node_modules linked so bundling resolves npm
 * imports. Removed after the test file's last test.
 */
export function tempProject(files: Record<string, string> = {}, opts: ProjectOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-e2e-'));
  made.push(dir);
  if (opts.scenarios !== false) cpSync(join(repoRoot, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  if (opts.localProfile !== false) {
    mkdirSync(join(dir, 'profiles'));
    cpSync(join(repoRoot, 'profiles', 'local.yaml'), join(dir, 'profiles', 'local.yaml'));
  }
  if (opts.nodeModules !== false) symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [rel, text] of Object.entries(files)) {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

/** Every path under `dir` (node_modules left out), sorted: compare before/after to prove nothing was written. */
export function fileTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      out.push(p);
      if (e.isDirectory()) walk(p);
    }
  };
  walk('');
  return out.sort();
}

// `loadctl init [--url <url>] [--force]`: scaffolds loadctl in the user's project (the folder
// `loadctl` would treat as the project root, so running it from a subfolder still writes next to
// package.json). Never overwrites: with any target file present it refuses, naming them, and
// writes nothing, unless --force.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { packageRoot, projectRoot } from '../../util/roots.js';
import { UsageError } from '../../util/errors.js';
import { scaffoldFiles, withGitignoreLines } from '../../init/scaffold.js';

export interface InitOptions {
  cwd: string;
  url?: string;
  force: boolean;
}

export async function initCommand(o: InitOptions): Promise<string> {
  if (o.url !== undefined && !isHttpUrl(o.url)) {
    throw new UsageError(`--url ${JSON.stringify(o.url)} is not an absolute http(s) URL`, 'e.g. loadctl init --url https://staging.example.com');
  }
  const root = projectRoot(o.cwd);
  const pkg = packageRoot();
  const files = scaffoldFiles({
    ...(o.url !== undefined ? { url: o.url } : {}),
    localProfile: readFileSync(join(pkg, 'profiles', 'local.yaml'), 'utf8'),
    workflow: readFileSync(join(pkg, 'examples', 'ci', 'github-actions-loadctl.yml'), 'utf8'),
  });
  const shown = (rel: string) => relative(o.cwd, join(root, rel)) || rel;
  const existing = files.filter((f) => existsSync(join(root, f.path)));
  if (existing.length > 0 && !o.force) {
    throw new UsageError(`init would overwrite ${existing.map((f) => shown(f.path)).join(', ')}; nothing was written`, 'pass --force to overwrite them, or move them away first');
  }
  const lines: string[] = [];
  for (const f of files) {
    const abs = join(root, f.path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
    lines.push(`${existing.includes(f) ? 'overwrote' : 'wrote'} ${shown(f.path)}`);
  }
  const gitignore = join(root, '.gitignore');
  const ignored = withGitignoreLines(existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : null);
  if (ignored !== null) {
    writeFileSync(gitignore, ignored);
    lines.push(`added reports/ and .cache/bundles/ to ${shown('.gitignore')}`);
  }
  lines.push(
    '',
    'next:',
    '  k6 version                                  # loadctl runs your own k6 v1.x or v2.x (brew install k6, grafana/k6 releases, …)',
    '  npx loadctl run spike --target local        # the built-in demo target',
    o.url === undefined ? '  npx loadctl init --url https://staging…     # adds profiles/staging.yaml' : '  npx loadctl run sustained --target staging  # your service',
  );
  return lines.join('\n');
}

function isHttpUrl(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

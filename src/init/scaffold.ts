// What `loadctl init` writes into a user's project, as data: file paths and their text. Pure (the
// command reads the package's templates and does the writing), so the content is testable alone.

export interface ScaffoldInput {
  /** Base URL for profiles/staging.yaml; without it that profile is not written. */
  url?: string;
  /** The package's profiles/local.yaml. */
  localProfile: string;
  /** The package's examples/ci/github-actions-loadctl.yml. */
  workflow: string;
}

export interface ScaffoldFile {
  path: string; // relative to the project root, forward slashes
  content: string;
}

/** Lines `init` makes sure the project's .gitignore has (run output and bundle cache). */
export const GITIGNORE_LINES = ['reports/', '.cache/bundles/'];

// Profiles in a project point their editor schema at the installed package.
const SCHEMA_COMMENT = /^# yaml-language-server: \$schema=\S+/m;
const PROJECT_SCHEMA = '# yaml-language-server: $schema=../node_modules/loadctl/schemas/profile.schema.json';

export function scaffoldFiles(input: ScaffoldInput): ScaffoldFile[] {
  const files: ScaffoldFile[] = [
    { path: 'profiles/local.yaml', content: input.localProfile.replace(SCHEMA_COMMENT, PROJECT_SCHEMA) },
  ];
  if (input.url !== undefined) files.push({ path: 'profiles/staging.yaml', content: stagingProfile(input.url) });
  files.push({ path: 'scenarios/example.ts', content: EXAMPLE_SCENARIO });
  files.push({ path: '.github/workflows/loadctl.yml', content: input.workflow });
  return files;
}

/** The .gitignore text with the missing loadctl lines appended; null when none is missing. */
export function withGitignoreLines(current: string | null): string | null {
  const have = new Set((current ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l) && !have.has(`/${l}`));
  if (missing.length === 0) return null;
  const base = current ?? '';
  const sep = base === '' || base.endsWith('\n') ? '' : '\n';
  return `${base}${sep}# loadctl: run folders and bundled scenarios\n${missing.join('\n')}\n`;
}

function stagingProfile(url: string): string {
  return `${PROJECT_SCHEMA}
#
# Your staging service, written by \`loadctl init --url\`. Describe your API under workload; keep
# secrets out of this file: \${NAME} reads the environment, e.g.
#   headers: { Authorization: "Bearer \${STAGING_API_TOKEN}" }
description: Staging (${url})

baseUrl: ${JSON.stringify(url)}

# Run every scenario at a tenth of its nominal load (spike: 10 VUs, jumping to 20).
scale: 0.1

workload:
  thinkTimeMs: 500 # real users pause between actions
  requests:
    - { name: home, path: / }

# Breaking one of these fails the run (exit 1).
sla:
  p95: 500 # ms
  errorRate: 0.01

# Refuse plans beyond these, and stop early when the service is clearly down.
safety:
  maxVUs: 50
  maxRPS: 200
  abort: { errorRate: 0.5, forSeconds: 10 }
`;
}

const EXAMPLE_SCENARIO = `// example — closed model (VUs), written by \`loadctl init\`: copy it to make your own scenarios.
// Defaults: 20 VUs. 'warm-up' 15s to vus, 'steady' 1m at vus. What each VU sends comes from the
// profile's workload. Try it: npx loadctl run example --target local --duration 20s
// A file here with the name of a built-in scenario (spike.ts, soak.ts, …) replaces that one.
import { loadctlOptions, runWorkload } from 'loadctl/lib';
import type { ShapeSpec } from 'loadctl/lib';

export const shape: ShapeSpec<{ vus: number }> = {
  summary: 'Warm up, then hold a steady number of VUs',
  model: 'vus', // or 'arrival': targets are iterations/s (open model)
  params: { vus: 20 }, // profiles (scenarios.example.vus) and --set override them
  stages: (p) => [
    { phase: 'warm-up', duration: '15s', target: p.vus },
    { phase: 'steady', duration: '1m', target: p.vus },
  ],
};

export const options = loadctlOptions();

export default function () {
  runWorkload();
}
`;

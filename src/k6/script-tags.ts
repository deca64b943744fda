// A plain script's own run tags (`options.tags`), read with `k6 inspect` (k6 evaluates the script's
// options without running it). Needed because k6's --tag replaces those tags instead of adding to
// them: a run sent to Prometheus gets testid=<run id> and keeps the script's tags.

import { execFile } from 'node:child_process';

export type ScriptTags = { ok: true; tags: Record<string, string> } | { ok: false; reason: string };

export function readScriptTags(k6: string, script: string, o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ScriptTags> {
  return new Promise((resolve) => {
    // Generous: on a busy machine a large script's init code can take seconds.
    execFile(k6, ['inspect', script], { cwd: o.cwd, env: o.env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        resolve({ ok: false, reason: (stderr || error.message).trim().split('\n').pop() ?? 'k6 inspect failed' });
        return;
      }
      resolve(parseInspectTags(stdout));
    });
  });
}

/** `options.tags` from `k6 inspect`'s JSON. Pure. */
export function parseInspectTags(stdout: string): ScriptTags {
  try {
    const options = JSON.parse(stdout) as { tags?: unknown };
    const tags: Record<string, string> = {};
    if (options.tags !== null && typeof options.tags === 'object') {
      for (const [key, value] of Object.entries(options.tags)) tags[key] = String(value);
    }
    return { ok: true, tags };
  } catch (e) {
    return { ok: false, reason: `k6 inspect printed no JSON (${(e as Error).message})` };
  }
}

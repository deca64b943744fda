// A plain script's own run tags (`options.tags`), read with `k6 inspect` (k6 evaluates the script's
// options without running it). Needed because k6's --tag replaces those tags instead of adding to
// them: a run sent to Prometheus gets testid=<run id> and keeps the script's tags.

import { k6Inspect } from './inspect.js';

export type ScriptTags = { ok: true; tags: Record<string, string> } | { ok: false; reason: string };

export async function readScriptTags(k6: string, script: string, o: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ScriptTags> {
  const r = await k6Inspect(k6, script, [], o);
  if (r.code !== 0) return { ok: false, reason: (r.stderr || r.error || '').trim().split('\n').pop() || 'k6 inspect failed' };
  return parseInspectTags(r.stdout);
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

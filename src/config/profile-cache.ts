// Parsed profiles by the hash of their text, so a run that reads the same profile again skips the
// YAML parser (~15 ms of start-up to load it). A miss parses (yaml-text.ts) and writes the data as
// JSON; data that JSON cannot hold as is (e.g. .inf) is never cached. A cache that cannot be read
// or written only costs the parse.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeCacheFileSync } from '../util/atomic.js';

const FORMAT = 1; // bump when the parse itself changes

/** `cacheDir`: the per-user tools folder (none: parse, read and write nothing). */
export async function readProfileText(text: string, file: string, cacheDir: string | undefined): Promise<unknown> {
  if (cacheDir === undefined) return (await import('./yaml-text.js')).parseProfileText(text, file);
  const key = createHash('sha256').update(`${FORMAT}\0${text}`).digest('hex').slice(0, 32);
  const path = join(cacheDir, 'profiles', `${key}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    // not cached yet (or unreadable): parse
  }
  const { parseProfileText } = await import('./yaml-text.js');
  const data = parseProfileText(text, file);
  const json = JSON.stringify(data);
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), data)) {
    try {
      writeCacheFileSync(path, json);
    } catch {
      // a read-only cache only costs the parse
    }
  }
  return data;
}

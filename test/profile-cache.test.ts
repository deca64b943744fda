// Parsed profiles are cached by the hash of their text: the same text is read from the cache
// (the YAML parser is not needed), a changed text is parsed again, and data JSON cannot hold as
// is (.inf) is never cached. Errors are the parser's, cached or not.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfileText } from '../src/config/profile-cache.js';

describe('the parsed-profile cache', () => {
  it('caches by text, re-parses a changed text, never caches what JSON would change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadctl-pc-'));
    const text = 'baseUrl: http://127.0.0.1:1\nworkload: { requests: [{ name: a, path: / }] }\n';
    expect(await readProfileText(text, 'p.yaml', dir)).toEqual({ baseUrl: 'http://127.0.0.1:1', workload: { requests: [{ name: 'a', path: '/' }] } });
    const files = readdirSync(join(dir, 'profiles'));
    expect(files).toHaveLength(1);
    // A hit returns what the cache holds (planted here to prove the parser was not asked).
    writeFileSync(join(dir, 'profiles', files[0]!), JSON.stringify({ from: 'cache' }));
    expect(await readProfileText(text, 'p.yaml', dir)).toEqual({ from: 'cache' });
    expect(await readProfileText(`${text}description: x\n`, 'p.yaml', dir)).toMatchObject({ description: 'x' });
    expect(readdirSync(join(dir, 'profiles'))).toHaveLength(2);
    expect(await readProfileText('scale: .inf\n', 'p.yaml', dir)).toEqual({ scale: Infinity });
    expect(readdirSync(join(dir, 'profiles'))).toHaveLength(2);
    await expect(readProfileText('a: [1,\n', 'bad.yaml', dir)).rejects.toThrow(/bad\.yaml: line \d+, column \d+/);
    expect(JSON.parse(readFileSync(join(dir, 'profiles', readdirSync(join(dir, 'profiles'))[0]!), 'utf8'))).toBeTypeOf('object');
  });
});

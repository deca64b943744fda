// The demo target loadctl starts never outlives loadctl, even when loadctl is killed with SIGKILL
// (no cleanup code runs then): it watches the pipe loadctl holds open to it.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/cli.js';

const starter = `
const { startDemoTarget } = await import(${JSON.stringify(`${repoRoot}/dist/target/index.js`)});
const t = await startDemoTarget({});
console.log(t.baseUrl);
setInterval(() => {}, 1000);
`;

describe('a managed demo target', () => {
  it('stops when the process that started it is killed with SIGKILL', async () => {
    const parent = execa(process.execPath, ['--input-type=module', '-e', starter], { reject: false, buffer: false });
    const url = await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(String(d).trim())));
    expect((await fetch(`${url}/health`)).status).toBe(200);
    parent.kill('SIGKILL');
    await parent;
    let up = true;
    for (let i = 0; i < 100 && up; i++) { // poll the port (bounded at 10 s, to catch a hang)
      await new Promise((r) => setTimeout(r, 100));
      up = await fetch(`${url}/health`).then(() => true, () => false);
    }
    expect(up).toBe(false);
  });
});

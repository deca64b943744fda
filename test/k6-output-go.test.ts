// loadctl's k6 output extension (k6/output, Go) has its own unit tests; they run here so `npm test`
// covers both halves of the sample stream. Go is already required to build k6 (scripts/install-k6.sh).
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect, it } from 'vitest';

const k6Dir = fileURLToPath(new URL('../k6', import.meta.url));

it('the Go tests of k6/output pass', async () => {
  const r = await execa('go', ['test', '-count=1', './output/'], { cwd: k6Dir, reject: false, env: { CGO_ENABLED: '0' } });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toMatch(/^ok\s+loadctl\/k6build\/output/m);
}, 300_000);

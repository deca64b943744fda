import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConsole } from '../src/report/console.js';
import { plain, type Paint } from '../src/report/paint.js';
import type { RunResult } from '../src/results/types.js';

const result = JSON.parse(readFileSync(new URL('./fixtures/result-sustained-baseline.json', import.meta.url), 'utf8')) as RunResult;

// Like chalk: every argument is printed, so a renderer that passes map()'s index and array
// along would show them.
const tag = (name: string) => (...args: unknown[]) => `<${name}>${args.join(' ')}</${name}>`;
const tagging: Paint = { ok: tag('ok'), bad: tag('bad'), warn: tag('warn'), dim: tag('dim'), bold: tag('bold') };

describe('console verdict', () => {
  it('shows the requests, the SLA checks and the baseline comparison', () => {
    const text = renderConsole(result, plain, '/runs/x');
    expect(text).toContain(`loadctl · ${result.scenario} → ${result.target}`);
    expect(text).toMatch(/^\s+overall\s+\d+/m);
    expect(text).toMatch(/check\s+limit\s+measured/);
    expect(text).toMatch(/vs baseline\s+baseline\s+this run\s+change\s+p/);
    expect(text).toMatch(/p95 latency \(overall\)/);
    expect(text).toContain('results: /runs/x');
  });
  it('colours cells without leaking extra arguments into them', () => {
    const text = renderConsole(result, tagging);
    expect(text).toContain('<dim>check</dim>');
    expect(text).not.toMatch(/<dim>\w+ \d+ /);
  });
});

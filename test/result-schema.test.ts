import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultSchemaJson } from '../src/results/schema.js';
import { resultProblems } from '../src/results/validate.js';

describe('result schema', () => {
  it('schemas/result.schema.json matches src/results/schema.ts (regenerate: node scripts/write-schemas.mjs)', () => {
    expect(readFileSync(new URL('../schemas/result.schema.json', import.meta.url), 'utf8')).toBe(resultSchemaJson());
  });
  it('rejects a result missing required fields, naming them', () => {
    const problems = resultProblems({ schemaVersion: 1, status: 'pass' });
    expect(problems.join('\n')).toMatch(/must have required property 'runId'/);
    expect(resultProblems({ schemaVersion: 2 }).join('\n')).toMatch(/\/schemaVersion/);
  });
});

// esbuild failures as one clear line: file:line:column: message.

import { relative } from 'node:path';
import type { BuildFailure, Message } from 'esbuild';
import { UsageError } from '../util/errors.js';

export function formatMessage(m: Message, cwd: string): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${relative(cwd, loc.file) || loc.file}:${loc.line}:${loc.column + 1}: ${m.text}`;
}

export function compileError(e: unknown, cwd: string, what: string): never {
  const failure = e as Partial<BuildFailure>;
  const first = failure.errors?.[0];
  if (!first) throw e;
  const more = (failure.errors?.length ?? 1) - 1;
  throw new UsageError(
    `${what} does not compile: ${formatMessage(first, cwd)}${more > 0 ? ` (+${more} more)` : ''}`,
    'fix the error in the scenario file and run again',
  );
}

// Small helpers for the child processes a target runs as: a bounded tail of their output, their
// end in words, and a stop that runs once.

export { once } from '../util/once.js';

const TAIL_BYTES = 2000;

/** Keeps only the end of a stream: enough to explain a failure, bounded for long-lived children. */
export function tailOf(stream: NodeJS.ReadableStream | null): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
  });
  return () => tail.trim();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How a child ended, in words: a signal, an exit code, or why it never started. */
export function describeExit(r: { signal?: string; exitCode?: number; failed: boolean; shortMessage?: string }): string {
  if (r.signal) return `was killed by ${r.signal}`;
  if (r.exitCode !== undefined) return `exited with code ${r.exitCode}`;
  return `failed to start (${r.shortMessage ?? 'unknown reason'})`;
}

export function withTail(message: string, tail: string): string {
  return tail ? `${message}\n${tail}` : message;
}

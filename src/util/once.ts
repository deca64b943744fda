/** Runs `fn` once; later calls share the first call's promise (stop/cleanup functions). */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

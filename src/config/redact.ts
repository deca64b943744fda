// Scrubs secret values (the environment variables a profile references) from any text loadctl
// writes: k6 output, error messages, reports. Pure.

// Shorter values would match ordinary text ("on", "1234"...) and shred the output.
const MIN_SECRET_LENGTH = 4;

export function createRedactor(secretValues: readonly string[]): (text: string) => string {
  // Longest first, so a secret that contains another is replaced whole, not in pieces.
  const values = [...new Set(secretValues)]
    .filter((v) => v.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, '***');
}

/**
 * The values to scrub for the given env var names. The URL-encoded form is added when it
 * differs, because a token can reach output inside a query string or a logged URL.
 */
export function secretValuesFor(
  envRefs: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const values: string[] = [];
  for (const name of envRefs) {
    const value = env[name];
    if (!value) continue;
    values.push(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) values.push(encoded);
  }
  return values;
}

// Run ids sort by time and say what ran: 20261125-013012-spike-local. Pure.

export function makeRunId(now: Date, scenario: string, target: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = (s: string) => s.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 40);
  return `${stamp}-${slug(scenario)}-${slug(target)}`;
}

// k6's log lines, passed on to the user without flooding: each distinct message is shown a few
// times, then counted. A failing target makes k6 log one warning per request.

export interface LogFilter {
  push(line: string): string | null; // the line to show, or null
  suppressed(): number;
}

const KEEP_PER_MESSAGE = 3;

export function createLogFilter(redact: (s: string) => string): LogFilter {
  const seen = new Map<string, number>();
  let dropped = 0;
  return {
    push(line) {
      const msg = /msg="((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line;
      const key = msg.replace(/\d+/g, '#');
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n > KEEP_PER_MESSAGE) {
        dropped++;
        return null;
      }
      return redact(line);
    },
    suppressed: () => dropped,
  };
}

const UNREACHABLE = /connection refused|no such host|i\/o timeout|network is unreachable|connection reset/i;

/** True when k6's logs say requests could not reach the target at all. */
export function saysUnreachable(lines: string[]): boolean {
  return lines.some((l) => UNREACHABLE.test(l));
}

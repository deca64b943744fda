// Where a runner's log has been read up to, so a `kubectl logs --follow` that breaks off while the
// runner still runs (an API server restart, a dropped connection) can be picked up again without
// losing or repeating a line. Lines come with the container runtime's own timestamps
// (`kubectl logs --timestamps`, RFC 3339 with nanoseconds); the API takes `--since-time` only to the
// second, so a reconnect replays the whole last second and the cursor skips what it already passed.
// What it cannot see — lines the kubelet rotated into an older file before they were read — the
// final check against k6's own counters catches (jobs-run.ts). Pure.

interface Stamp {
  sec: number;
  nano: number;
}

function parseStamp(text: string): Stamp | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const sec = Date.parse(`${m[1]}${m[3]}`) / 1000;
  if (!Number.isFinite(sec)) return undefined;
  return { sec, nano: Number((m[2] ?? '').padEnd(9, '0')) };
}

function compare(a: Stamp, b: Stamp): number {
  return a.sec - b.sec || a.nano - b.nano;
}

export class LogCursor {
  private last: Stamp | undefined;
  private lastText = '';
  private atLast = 0; // lines passed that carry exactly `last`
  private replaySeen = 0;
  private replaying = false;
  /** Lines skipped as already passed (for the run's log). */
  skipped = 0;
  /** Lines whose timestamp could not be read: passed on, as the cursor cannot place them. */
  unstamped = 0;

  /** The content of a `--timestamps` line if it is new, or undefined if it was passed before. */
  accept(raw: string): string | undefined {
    const space = raw.indexOf(' ');
    const stamp = space > 0 ? parseStamp(raw.slice(0, space)) : undefined;
    if (!stamp) {
      this.unstamped++;
      return raw;
    }
    const line = raw.slice(space + 1);
    if (this.replaying && this.last) {
      const c = compare(stamp, this.last);
      if (c < 0) return this.skip();
      if (c === 0 && ++this.replaySeen <= this.atLast) return this.skip();
      this.replaying = false;
    }
    if (this.last && compare(stamp, this.last) === 0) this.atLast++;
    else {
      this.last = stamp;
      this.lastText = raw.slice(0, space);
      this.atLast = 1;
    }
    return line;
  }

  /** Call before following again: the `--since-time` to ask for, or undefined to read from the start. */
  reconnect(): string | undefined {
    this.replaying = this.last !== undefined;
    this.replaySeen = 0;
    return this.last ? this.lastText : undefined;
  }

  private skip(): undefined {
    this.skipped++;
    return undefined;
  }
}

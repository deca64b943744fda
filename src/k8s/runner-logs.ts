// A runner pod's log holds two things: loadctl's k6 output (stdout, one JSON object a line that
// starts with `{"v":`) and k6's own log lines (stderr, logfmt). Pure: a line in, which it is out.

export type LogLine = { kind: 'stream'; line: string } | { kind: 'k6'; line: string };

export function classifyRunnerLine(raw: string): LogLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  return line.startsWith('{"v":') ? { kind: 'stream', line } : { kind: 'k6', line };
}

/** "<pod> <exit code>" lines (kubectlArgs.exitCodes) → exit code by pod; a pod still running has none. */
export function parseExitCodes(text: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const l of text.split('\n')) {
    const [pod, code] = l.trim().split(/\s+/);
    if (!pod) continue;
    out.set(pod.replace(/^pod\//, ''), code !== undefined && /^\d+$/.test(code) ? Number(code) : null);
  }
  return out;
}

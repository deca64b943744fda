// A runner pod's log holds two things: k6's json sample stream (stdout, one JSON object a line:
// `{"type":"Metric",…}` declarations and `{"metric":…,"type":"Point",…}` samples; recorded streams of
// loadctl's former output start `{"v":`) and k6's own log lines (stderr, logfmt). Pure.

export type LogLine = { kind: 'stream'; line: string } | { kind: 'k6'; line: string };

export function classifyRunnerLine(raw: string): LogLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const stream = line.startsWith('{"metric":') || line.startsWith('{"type":"Metric"') || line.startsWith('{"v":');
  return stream ? { kind: 'stream', line } : { kind: 'k6', line };
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

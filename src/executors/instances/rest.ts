// k6's REST API, just enough to start paused instances together. k6 v2 serves it only with
// --address. `status` counts k6's execution stages; 4 is "paused before run": the VUs are
// initialised and the instance waits only for the resume.

export const PAUSED_BEFORE_RUN = 4;
const POLL_MS = 50;
// Initialising a large script's VUs can take a while on a busy machine; this only catches a hang.
const READY_WITHIN_MS = 300_000;

interface StatusBody {
  data?: { attributes?: { status?: number; paused?: boolean } };
}

async function status(port: number): Promise<StatusBody['data'] | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/status`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return undefined;
    return ((await res.json()) as StatusBody).data;
  } catch {
    return undefined; // not listening yet
  }
}

/** True once every instance waits paused with its VUs ready; false if one exits first. */
export async function waitAllPaused(ports: number[], exited: Promise<unknown>): Promise<boolean> {
  let over = false;
  void exited.then(() => { over = true; });
  const ready = new Set<number>();
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!over) {
    for (const port of ports) {
      if (ready.has(port)) continue;
      const s = await status(port);
      if ((s?.attributes?.status ?? -1) >= PAUSED_BEFORE_RUN && s?.attributes?.paused) ready.add(port);
    }
    if (ready.size === ports.length) return !over;
    if (Date.now() > deadline) throw new Error(`${ports.length - ready.size} of ${ports.length} instances were not ready within ${READY_WITHIN_MS / 1000}s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return false;
}

export async function resumeAll(ports: number[]): Promise<void> {
  const body = JSON.stringify({ data: { type: 'status', id: 'default', attributes: { paused: false } } });
  await Promise.all(
    ports.map(async (port) => {
      const res = await fetch(`http://127.0.0.1:${port}/v1/status`, { method: 'PATCH', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`instance on port ${port} answered ${res.status} to the resume: ${(await res.text()).slice(0, 200)}`);
    }),
  );
}

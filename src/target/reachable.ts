// Preflight for a target loadctl does not start: is anything listening at all?
import net from 'node:net';
import { TargetError } from '../util/errors.js';

/** Preflight: can we open a TCP connection to the target at all? Fails fast with a clear message. */
export async function checkReachable(baseUrl: string, timeoutMs = 3000): Promise<void> {
  const hint = 'start the service, or check baseUrl in the profile';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TargetError(`target ${baseUrl} is not a valid URL`, hint);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    let settled = false;
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(new TargetError(`target ${url.href} is unreachable: ${err.message}`, hint));
      else resolve();
    };
    // Our own timer, since the socket's idle timeout does not cover the DNS lookup.
    const timer = setTimeout(() => finish(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => finish());
    socket.on('error', finish);
  });
}

// Process groups: a target started by loadctl runs in its own group, so stopping it reaches
// whatever it started, however deep.
import { readdirSync, readFileSync } from 'node:fs';

/** Signals a whole process group; false when no member is left. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any live process remains in a group. Zombies are not live, but kill(-pgid, 0) counts them,
 * and where nothing reaps orphans promptly (containers without an init) they linger; so on Linux the
 * group is read from /proc, elsewhere the signal probe has to do.
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return signalGroup(pgid, 0);
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after it.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

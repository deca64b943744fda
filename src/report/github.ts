// GitHub Actions workflow commands: failed checks become error annotations, inconclusive ones
// warnings. Pure: returns the lines for the CLI to print on stdout.

import { formatValue } from '../util/format.js';
import type { Check, RunResult } from '../results/types.js';

export function githubAnnotations(r: RunResult): string[] {
  const lines: string[] = [];
  if (r.status === 'error' || r.status === 'interrupted') {
    lines.push(command('error', `loadctl ${r.scenario} → ${r.target}: run ${r.status}`, r.reason ?? `the run ended with status ${r.status}`));
  }
  for (const c of r.checks) {
    if (c.status === 'pass') continue;
    const level = c.status === 'fail' ? 'error' : 'warning';
    const what = c.status === 'fail' ? 'failed' : 'inconclusive';
    lines.push(command(level, `loadctl ${r.scenario} → ${r.target}: ${c.name} ${what}`, message(c)));
  }
  return lines;
}

function message(c: Check): string {
  const measured = c.measured === null ? 'nothing measured' : `measured ${formatValue(c.measured, c.unit)}`;
  return `${c.reason ?? c.name} (limit ${c.limit}, ${measured})`;
}

function command(level: 'error' | 'warning', title: string, msg: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(msg)}`;
}

// As @actions/core escapes them: data needs %, CR and LF encoded; properties also : and ,.
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

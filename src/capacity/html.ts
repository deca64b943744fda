// report.html's parts for capacity runs and probes: the per-step table, and the data and cards of
// the achieved-vs-offered chart and one chart per probe series (drawn by html-charts.ts). Pure.
import type { RunResult } from '../results/types.js';
import { capacityHeadline, STEP_HEADER, stepCells } from './rows.js';

export interface ScalingChartData {
  capacity?: { offered: number[]; achieved: number[]; capacity: number | null };
  // t: seconds from the run's start (probes sample on the wall clock; the charts' 0 is the first
  // k6 sample, which follows the run's start by k6's start-up, well under a second here).
  probes?: { name: string; t: number[]; values: (number | null)[]; gaps: number }[];
}

export function scalingChartData(r: RunResult): ScalingChartData {
  const out: ScalingChartData = {};
  if (r.scaling) {
    const steps = [...r.scaling.analysis.steps].sort((a, b) => a.offered - b.offered);
    out.capacity = { offered: steps.map((s) => s.offered), achieved: steps.map((s) => s.achievedRps), capacity: r.scaling.analysis.capacity };
  }
  if (r.probes?.length) {
    const t0 = Date.parse(r.startedAt);
    out.probes = r.probes.map((p) => ({
      name: p.name,
      t: p.points.map((pt) => Math.max(0, pt.atMs - t0) / 1000),
      values: p.points.map((pt) => pt.value),
      gaps: p.points.filter((pt) => pt.value === null).length,
    }));
  }
  return out;
}

/** Chart cards for the charts section; ids match html-charts.ts. */
export function scalingCards(r: RunResult, card: (id: string, heading: string) => string, esc: (s: string) => string): string {
  const cards: string[] = [];
  if (r.scaling) cards.push(card('capacity', 'Achieved vs offered rate (req/s per step)'));
  (r.probes ?? []).forEach((p, i) => {
    const gaps = p.points.filter((pt) => pt.value === null).length;
    cards.push(card(`probe-${i}`, `Probe: ${esc(p.name)} (${p.type}${gaps ? `, ${gaps} gap${gaps === 1 ? '' : 's'}` : ''})`));
  });
  return cards.join('\n');
}

/** The per-step table, after the checks. */
export function capacitySection(r: RunResult, esc: (s: string) => string): string {
  if (!r.scaling) return '';
  const head = STEP_HEADER.map((h, i) => `<th${i > 0 && i < STEP_HEADER.length - 1 ? ' class="n"' : ''}>${esc(h)}</th>`).join('');
  const rows = stepCells(r.scaling).map((s) => {
    const cells = s.cells.slice(0, -1).map((c, i) => `<td${i > 0 ? ' class="n"' : ''}>${esc(c)}</td>`).join('');
    const pill = `<span class="pill ${s.verdict === 'sustained' ? 'pass' : 'fail'}">${esc(s.cells.at(-1)!)}</span>`;
    const title = s.reason ? ` title="${esc(s.reason)}"` : '';
    return `<tr class="${s.verdict === 'sustained' ? 'pass' : 'fail'}">${cells}<td${title}>${pill}${s.reason ? ` ${esc(s.reason)}` : ''}</td></tr>`;
  });
  return `<section class="card" id="capacity"><h2>Capacity</h2><p>${esc(capacityHeadline(r.scaling))}</p><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

// The one set of number and text formatters every renderer and judge reason uses. Pure.

import type { Check } from '../results/types.js';

/** A measured value in its unit, as people read it: "12.3 ms", "0.50%", "41.0 req/s". */
export function formatValue(v: number, unit: Check['unit']): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(v * 100 < 1 ? 2 : 1)}%`;
  if (unit === 'req/s') return `${v.toFixed(1)} req/s`;
  if (unit === '/s') return `${plainNumber(v)}/s`;
  if (unit === 'number') return plainNumber(v);
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ms`;
}

// A count, a gauge's value, a rate per second: whole numbers as they are, others to 3 significant digits.
function plainNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

/** 1234567 → "1,234,567". */
export const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Milliseconds as seconds with one decimal: "12.3 s". */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A signed percentage change: "+3.2%". */
export const signedPct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

/** Text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

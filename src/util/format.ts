// The one set of number and text formatters every renderer and judge reason uses. Pure.

/** The units a check or metric value is stated in (count: a plain number; B: bytes; /s: per second). */
export type Unit = 'ms' | 'ratio' | 'req/s' | 'count' | 'B' | '/s';

/** A measured value in its unit, as people read it: "12.3 ms", "0.50%", "41.0 req/s". */
export function formatValue(v: number, unit: Unit): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(v * 100 < 1 ? 2 : 1)}%`;
  if (unit === 'req/s') return `${v.toFixed(1)} req/s`;
  if (unit === 'count') return plain(v);
  if (unit === '/s') return `${plain(v)}/s`;
  if (unit === 'B') return bytes(v);
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ms`;
}

/** A number as people read it: whole numbers grouped, others to 3 significant digits. */
export function plain(v: number): string {
  if (Number.isInteger(v)) return thousands(v);
  const a = Math.abs(v);
  return a >= 1000 ? thousands(Math.round(v)) : String(Number(v.toPrecision(3)));
}

/** Bytes with a binary prefix: "1.5 MiB". */
export function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(x)} B` : `${x.toFixed(1)} ${units[i]}`;
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

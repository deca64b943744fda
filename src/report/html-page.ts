// The frame every self-contained page shares (report.html, the history page): its head with a
// strict CSP, its CSS, and safe inlining of data and library text. Pure.
import { escapeHtml as esc } from '../util/format.js';
import type { ChartAssets } from './html-types.js';

/**
 * The start of a self-contained page up to </head>: no network (a strict CSP), the chart library's
 * CSS and the page's own inlined. Shared by report.html and the history page.
 */
export function pageHead(title: string, assets: ChartAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${rawText(assets.chartCss ?? '', 'style')}</style>
<style>${PAGE_CSS}</style>
</head>`;
}

/** JSON inside <script>: escaping `<` keeps `</script>` and `<!--` in the data from ending it early. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Library text inlined as raw text: only a closing tag could end the element early. */
export function rawText(s: string, tag: 'script' | 'style'): string {
  return s.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

export const PAGE_CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
.banner{display:flex;gap:24px;align-items:center;padding:20px 32px;color:#fff}
.banner.pass{background:var(--ok)}.banner.fail,.banner.error{background:var(--bad)}.banner.inconclusive,.banner.interrupted{background:var(--warn)}
.banner .word{font-size:30px;font-weight:700;letter-spacing:.04em;padding:4px 16px;border:2px solid rgba(255,255,255,.7);border-radius:8px}
.banner h1{margin:0;font-size:22px;font-weight:600}.banner p{margin:2px 0 0;opacity:.92}
main{max-width:1280px;margin:0 auto;padding:16px 32px 48px}
.sub{color:var(--muted);margin:0 0 16px}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:1px 5px;border-radius:4px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px;margin-bottom:16px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.tile span{display:block;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.tile b{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px;margin-bottom:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin-bottom:16px;overflow-x:auto}
.charts .card{margin:0}
h2{font-size:15px;margin:0 0 10px;font-weight:600}
.plot{min-height:250px}
.split{display:grid;grid-template-columns:1fr 1fr;gap:32px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eaeef2;white-space:nowrap}
th{color:var(--muted);font-weight:500;font-size:12px}
td.n,th.n{text-align:right}td.why{white-space:normal;color:var(--muted)}
tr.total td{font-weight:600}tr.fail td.m{color:var(--bad);font-weight:600}
.pill{display:inline-block;min-width:44px;text-align:center;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.pill.pass{background:var(--ok)}.pill.fail{background:var(--bad)}.pill.inconclusive{background:var(--warn)}.pill.improved{background:#0969da}
details summary{cursor:pointer;color:var(--muted);margin-top:8px}.card p.note{color:var(--muted);margin:8px 0 0;font-size:12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{color:var(--muted)}dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.empty{color:var(--muted);margin:0}
.uplot{width:100%}.u-legend{font-size:12px}
@media (max-width:720px){.split{grid-template-columns:1fr}.charts{grid-template-columns:1fr}main{padding:12px}}
`;

// One JUnit test case per check, so CI systems show each SLA rule as a test; the baseline checks
// go in a second suite, `<suite>.baseline`, so CI tools group them. Pure: returns text.
//
// Every check judges the whole run, so the run's duration goes on the suite and each case gets
// time="0": giving each case the full duration would make CI tools sum N × the run.

import { formatValue } from '../util/format.js';
import type { Check, RunResult } from '../results/types.js';
import { baselineChecks, baselineRow, slaChecks } from './baseline-rows.js';

export function renderJunit(r: RunResult): string {
  const sla = slaChecks(r);
  const base = baselineChecks(r);
  const cases = sla.map((c) => checkCase(r, c));
  const runFailed = r.status === 'error' || r.status === 'interrupted';
  if (runFailed) {
    const message = r.reason ?? (r.status === 'error' ? 'the run failed' : 'the run was interrupted');
    const detail = `status: ${r.status}\nk6 exit code: ${r.k6.exitCode ?? 'none'}${r.k6.signal ? `\nsignal: ${r.k6.signal}` : ''}`;
    cases.unshift(testcase(r, 'run completed', `<error message="${attr(message)}" type="${r.status}">${text(detail)}</error>`));
  } else if (cases.length === 0) {
    const note = base.length ? 'no SLA checks are configured for this run; the baseline checks are in the next suite' : 'no checks are configured for this run';
    cases.push(testcase(r, 'run completed', `<system-out>${note}</system-out>`));
  }
  const name = `loadctl.${r.scenario}.${r.target}`;
  const suites = [suite(r, name, cases, sla, runFailed ? 1 : 0, r.durationMs)];
  // The baseline checks judge the same run: their suite gets time 0 so CI tools do not count it twice.
  if (base.length > 0) suites.push(suite(r, `${name}.baseline`, base.map((c) => checkCase(r, c)), base, 0, 0));
  const sum = (k: keyof Totals) => suites.reduce((n, s) => n + s.totals[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="loadctl" ${totalsAttrs({ tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped'), ms: r.durationMs })}>`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Totals {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  ms: number;
}

function totalsAttrs(t: Totals): string {
  return `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}" time="${(t.ms / 1000).toFixed(3)}"`;
}

function suite(r: RunResult, name: string, cases: string[], checks: Check[], errors: number, ms: number): { xml: string; totals: Totals } {
  const count = (s: Check['status']) => checks.filter((c) => c.status === s).length;
  const totals: Totals = { tests: cases.length, failures: count('fail'), errors, skipped: count('inconclusive'), ms };
  const props: [string, string | undefined][] = [
    ['runId', r.runId],
    ['status', r.status],
    ['baseUrl', r.baseUrl],
    ['loadctlVersion', r.meta.loadctlVersion],
    ['k6Version', r.meta.k6Version],
    ['gitSha', r.meta.gitSha],
    ['planHash', r.meta.planHash],
  ];
  const xml = [
    `  <testsuite name="${attr(name)}" ${totalsAttrs(totals)} timestamp="${attr(r.startedAt)}"${r.meta.host ? ` hostname="${attr(r.meta.host)}"` : ''}>`,
    '    <properties>',
    ...props.filter(([, v]) => v !== undefined).map(([k, v]) => `      <property name="${k}" value="${attr(v!)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { xml, totals };
}

function checkCase(r: RunResult, c: Check): string {
  const measured = c.measured === null ? 'none' : formatValue(c.measured, c.unit);
  let numbers = `limit: ${c.limit} (${c.limitValue})\nmeasured: ${measured}${c.measured === null ? '' : ` (${c.measured})`}\nkind: ${c.kind}, scope: ${c.scope}, metric: ${c.metric}`;
  // Baseline checks: the comparison itself, short in the message, in full in the body.
  let vs = `limit ${c.limit}, measured ${measured}`;
  const b = c.baseline;
  if (b) {
    const row = baselineRow(c);
    vs = `baseline median ${row.median}, spread ${row.spread} over ${b.runs} runs, this run ${row.candidate}, change ${row.change}, p ${row.p === '-' ? 'n/a' : `= ${row.p}`}`;
    numbers +=
      `\nbaseline median: ${row.median} (${b.median})\nbaseline spread: ${row.spread} (${b.spread[0]}..${b.spread[1]}), ${b.runs} runs\n` +
      `candidate: ${row.candidate} (${b.candidate}), ${b.candidates} run(s)\nchange: ${row.change} (tolerance ${b.tolerancePct}%)\n` +
      `p-value: ${b.pValue ?? 'none'}\nconfidence: ${row.confidence}\ndirection: ${b.direction}\nmethod: ${b.method}`;
  }
  switch (c.status) {
    case 'pass':
      return testcase(r, c.name, `<system-out>${text(numbers)}</system-out>`);
    case 'fail': {
      const message = `${c.reason ?? `${c.name} failed`} (${vs})`;
      return testcase(r, c.name, `<failure message="${attr(message)}" type="${c.kind}">${text(numbers)}</failure>`);
    }
    case 'inconclusive': {
      const message = `inconclusive: ${c.reason ?? 'not enough data'}${b ? ` (${vs})` : ''}`;
      return testcase(r, c.name, `<skipped message="${attr(message)}"/>`);
    }
  }
}

function testcase(r: RunResult, name: string, body: string): string {
  return `    <testcase classname="${attr(`loadctl.${r.scenario}`)}" name="${attr(name)}" time="0">\n      ${body}\n    </testcase>`;
}

// XML 1.0 forbids most control characters even when escaped; drop them so the file always parses.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(s: string): string {
  return s.replace(INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values: also quotes, and line breaks as character references so parsers keep them. */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

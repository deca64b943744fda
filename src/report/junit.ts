// One JUnit test case per check, so CI systems show each SLA rule as a test. Pure: returns text.
//
// Every check judges the whole run, so the run's duration goes on the suite and each case gets
// time="0": giving each case the full duration would make CI tools sum N × the run.

import { formatValue } from '../judge/sla.js';
import type { Check, RunResult } from '../results/types.js';

export function renderJunit(r: RunResult): string {
  const cases = r.checks.map((c) => checkCase(r, c));
  const runFailed = r.status === 'error' || r.status === 'interrupted';
  if (runFailed) {
    const message = r.reason ?? (r.status === 'error' ? 'the run failed' : 'the run was interrupted');
    const detail = `status: ${r.status}\nk6 exit code: ${r.k6.exitCode ?? 'none'}${r.k6.signal ? `\nsignal: ${r.k6.signal}` : ''}`;
    cases.unshift(testcase(r, 'run completed', `<error message="${attr(message)}" type="${r.status}">${text(detail)}</error>`));
  } else if (cases.length === 0) {
    cases.push(testcase(r, 'run completed', '<system-out>no checks are configured for this run</system-out>'));
  }
  const count = (s: Check['status']) => r.checks.filter((c) => c.status === s).length;
  const totals =
    `tests="${cases.length}" failures="${count('fail')}" errors="${runFailed ? 1 : 0}" ` +
    `skipped="${count('inconclusive')}" time="${(r.durationMs / 1000).toFixed(3)}"`;
  const props: [string, string | undefined][] = [
    ['runId', r.runId],
    ['status', r.status],
    ['baseUrl', r.baseUrl],
    ['loadctlVersion', r.meta.loadctlVersion],
    ['k6Version', r.meta.k6Version],
    ['gitSha', r.meta.gitSha],
    ['planHash', r.meta.planHash],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="loadctl" ${totals}>`,
    `  <testsuite name="${attr(`loadctl.${r.scenario}.${r.target}`)}" ${totals} timestamp="${attr(r.startedAt)}"${r.meta.host ? ` hostname="${attr(r.meta.host)}"` : ''}>`,
    '    <properties>',
    ...props.filter(([, v]) => v !== undefined).map(([k, v]) => `      <property name="${k}" value="${attr(v!)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function checkCase(r: RunResult, c: Check): string {
  const measured = c.measured === null ? 'none' : formatValue(c.measured, c.unit);
  const numbers = `limit: ${c.limit} (${c.limitValue})\nmeasured: ${measured}${c.measured === null ? '' : ` (${c.measured})`}\nkind: ${c.kind}, scope: ${c.scope}, metric: ${c.metric}`;
  switch (c.status) {
    case 'pass':
      return testcase(r, c.name, `<system-out>${text(numbers)}</system-out>`);
    case 'fail': {
      const message = `${c.reason ?? `${c.name} failed`} (limit ${c.limit}, measured ${measured})`;
      return testcase(r, c.name, `<failure message="${attr(message)}" type="${c.kind}">${text(numbers)}</failure>`);
    }
    case 'inconclusive':
      return testcase(r, c.name, `<skipped message="${attr(`inconclusive: ${c.reason ?? 'not enough data'}`)}"/>`);
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

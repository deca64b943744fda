// A demo-target profile with a given delay, for the gate and compare tests (issue 15): reads and
// creates, a lenient error limit, so only the latency difference between two profiles matters.
export const delayProfile = (delayMs: number): string =>
  [
    `demo: { delayMs: ${delayMs}, jitterMs: 4 }`,
    'workload:',
    '  thinkTimeMs: 20',
    '  requests:',
    '    - { name: read-item, path: /items/42, weight: 6 }',
    '    - { name: create-item, method: POST, path: /items, body: { name: x }, expect: 201, weight: 2 }',
    'sla: { errorRate: 0.05 }',
    '',
  ].join('\n');

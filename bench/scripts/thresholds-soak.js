// A plain k6 script with thresholds, for bench/k6-rss.mjs --script: run bare, k6 keeps every Trend
// sample to evaluate them; under loadctl, k6 runs with --no-thresholds and loadctl judges them.
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Trend } from 'k6/metrics';

const work = new Trend('work_ms', true);

export const options = {
  vus: Number(__ENV.VUS || 10),
  duration: __ENV.DURATION || '60s',
  thresholds: {
    http_req_duration: ['p(95)<1000', 'p(99)<2000'],
    'http_req_duration{name:read-item}': ['p(95)<1000'],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    work_ms: ['p(95)<1000'],
  },
};

export default function () {
  const r = http.get(`${__ENV.BASE_URL}/items/42`, { tags: { name: 'read-item' } });
  check(r, { 'status is 200': (x) => x.status === 200 });
  work.add(r.timings.waiting);
  sleep(Number(__ENV.THINK_MS || 20) / 1000);
}

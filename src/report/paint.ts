// A run's status words, and the colour interface renderers take (util/paint.ts).

export { plain, type Paint } from '../util/paint.js';

/** A run status as one word in capitals, for headlines. */
export const STATUS_WORD: Record<import('../results/types.js').RunStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
};

// A seeded pseudo-random generator (mulberry32): the permutation tests must give the same answer
// for the same data on every machine and every run, so they never draw from Math.random. Pure.

export type Random = () => number; // uniform in [0, 1)

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function gaussian(rand: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A 32-bit FNV-1a hash of numbers, to seed a generator from the data it will test. */
export function seedOf(values: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    const s = v.toPrecision(12);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

// Seeded random numbers (mulberry32): small, fast, and the same sequence for the same seed, so fits,
// generated data and Monte Carlo checks can be replayed exactly. The one generator of the project
// outside the routing engine, whose rng.ts carries the search's own needs.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

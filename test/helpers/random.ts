// Seeded random numbers for Monte Carlo checks (tests only): mulberry32, Box-Muller normals and
// Marsaglia-Tsang gamma variates, so a failing check can be replayed exactly.
export { mulberry32 as rng } from '../../src/platform/util/random.ts';

export function normal(u: () => number): number {
  let x = 0;
  while (x === 0) x = u();
  return Math.sqrt(-2 * Math.log(x)) * Math.cos(2 * Math.PI * u());
}

/** Gamma(shape, scale 1). */
export function gamma(u: () => number, shape: number): number {
  if (shape < 1) return gamma(u, shape + 1) * Math.pow(u() || 1e-300, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(u);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const w = u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function exponential(u: () => number, rate: number): number {
  return -Math.log(1 - u()) / rate;
}

// Poisson weights for uniformization: the probabilities P(N = j) of N ~ Poisson(a) and the tail
// integrals that turn an accumulated reward into a sum over jumps. Hand-written: a few lines, and
// the callers keep `a` small (steps are split so that a <= MAX_UNIFORM_MEAN), so e^-a never
// underflows and a plain forward recursion is exact to rounding.

/** Steps are split so that the uniformized mean number of jumps per piece stays at most this. */
export const MAX_UNIFORM_MEAN = 40;

/** Truncation: stop once the Poisson mass left is below this (the error in every probability). */
export const TAIL_EPSILON = 1e-13;

export interface PoissonWeights {
  /** pmf[j] = P(N = j), j = 0..terms-1. */
  pmf: Float64Array;
  /** tail[j] = P(N > j) = 1 - F(j): the expected time fraction spent after jump j, times the rate. */
  tail: Float64Array;
  terms: number;
}

/** Weights of Poisson(a) up to the point where less than `epsilon` mass is left. */
export function poissonWeights(a: number, epsilon = TAIL_EPSILON): PoissonWeights {
  if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`poisson mean must be finite and >= 0, got ${a}`);
  if (a > 700) throw new RangeError(`poisson mean ${a} too large: split the step first`);
  const pmfs: number[] = [];
  const tails: number[] = [];
  let p = Math.exp(-a);
  let cdf = 0;
  for (let j = 0; ; j++) {
    if (j > 0) p *= a / j;
    cdf += p;
    pmfs.push(p);
    const tail = Math.max(0, 1 - cdf);
    tails.push(tail);
    // Past the mode the pmf falls; stop when the mass left is negligible.
    if (tail < epsilon && j >= a) break;
    if (j > 10_000) throw new Error('poisson weights did not converge');
  }
  return { pmf: Float64Array.from(pmfs), tail: Float64Array.from(tails), terms: pmfs.length };
}

/** Capacity of the buffers `poissonWeightsInto` needs for a <= MAX_UNIFORM_MEAN (with room). */
export const WEIGHT_BUFFER = 256;

/**
 * The same weights written into caller-owned buffers (no allocation on the hot path); returns the
 * number of terms. Requires a <= MAX_UNIFORM_MEAN.
 */
export function poissonWeightsInto(a: number, pmf: Float64Array, tail: Float64Array, epsilon = TAIL_EPSILON): number {
  if (!(a >= 0 && a <= MAX_UNIFORM_MEAN)) throw new RangeError(`poisson mean must be in [0, ${MAX_UNIFORM_MEAN}], got ${a}`);
  let p = Math.exp(-a);
  let cdf = 0;
  for (let j = 0; j < pmf.length; j++) {
    if (j > 0) p *= a / j;
    cdf += p;
    pmf[j] = p;
    const t = 1 - cdf;
    tail[j] = t > 0 ? t : 0;
    if (t < epsilon && j >= a) return j + 1;
  }
  throw new Error('poisson weight buffer too small');
}

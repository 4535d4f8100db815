// The negative binomial predictive distribution (NB2: variance = mu + mu^2 / size) and the
// "randomised" continuous version used for intervals and calibration of counts.
//
// Counts are discrete, so an integer interval [F^-1(0.1), F^-1(0.9)] covers more than 80% whenever
// the rate is small. We therefore report quantiles of Z = Y + U (U uniform on [0, 1)), whose
// distribution is continuous; Z's quantiles are exact, and the expected coverage of an outcome y is
// the share of [y, y + 1) inside the interval (the randomised PIT of Czado, Gneiting & Held 2009).
// Stage 3 should use (mu, size) directly.
//
// Why the pmf recursions below are hand-written while the special functions come from @stdlib:
// bench/library-stats.ts times both on the Bay Wheels station-hours (669 k, mean count 0.37): the
// library's NB cdf is 11.4x slower (it evaluates an incomplete beta where a station-hour needs a
// few pmf terms), its quantile 14.6x, its log pmf 2.5x, for the same values (0 for the median; the
// cdf's 1.4e-7 and the log pmf's 4e-5 are this file's Poisson switch at size 1e6). log-gamma (as fast: 1.01-1.15x) and the normal cdf and quantile (exact
// where the hand-written ones erred by 7e-8 and 6e-9; 1.2-2.2x slower per call, but only reached
// above a mean of 400, never by a station-hour) are the library's.
import gammaln from '@stdlib/math-base-special-gammaln';
import normCdf from '@stdlib/stats-base-dists-normal-cdf';
import normQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** size above which the distribution is treated as Poisson. */
export const POISSON_SIZE = 1e6;
/** Above this mean, a normal approximation replaces summing the pmf. */
const NORMAL_MU = 400;

export interface NegBin {
  mu: number;
  size: number;
}

/** P(Y <= y) for integer y >= -1 (F(-1) = 0). Sums the pmf: fine for the counts of a station-hour. */
export function nbCdf(y: number, mu: number, size: number): number {
  if (y < 0) return 0;
  if (mu <= 0) return 1;
  if (mu > NORMAL_MU) return normCdf(y + 0.5, mu, Math.sqrt(mu + (mu * mu) / size));
  let p = pmf0(mu, size);
  let c = p;
  const ratio = mu / (size + mu);
  for (let k = 0; k < y; k++) {
    p *= size >= POISSON_SIZE ? mu / (k + 1) : ((k + size) / (k + 1)) * ratio;
    c += p;
    if (c >= 1) return 1;
  }
  return Math.min(1, c);
}

function pmf0(mu: number, size: number): number {
  return size >= POISSON_SIZE ? Math.exp(-mu) : Math.exp(size * Math.log(size / (size + mu)));
}

/** Quantile of the randomised count Z = Y + U at level p in (0, 1). */
export function nbRandomisedQuantile(p: number, mu: number, size: number): number {
  if (mu <= 0) return p;
  if (mu > NORMAL_MU) {
    return Math.max(0, normQuantile(p, mu + 0.5, Math.sqrt(mu + (mu * mu) / size)));
  }
  let pk = pmf0(mu, size);
  let below = 0;
  const ratio = mu / (size + mu);
  for (let k = 0; k < 100_000; k++) {
    if (below + pk >= p || pk === 0 && k > mu * 10 + 50) return k + (pk > 0 ? (p - below) / pk : 0);
    below += pk;
    pk *= size >= POISSON_SIZE ? mu / (k + 1) : ((k + size) / (k + 1)) * ratio;
  }
  return Number.POSITIVE_INFINITY;
}

/** Several randomised quantiles at once (levels ascending), one pass over the pmf. */
export function nbRandomisedQuantiles(levels: readonly number[], mu: number, size: number, out: Float64Array): void {
  if (mu <= 0 || mu > NORMAL_MU) {
    for (let i = 0; i < levels.length; i++) out[i] = nbRandomisedQuantile(levels[i]!, mu, size);
    return;
  }
  let pk = pmf0(mu, size);
  let below = 0;
  const ratio = mu / (size + mu);
  let i = 0;
  for (let k = 0; i < levels.length && k < 100_000; k++) {
    while (i < levels.length && below + pk >= levels[i]!) {
      out[i] = k + (pk > 0 ? (levels[i]! - below) / pk : 0);
      i++;
    }
    below += pk;
    pk *= size >= POISSON_SIZE ? mu / (k + 1) : ((k + size) / (k + 1)) * ratio;
    if (pk === 0 && k > mu * 10 + 50) break;
  }
  for (; i < levels.length; i++) out[i] = Number.POSITIVE_INFINITY;
}

/** Integer quantile: the smallest y with F(y) >= p. */
export function nbQuantile(p: number, mu: number, size: number): number {
  return Math.floor(nbRandomisedQuantile(p, mu, size));
}

/** Expected share of the randomised outcome [y, y+1) that lies in [lo, hi]. */
export function randomisedCoverage(y: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(y + 1, hi) - Math.max(y, lo));
}

/** Log pmf, for likelihoods. */
export function nbLogPmf(y: number, mu: number, size: number): number {
  if (mu <= 0) return y === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (size >= POISSON_SIZE) return y * Math.log(mu) - mu - gammaln(y + 1);
  return (
    gammaln(y + size) - gammaln(size) - gammaln(y + 1) + size * Math.log(size / (size + mu)) + y * Math.log(mu / (size + mu))
  );
}

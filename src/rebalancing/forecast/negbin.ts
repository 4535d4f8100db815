// The negative binomial predictive distribution (NB2: variance = mu + mu^2 / size) and the
// "randomised" continuous version used for intervals and calibration of counts.
//
// Counts are discrete, so an integer interval [F^-1(0.1), F^-1(0.9)] covers more than 80% whenever
// the rate is small. We therefore report quantiles of Z = Y + U (U uniform on [0, 1)), whose
// distribution is continuous; Z's quantiles are exact, and the expected coverage of an outcome y is
// the share of [y, y + 1) inside the interval (the randomised PIT of Czado, Gneiting & Held 2009).
// Stage 3 should use (mu, size) directly.

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
  if (mu > NORMAL_MU) return normalCdf((y + 0.5 - mu) / Math.sqrt(mu + (mu * mu) / size));
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
    return Math.max(0, mu + 0.5 + normalQuantile(p) * Math.sqrt(mu + (mu * mu) / size));
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
  if (size >= POISSON_SIZE) return y * Math.log(mu) - mu - logGamma(y + 1);
  return (
    logGamma(y + size) - logGamma(size) - logGamma(y + 1) + size * Math.log(size / (size + mu)) + y * Math.log(mu / (size + mu))
  );
}

// Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

export function normalCdf(z: number): number {
  // Abramowitz-Stegun 7.1.26 via erf; error < 1.5e-7.
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** Acklam's inverse normal CDF (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

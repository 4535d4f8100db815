// How much room is there? The error a forecast would make even if it were right about everything
// it can know: the expected MAE of the median and the expected RMSE of the mean when the outcome is
// drawn from a given predictive distribution. Three floors per scored row (mu, size of NB2):
//  - `nb`: Y ~ NB(mu, size), the forecast's own distribution. A calibrated forecast should score
//    about this; it is the floor of *this* forecast (its median is the best point it has).
//  - `poisson`: Y ~ Poisson(mu): the same rates with no overdispersion.
//  - `oracle`: NB(mu, size) is a Poisson whose rate is Gamma(size, mu / size)-distributed. An oracle
//    that knew each hour's rate exactly would forecast the Poisson median of that rate; this is its
//    expected MAE, averaged over the gamma. It is the floor of *any* forecaster if all the
//    overdispersion the forecast admits were knowable rate variation (it is not all: riders in
//    groups make counts overdispersed even at a known rate), so the true floor lies between
//    `oracle` and `nb`.
//  - `clustered`: riders come in groups (the status data show it: at quiet stations about 11% of
//    pickup moves are 2 or more bikes within one ~10 min snapshot, where independent riders would
//    make 1-3%). Y is then compound Poisson: batches at rate mu / E[B], sizes from a measured batch
//    law. This is the `poisson` floor made honest about groups: even exact rates leave it.
//  - `oracle_clustered`: the oracle again, but facing groups: of the NB's extra variance, what the
//    batch law explains is noise, only the rest is rate variation it can know. The lowest of these
//    floors that the data (group sizes, the calibrated NB) support.
// RMSE: the mean's expected squared error is the variance. NB: mu + mu^2/size; Poisson and oracle
// alike: mu (E Var(Y | rate) = E rate = mu), so they share one figure; with groups fano * mu, for
// the oracle too (E Var(Y | rate) = fano * E rate), so floor_rmse_clustered bounds any forecast
// whose mean is right on average.
import gammaln from '@stdlib/math-base-special-gammaln';
import { nbCdf, nbLogPmf, nbQuantile, POISSON_SIZE } from './negbin.ts';

export interface NoiseFloor {
  n: number;
  /** Expected MAE of the (integer) median under each outcome distribution. */
  floor_mae_nb: number;
  floor_mae_poisson: number;
  floor_mae_oracle: number;
  /** Expected RMSE of the mean: sqrt(mean variance). */
  floor_rmse_nb: number;
  floor_rmse_poisson: number;
  /** Compound Poisson with the batch law (only when one is given): MAE of its median, sqrt(mean variance). */
  floor_mae_clustered?: number;
  /** The oracle of every hour's rate when riders come in groups (oracleClusteredMedianAbsDev): between floor_mae_oracle and floor_mae_clustered. */
  floor_mae_oracle_clustered?: number;
  floor_rmse_clustered?: number;
  /** Share of rows whose NB median is 0: there the median's MAE is the outcome itself, whatever the rate below ln 2. */
  median_zero_share: number;
}

/** Batch law: law[k - 1] = P(a group of k bikes); need not be normalised. */
export type BatchLaw = ArrayLike<number>;

/** Per-row batch laws: row i uses laws[group[i]]. */
export interface Batches {
  laws: BatchLaw[];
  group: ArrayLike<number>;
}

function normalised(law: BatchLaw): { q: Float64Array; mean: number; fano: number } {
  let s = 0, m1 = 0, m2 = 0;
  for (let k = 0; k < law.length; k++) s += law[k]!;
  if (!(s > 0)) throw new Error('batch law: no mass');
  const q = Float64Array.from(law, (v) => v / s);
  for (let k = 0; k < q.length; k++) { m1 += (k + 1) * q[k]!; m2 += (k + 1) ** 2 * q[k]!; }
  return { q, mean: m1, fano: m2 / m1 };
}

/**
 * E|Y - median(Y)| for Y compound Poisson with mean mu: batches at rate mu / E[B], sizes from
 * `law`. Panjer's recursion f(k) = (nu / k) sum_j j q_j f(k - j), up to the median only.
 */
export function compoundPoissonMedianAbsDev(mu: number, law: BatchLaw): number {
  if (mu <= 0) return 0;
  const { q, mean } = normalised(law);
  const nu = mu / mean;
  const f: number[] = [Math.exp(-nu)];
  const F: number[] = [f[0]!];
  while (F[F.length - 1]! < 0.5) {
    const k = f.length;
    let v = 0;
    for (let j = 1; j <= Math.min(k, q.length); j++) v += j * q[j - 1]! * f[k - j]!;
    f.push((nu / k) * v);
    F.push(F[k - 1]! + f[k]!);
    if (k > 100_000) break;
  }
  return expectedAbsDev(mu, F.length - 1, (k) => F[k]!);
}

/** E|Y - m| for integer m >= 0 and mean mu: (mu - m) + 2 sum_{k<m} F(k) (as E(m - Y)+ = sum_{k<m} F(k)). */
export function expectedAbsDev(mu: number, m: number, cdf: (k: number) => number): number {
  let below = 0;
  for (let k = 0; k < m; k++) below += cdf(k);
  return mu - m + 2 * below;
}

/** E|Y - median(Y)| under NB(mu, size) (Poisson when size >= POISSON_SIZE). */
export function medianAbsDevNB(mu: number, size: number): number {
  if (mu <= 0) return 0;
  return expectedAbsDev(mu, nbQuantile(0.5, mu, size), (k) => nbCdf(k, mu, size));
}

/** E|Y - median(Y)| under Poisson(mu). */
export function medianAbsDevPoisson(mu: number): number {
  return medianAbsDevNB(mu, POISSON_SIZE);
}

/**
 * Regularised lower incomplete gamma P(a, x) (series for x < a + 1, Lentz continued fraction
 * otherwise; Numerical Recipes 6.2), accurate to ~1e-14. Hand-written rather than
 * @stdlib/math-base-special-gammainc: on the oracle floor's arguments from the Bay Wheels
 * station-hours the library is 2.0x slower for the same values (max |diff| 3e-15;
 * bench/library-stats.ts), and the floors call it once per piece of every scored row.
 */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  const lead = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

/**
 * Rates at which the Poisson median steps up: the median is j for rate in [a_j, a_{j+1}), a_0 = 0,
 * a_1 = ln 2; a_j solves P(Y <= j - 1 | a_j) = 0.5 (found by bisection, cached).
 */
const thresholds: number[] = [0];
export function poissonMedianThreshold(j: number): number {
  while (thresholds.length <= j) {
    const i = thresholds.length;
    let lo = thresholds[i - 1]!;
    let hi = i + 1;
    for (let it = 0; it < 100; it++) {
      const mid = (lo + hi) / 2;
      if (nbCdf(i - 1, mid, POISSON_SIZE) >= 0.5) lo = mid;
      else hi = mid;
    }
    thresholds.push((lo + hi) / 2);
  }
  return thresholds[j]!;
}

/** P(a + 1, x) from pa = P(a, x): P(a + 1, x) = P(a, x) - x^a e^-x / Gamma(a + 1), so one incomplete
 *  gamma serves a whole ladder of shapes. */
function gammaPNext(a: number, x: number, pa: number): number {
  return Math.max(0, pa - Math.exp(a * Math.log(x) - x - gammaln(a + 1)));
}

/** P(a + i, x) for i = 0..j into out (a longer array when out is too short; returned). Entries past
 *  j are left as they were. */
function gammaLadder(a: number, x: number, j: number, out: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const ladder = out.length < j + 1 ? new Float64Array(2 * (j + 1)) : out;
  ladder[0] = gammaP(a, x);
  let t = Math.exp(a * Math.log(x) - x - gammaln(a + 1));
  for (let i = 1; i <= j; i++) {
    ladder[i] = Math.max(0, ladder[i - 1]! - t);
    t *= x / (a + i);
  }
  return ladder;
}

/**
 * E over rate ~ Gamma(size, mu / size) of E|Y - PoissonMedian(rate)|, Y ~ Poisson(rate): the expected
 * MAE of an oracle that knows each hour's rate, when NB(mu, size) is the outcome's distribution.
 * Exact, by pieces where the oracle's median is constant: on [A, B) with median j,
 *   E|Y - j| = rate - j + 2 sum_{i<j} (j - i) Pois(i; rate), and by Poisson-gamma conjugacy
 *   int Pois(i; r) Gamma(r; size, size/mu) dr over [A, B) = NBpmf(i) * [P(size+i, (b+1)B) - P(size+i, (b+1)A)],
 * with b = size / mu the gamma's rate; int r Gamma(r) dr over [A, B) = mu * [P(size+1, bB) - P(size+1, bA)].
 */
export function oracleMedianAbsDev(mu: number, size: number, pieces = ORACLE_PIECES): number {
  if (mu <= 0) return 0;
  if (size >= POISSON_SIZE) return medianAbsDevPoisson(mu);
  const b = size / mu;
  const c = b + 1;
  let total = 0;
  // Values at the piece's lower end A (all 0 at A = 0), carried over from the previous piece's B.
  let gA = 0;
  let g1A = 0;
  let cA = new Float64Array(1);
  let cB = new Float64Array(1);
  const pmf: number[] = [];
  let j = 0;
  for (; gA < 1 - 1e-12 && j < pieces; j++) {
    const B = poissonMedianThreshold(j + 1);
    pmf.push(Math.exp(nbLogPmf(j, mu, size)));
    const gB = gammaP(size, b * B);
    const g1B = gammaPNext(size, b * B, gB);
    cB = gammaLadder(size, c * B, j, cB);
    const mass = gB - gA;
    let piece = mu * (g1B - g1A) - j * mass;
    for (let i = 0; i < j; i++) piece += 2 * (j - i) * pmf[i]! * (cB[i]! - cA[i]!);
    total += piece;
    gA = gB;
    g1A = g1B;
    [cA, cB] = [cB, cA];
  }
  return total + normalTail(gA, size, b, poissonMedianThreshold(j), 1);
}

/**
 * Exact pieces up to this median; above it (rates of ~60 and more) the deviation is taken as the
 * normal's, sqrt(2 var / pi), integrated in closed form over the rest of the gamma. Without the cut
 * a long-tailed gamma (small size, large mu: seasonal naive's worst rows) needed thousands of
 * pieces, each O(j), and the grouped law's tables grew as their square (21 GB in one bench run).
 */
export const ORACLE_PIECES = 60;

/** int_A^inf sqrt(2 m2 r / pi) Gamma(r; shape a, rate b) dr, when mass remains above A (gA < 1). */
function normalTail(gA: number, a: number, b: number, A: number, m2: number): number {
  if (gA >= 1 - 1e-12) return 0;
  return Math.sqrt((2 * m2) / Math.PI) * Math.exp(gammaln(a + 0.5) - gammaln(a)) / Math.sqrt(b) * (1 - gammaP(a + 0.5, b * A));
}

/** A batch law prepared for the oracle: P(S_n <= k) for sums of n batches, and where the median steps. */
class PreparedLaw {
  readonly q: Float64Array;
  readonly mean: number;
  readonly fano: number;
  /** sums[n][k] = P(B_1 + ... + B_n = k), cdf[n][k] = P(... <= k), for k <= kmax. */
  private sums: Float64Array[] = [];
  private cdfs: Float64Array[] = [];
  private kmax = -1;
  private steps: number[] = [0];
  constructor(law: BatchLaw) {
    const n = normalised(law);
    this.q = n.q;
    this.mean = n.mean;
    this.fano = n.fano;
  }
  /** P(S_n <= k); 0 <= n, k. Tables grow to k (S_n >= n, so n <= k suffices). */
  cdf(n: number, k: number): number {
    if (n > k) return 0;
    if (k > this.kmax) this.grow(Math.max(k, 2 * this.kmax + 1, 32));
    return this.cdfs[n]![k]!;
  }
  private grow(K: number): void {
    const sums: Float64Array[] = [];
    for (let n = 0; n <= K; n++) {
      const s = new Float64Array(K + 1);
      if (n === 0) s[0] = 1;
      else {
        const prev = sums[n - 1]!;
        for (let k = n; k <= K; k++) {
          let v = 0;
          for (let b = 1; b <= Math.min(this.q.length, k); b++) v += this.q[b - 1]! * prev[k - b]!;
          s[k] = v;
        }
      }
      sums.push(s);
    }
    this.sums = sums;
    this.cdfs = sums.map((s) => { const c = new Float64Array(K + 1); let a = 0; for (let k = 0; k <= K; k++) c[k] = a += s[k]!; return c; });
    this.kmax = K;
  }
  /** P(Y <= k) for Y compound Poisson with batch rate nu. */
  compoundCdf(k: number, nu: number): number {
    let p = Math.exp(-nu);
    let c = 0;
    for (let n = 0; n <= k; n++) {
      c += p * this.cdf(n, k);
      p *= nu / (n + 1);
    }
    return c;
  }
  /** Batch rate at which the median of Y steps from j - 1 to j (step 0 is 0). */
  step(j: number): number {
    while (this.steps.length <= j) {
      const i = this.steps.length;
      let lo = this.steps[i - 1]!;
      let hi = lo + 1;
      while (this.compoundCdf(i - 1, hi) >= 0.5) hi = lo + 2 * (hi - lo);
      for (let it = 0; it < 100; it++) {
        const mid = (lo + hi) / 2;
        if (this.compoundCdf(i - 1, mid) >= 0.5) lo = mid;
        else hi = mid;
      }
      this.steps.push((lo + hi) / 2);
    }
    return this.steps[j]!;
  }
}

/**
 * The oracle floor with riders in groups: the oracle knows each hour's batch rate nu and forecasts
 * the median of the compound Poisson at nu. Of the NB's variance mu + mu^2/size, groups account for
 * fano * mu (fano = E[B^2]/E[B]); the rest is rate variation, nu ~ Gamma(a, mean mu/E[B]) with
 * 1/a = 1/size - (fano - 1)/mu. None left (1/a <= 0): the rates are known already, and the floor is
 * the compound Poisson's at mu. Exact by pieces as in oracleMedianAbsDev: with W_n(j) = sum_{k=n}^{j-1} P(S_n <= k),
 *   E|Y - j| = E[B] nu - j + 2 sum_{n<j} Pois(n; nu) W_n(j), integrated by Poisson-gamma conjugacy.
 * With law [1] this is oracleMedianAbsDev.
 */
export function oracleClusteredMedianAbsDev(mu: number, size: number, law: BatchLaw | PreparedLaw, pieces = ORACLE_PIECES): number {
  if (mu <= 0) return 0;
  const L = law instanceof PreparedLaw ? law : new PreparedLaw(law);
  const inv = (size >= POISSON_SIZE ? 0 : 1 / size) - (L.fano - 1) / mu;
  if (inv <= 1e-9) return compoundPoissonMedianAbsDev(mu, L.q);
  const a = 1 / inv;
  const m = mu / L.mean;
  const b = a / m;
  const c = b + 1;
  let total = 0;
  let gA = 0;
  let g1A = 0;
  let cA = new Float64Array(1);
  let cB = new Float64Array(1);
  const pmf: number[] = [];
  const W: number[] = [];
  let j = 0;
  for (; gA < 1 - 1e-12 && j < pieces; j++) {
    const B = L.step(j + 1);
    pmf.push(Math.exp(nbLogPmf(j, m, a)));
    // W_n(j) = W_n(j - 1) + P(S_n <= j - 1), and W_{j-1}(j) starts.
    for (let n = 0; n < j; n++) W[n] = (W[n] ?? 0) + L.cdf(n, j - 1);
    const gB = gammaP(a, b * B);
    const g1B = gammaPNext(a, b * B, gB);
    cB = gammaLadder(a, c * B, j, cB);
    let piece = L.mean * m * (g1B - g1A) - j * (gB - gA);
    for (let n = 0; n < j; n++) piece += 2 * W[n]! * pmf[n]! * (cB[n]! - cA[n]!);
    total += piece;
    gA = gB;
    g1A = g1B;
    [cA, cB] = [cB, cA];
  }
  // Var(Y | nu) = nu E[B^2] = nu * mean * fano.
  return total + normalTail(gA, a, b, L.step(j), L.mean * L.fano);
}

/** The three floors over scored rows (each row's mu and NB size). */
export function noiseFloor(mu: ArrayLike<number>, size: ArrayLike<number>, batches?: Batches): NoiseFloor {
  const n = mu.length;
  const laws = batches?.laws.map((l) => new PreparedLaw(l));
  let nb = 0, pois = 0, oracle = 0, varNb = 0, varPois = 0, clus = 0, varClus = 0, oracleClus = 0, zero = 0;
  for (let i = 0; i < n; i++) {
    const m = mu[i]!;
    const s = size[i]!;
    const dev = medianAbsDevNB(m, s);
    nb += dev;
    if (nbQuantile(0.5, m, s) === 0) zero++;
    pois += medianAbsDevPoisson(m);
    oracle += oracleMedianAbsDev(m, s);
    varNb += m + (s >= POISSON_SIZE ? 0 : (m * m) / s);
    varPois += m;
    if (batches && laws) {
      const g = batches.group[i]!;
      clus += compoundPoissonMedianAbsDev(m, laws[g]!.q);
      oracleClus += oracleClusteredMedianAbsDev(m, s, laws[g]!);
      varClus += m * laws[g]!.fano;
    }
  }
  const d = Math.max(1, n);
  return {
    n, floor_mae_nb: nb / d, floor_mae_poisson: pois / d, floor_mae_oracle: oracle / d, floor_rmse_nb: Math.sqrt(varNb / d), floor_rmse_poisson: Math.sqrt(varPois / d),
    ...(batches ? { floor_mae_clustered: clus / d, floor_mae_oracle_clustered: oracleClus / d, floor_rmse_clustered: Math.sqrt(varClus / d) } : {}),
    median_zero_share: zero / d,
  };
}

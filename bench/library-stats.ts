// Hand-written statistics against the @stdlib functions that could replace them, on real data: the
// Bay Wheels station-hours of the last 8 weeks of a store (default urbanlab.duckdb, or
// LIBRARY_STATS_DB), each with the station x hour x day-type historical average as mu and the
// station's method-of-moments NB size, as the forecast's distributions look. For each function it
// prints the time of both on the same arguments, in one run, and their largest difference, so the
// choice made in src (negbin.ts, noise-floor.ts) can be checked on any machine:
//   LIBRARY_STATS_DB=/tmp/bw.duckdb npm run bench -- library-stats
// The population model's 3x3 persistence solves are compared too (ml-matrix against elimination),
// on systems drawn from the same counts.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';
import nbinomCdf from '@stdlib/stats-base-dists-negative-binomial-cdf';
import nbinomLogpmf from '@stdlib/stats-base-dists-negative-binomial-logpmf';
import nbinomQuantile from '@stdlib/stats-base-dists-negative-binomial-quantile';
import normCdf from '@stdlib/stats-base-dists-normal-cdf';
import normQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { Matrix, solve as mlSolve } from 'ml-matrix';
import { openStore } from '../src/platform/store/connection.ts';
import { cellProfile, historicalAverage } from '../src/rebalancing/forecast/baselines.ts';
import { defaultWindow } from '../src/rebalancing/forecast/backtest.ts';
import { nbCdf, nbLogPmf, nbQuantile } from '../src/rebalancing/forecast/negbin.ts';
import { gammaP } from '../src/rebalancing/forecast/noise-floor.ts';
import { loadPanel } from '../src/rebalancing/forecast/store.ts';
import { solveSmall } from '../src/population/model.ts';
import { describeMachine, saveResults } from './lib/machine.ts';

// The hand-written versions that src replaced by the library (negbin.ts before the change), kept
// here only as the reference the library was measured against.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
function normalCdf(z: number): number { // Abramowitz-Stegun 7.1.26
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(z * z) / 2);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
function normalQuantile(p: number): number { // Acklam
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5, r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

const db = process.env['LIBRARY_STATS_DB'] ?? 'urbanlab.duckdb';
const system = process.env['LIBRARY_STATS_SYSTEM'] ?? 'baywheels';
console.log(describeMachine());
if (!existsSync(db)) {
  console.log(`(library-stats skipped: no store at ${db}; set LIBRARY_STATS_DB to one holding ${system}'s hourly flows, e.g. the demo's)`);
  process.exit(0);
}

// 1. Real arguments: every observed station-hour of the last 8 weeks.
const store = await openStore(db, { readOnly: true });
const panel = await loadPanel(store, system);
await store.close();
const w = defaultWindow(panel, 8);
const prof = cellProfile(panel, 'pickups', 0, w.from, 'ignore');
const S = panel.stations.length, T = panel.hours;
const ys: number[] = [], mus: number[] = [], sizes: number[] = [];
for (let s = 0; s < S; s++) {
  let m = 0, v = 0, n = 0;
  for (let t = 0; t < w.from; t++) { const y = panel.pickups[s * T + t]!; if (!Number.isNaN(y)) { m += y; v += y * y; n++; } }
  if (n < 2) continue;
  m /= n; v = v / n - m * m;
  const size = v > m && m > 0 ? Math.min(1e6, Math.max(0.05, (m * m) / (v - m))) : 1e6;
  for (let t = w.from; t < w.to; t++) {
    const y = panel.pickups[s * T + t]!;
    if (Number.isNaN(y)) continue;
    ys.push(y); mus.push(Math.max(1e-3, historicalAverage(panel, prof, s, t))); sizes.push(size);
  }
}
const N = ys.length;
const y = Float64Array.from(ys), mu = Float64Array.from(mus), size = Float64Array.from(sizes);
const p = Float64Array.from(mu, (m, i) => size[i]! / (size[i]! + m));
const z = Float64Array.from(mu, (m, i) => (y[i]! + 0.5 - m) / Math.sqrt(m + (m * m) / size[i]!));
const u = Float64Array.from(z, (x) => Math.min(1 - 1e-9, Math.max(1e-9, normCdf(x, 0, 1))));
// The incomplete gamma as the oracle floor calls it: P(size + y, (size / mu + 1) x a median threshold).
const ga = Float64Array.from(size, (r, i) => Math.min(r, 1e4) + y[i]!);
const gx = Float64Array.from(mu, (m, i) => (Math.min(size[i]!, 1e4) / m + 1) * (Math.round(m) + 0.7) * (m < 1 ? m : 1));
console.log(`${N.toLocaleString('en-US')} station-hours of ${system} (${S} stations, ${new Date(panel.start + w.from * 3_600_000).toISOString().slice(0, 10)} on); mean count ${(ys.reduce((a, b) => a + b, 0) / N).toFixed(3)}`);

// 2. Each function both ways on the same arguments: best of 3 runs, and the largest difference.
interface Row { fn: string; hand_ns: number; library_ns: number; ratio: number; max_abs_diff: number }
const rows: Row[] = [];
function time(f: (i: number) => number): { ns: number; out: Float64Array } {
  const out = new Float64Array(N);
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) out[i] = f(i);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / N);
  }
  return { ns: best, out };
}
function compare(fn: string, hand: (i: number) => number, lib: (i: number) => number): void {
  const a = time(hand), b = time(lib);
  let d = 0;
  for (let i = 0; i < N; i++) { const x = Math.abs(a.out[i]! - b.out[i]!); if (x > d || Number.isNaN(x)) d = Number.isNaN(x) ? Infinity : x; }
  rows.push({ fn, hand_ns: +a.ns.toFixed(1), library_ns: +b.ns.toFixed(1), ratio: +(b.ns / a.ns).toFixed(2), max_abs_diff: d });
}
compare('logGamma(y + size) / gammaln', (i) => logGamma(y[i]! + size[i]!), (i) => gammaln(y[i]! + size[i]!));
compare('nbLogPmf / negative-binomial-logpmf', (i) => nbLogPmf(y[i]!, mu[i]!, size[i]!), (i) => nbinomLogpmf(y[i]!, size[i]!, p[i]!));
compare('nbCdf / negative-binomial-cdf', (i) => nbCdf(y[i]!, mu[i]!, size[i]!), (i) => nbinomCdf(y[i]!, size[i]!, p[i]!));
compare('nbQuantile(0.5) / negative-binomial-quantile', (i) => nbQuantile(0.5, mu[i]!, size[i]!), (i) => nbinomQuantile(0.5, size[i]!, p[i]!));
compare('normalCdf / normal-cdf', (i) => normalCdf(z[i]!), (i) => normCdf(z[i]!, 0, 1));
compare('normalQuantile / normal-quantile', (i) => normalQuantile(u[i]!), (i) => normQuantile(u[i]!, 0, 1));
compare('gammaP(a, x) / gammainc(x, a)', (i) => gammaP(ga[i]!, gx[i]!), (i) => gammainc(gx[i]!, ga[i]!));

// 3. The population model's persistence systems (src/population/model.ts solveSmall): 3x3 normal
// equations X'X a = X'e, here from triples of consecutive errors of the counts (the regressors
// there are recent errors too).
const systems: Array<{ a: Float64Array; b: Float64Array }> = [];
for (let k = 0; k + 200 * 4 < N && systems.length < 2000; k += 200) {
  const a = new Float64Array(9), b = new Float64Array(3);
  for (let i = k; i < k + 200; i++) {
    const x = [y[i]! - mu[i]!, y[i + 1]! - mu[i + 1]!, y[i + 2]! - mu[i + 2]!], e = y[i + 3]! - mu[i + 3]!;
    for (let r = 0; r < 3; r++) { b[r]! += x[r]! * e; for (let c = 0; c < 3; c++) a[r * 3 + c]! += x[r]! * x[c]!; }
  }
  systems.push({ a, b });
}
{
  const reps = 50;
  const run = (f: (s: { a: Float64Array; b: Float64Array }) => ArrayLike<number>) => {
    let best = Infinity; let out: ArrayLike<number>[] = [];
    for (let r = 0; r < 3; r++) {
      const t0 = process.hrtime.bigint();
      for (let q = 0; q < reps; q++) out = systems.map(f);
      best = Math.min(best, Number(process.hrtime.bigint() - t0) / (reps * systems.length));
    }
    return { ns: best, out };
  };
  const h = run((s) => solveSmall(s.a, s.b, 3));
  // The same ridge as solveSmall's, then the library's solve.
  const ridged = (a: Float64Array) => { const tr = a[0]! + a[4]! + a[8]!, k = 1e-6 * tr + 1e-12; return [[a[0]! + k, a[1]!, a[2]!], [a[3]!, a[4]! + k, a[5]!], [a[6]!, a[7]!, a[8]! + k]]; };
  const l = run((s) => mlSolve(new Matrix(ridged(s.a)), Matrix.columnVector(Array.from(s.b))).to1DArray());
  let d = 0;
  for (let k = 0; k < systems.length; k++) for (let r = 0; r < 3; r++) d = Math.max(d, Math.abs(h.out[k]![r]! - l.out[k]![r]!));
  rows.push({ fn: `3x3 solve (${systems.length} systems) / ml-matrix solve`, hand_ns: +h.ns.toFixed(1), library_ns: +l.ns.toFixed(1), ratio: +(l.ns / h.ns).toFixed(2), max_abs_diff: d });
}

console.log('\nns per call, best of 3 (ratio = library / hand-written):');
console.table(rows);
console.log(`load at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
saveResults('library-stats', { system, station_hours: N, rows });

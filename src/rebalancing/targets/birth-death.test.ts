import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { exponential, gamma, rng } from '../../../test/helpers/random.ts';
import { transientCurves, type HorizonRates } from './birth-death.ts';
import { gammaQuadrature, mixedCurves } from './overdispersion.ts';

function rates(pickups: number[], returns: number[], stepHours = 0.25): HorizonRates {
  return { stepHours, pickups: Float64Array.from(pickups), returns: Float64Array.from(returns) };
}

function poissonPmf(m: number, j: number): number {
  let p = Math.exp(-m);
  for (let i = 1; i <= j; i++) p *= m / i;
  return p;
}

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tol ${tol})`);
}

describe('birth-death transient: hand-worked cases', () => {
  it('a station that only drains: P(empty) is a Poisson tail, failures E[(N - n)+]', () => {
    // Time-varying pickups, no returns: N ~ Poisson(sum mu_k dt).
    const mu = [2, 6, 10, 4, 0, 8, 12, 3, 1, 5, 7, 9];
    const r = rates(mu, mu.map(() => 0));
    const m = mu.reduce((s, x) => s + x * 0.25, 0);
    const c = 12;
    const out = transientCurves(c, r);
    for (let n = 0; n <= c; n++) {
      let below = 0, short = 0;
      for (let j = 0; j < n; j++) {
        below += poissonPmf(m, j);
        short += (n - j) * poissonPmf(m, j);
      }
      close(out.pEmpty[n]!, 1 - below, 1e-11, `pEmpty[${n}]`);
      close(out.failedRentals[n]!, m - n + short, 1e-10, `failedRentals[${n}]`);
      assert.equal(out.failedReturns[n], 0);
      close(out.pFull[n]!, n === c ? 1 : 0, 1e-11, `pFull[${n}]`);
    }
  });

  it('a full station with returns only: every return fails from full, a Poisson tail below it', () => {
    const lambda = 7, T = 3;
    const r = rates(Array(12).fill(0), Array(12).fill(lambda));
    const c = 10;
    const out = transientCurves(c, r);
    close(out.pFull[c]!, 1, 1e-11, 'pFull[c]');
    close(out.failedReturns[c]!, lambda * T, 1e-10, 'failedReturns[c]');
    const m = lambda * T;
    close(out.pFull[c - 1]!, 1 - poissonPmf(m, 0), 1e-12, 'pFull[c-1]');
    close(out.failedReturns[c - 1]!, m - 1 + poissonPmf(m, 0), 1e-10, 'failedReturns[c-1]');
    assert.equal(out.pEmpty[c], 0);
  });

  it('two states (capacity 1) with constant rates match the closed form', () => {
    const lambda = 3, mu = 5, T = 1.5, s = lambda + mu;
    const out = transientCurves(1, rates(Array(6).fill(mu), Array(6).fill(lambda)));
    const e = Math.exp(-s * T);
    close(out.failedRentals[0]!, mu * ((mu * T) / s + (lambda / (s * s)) * (1 - e)), 1e-11, 'rentals from 0');
    close(out.failedRentals[1]!, ((mu * mu) / s) * (T - (1 - e) / s), 1e-11, 'rentals from 1');
    close(out.failedReturns[1]!, lambda * ((lambda * T) / s + (mu / (s * s)) * (1 - e)), 1e-11, 'returns from 1');
    close(out.pEmpty[1]!, 1 - Math.exp(-mu * T), 1e-12, 'pEmpty from 1');
    close(out.pFull[0]!, 1 - Math.exp(-lambda * T), 1e-12, 'pFull from 0');
  });

  it('over a long horizon with constant rates, failures accrue at the stationary rate mu*pi0 + lambda*piC', () => {
    const lambda = 4, mu = 3, c = 6;
    const rho = lambda / mu;
    const z = Array.from({ length: c + 1 }, (_, n) => rho ** n).reduce((a, b) => a + b, 0);
    const pi0 = 1 / z, piC = rho ** c / z;
    const a = transientCurves(c, rates(Array(40).fill(mu), Array(40).fill(lambda), 1));
    const b = transientCurves(c, rates(Array(80).fill(mu), Array(80).fill(lambda), 1));
    for (const n of [0, 3, 6]) {
      close((b.failedRentals[n]! - a.failedRentals[n]!) / 40, mu * pi0, 1e-9, `rental rate from ${n}`);
      close((b.failedReturns[n]! - a.failedReturns[n]!) / 40, lambda * piC, 1e-9, `return rate from ${n}`);
    }
  });

  it('busy steps are split, not truncated: a drain of 240 pickups an hour still gives the Poisson tail', () => {
    const out = transientCurves(40, rates([240], [0], 0.25));
    const m = 60;
    let below = 0;
    for (let j = 0; j < 40; j++) below += poissonPmf(m, j);
    close(out.pEmpty[40]!, 1 - below, 1e-10, 'pEmpty[40]');
  });

  it('mirror symmetry: swapping pickups and returns swaps empty and full', () => {
    const mu = [1, 3, 5, 2], lambda = [4, 1, 0.5, 6];
    const c = 7;
    const a = transientCurves(c, rates(mu, lambda));
    const b = transientCurves(c, rates(lambda, mu));
    for (let n = 0; n <= c; n++) {
      close(a.pEmpty[n]!, b.pFull[c - n]!, 1e-12, `pEmpty[${n}]`);
      close(a.failedRentals[n]!, b.failedReturns[c - n]!, 1e-12, `rentals[${n}]`);
    }
  });

  it('capacity 0 and zero rates are handled', () => {
    const z = transientCurves(0, rates([2], [3], 1));
    close(z.pEmpty[0]!, 1, 1e-11, 'empty from empty');
    close(z.failedRentals[0]!, 2, 1e-12, 'all pickups fail');
    close(z.failedReturns[0]!, 3, 1e-12, 'all returns fail');
    const q = transientCurves(3, rates([0, 0], [0, 0]));
    assert.deepEqual(Array.from(q.pEmpty), [1, 0, 0, 0]);
    assert.deepEqual(Array.from(q.failedRentals), [0, 0, 0, 0]);
  });
});

/** Simulates the same process (Gillespie, rates piecewise constant) and counts the outcomes. */
function simulate(c: number, r: HorizonRates, start: number, paths: number, seed: number, spread?: { pick: number; ret: number }) {
  const u = rng(seed);
  const sums = { empty: 0, full: 0, either: 0, rent: 0, rent2: 0, ret: 0, ret2: 0 };
  for (let p = 0; p < paths; p++) {
    const gP = spread ? gamma(u, spread.pick) / spread.pick : 1;
    const gR = spread ? gamma(u, spread.ret) / spread.ret : 1;
    let n = start, hitE = n === 0, hitF = n === c, rent = 0, ret = 0;
    for (let k = 0; k < r.pickups.length; k++) {
      const mu = r.pickups[k]! * gP, la = r.returns[k]! * gR, L = mu + la;
      if (L === 0) continue;
      let t = exponential(u, L);
      while (t < r.stepHours) {
        if (u() * L < mu) {
          if (n === 0) rent++;
          else n--;
        } else if (n === c) ret++;
        else n++;
        if (n === 0) hitE = true;
        if (n === c) hitF = true;
        t += exponential(u, L);
      }
    }
    sums.empty += +hitE; sums.full += +hitF; sums.either += +(hitE || hitF);
    sums.rent += rent; sums.rent2 += rent * rent; sums.ret += ret; sums.ret2 += ret * ret;
  }
  const mean = (x: number) => x / paths;
  const se = (x: number, x2: number) => Math.sqrt(Math.max(x2 / paths - (x / paths) ** 2, 1e-12) / paths);
  const seP = (x: number) => Math.sqrt(Math.max(mean(x) * (1 - mean(x)), 1e-6) / paths);
  return {
    pEmpty: [mean(sums.empty), seP(sums.empty)], pFull: [mean(sums.full), seP(sums.full)], pEither: [mean(sums.either), seP(sums.either)],
    rent: [mean(sums.rent), se(sums.rent, sums.rent2)], ret: [mean(sums.ret), se(sums.ret, sums.ret2)],
  } as Record<string, [number, number]>;
}

describe('birth-death transient vs Monte Carlo of the same process', () => {
  // 4.5 standard errors: a wrong boundary or a missing step moves results by far more than that
  // (checked by hand when the test was written: swapping the reflecting/absorbing boundary
  // at 0 moves pEmpty by > 30 SE here).
  const K = 4.5;
  const c = 8;
  const r = rates([6, 9, 14, 10, 4, 2, 1, 3, 8, 12, 6, 2], [2, 3, 2, 5, 9, 12, 10, 6, 3, 2, 8, 11]);

  for (const start of [2, 5]) {
    it(`time-varying rates, capacity ${c}, start ${start}`, () => {
      const exact = transientCurves(c, r);
      const mc = simulate(c, r, start, 40_000, 1234 + start);
      const pairs: [string, number][] = [
        ['pEmpty', exact.pEmpty[start]!], ['pFull', exact.pFull[start]!],
        ['rent', exact.failedRentals[start]!], ['ret', exact.failedReturns[start]!],
      ];
      for (const [k, v] of pairs) {
        const [m, se] = mc[k]!;
        assert.ok(Math.abs(m - v) <= K * se, `${k}: exact ${v.toFixed(5)}, simulated ${m.toFixed(5)} ± ${se.toFixed(5)}`);
      }
    });
  }

  it('with gamma-distributed rate factors (the forecast spread), start 4', () => {
    const spread = { pick: 2.5, ret: 4 };
    const exact = mixedCurves(c, r, { pickupShape: spread.pick, returnShape: spread.ret, points: 6 });
    const mc = simulate(c, r, 4, 40_000, 99, spread);
    for (const [k, v] of [['pEmpty', exact.pEmpty[4]!], ['pFull', exact.pFull[4]!], ['rent', exact.failedRentals[4]!], ['ret', exact.failedReturns[4]!]] as const) {
      const [m, se] = mc[k]!;
      assert.ok(Math.abs(m - v) <= K * se, `${k}: exact ${v.toFixed(5)}, simulated ${m.toFixed(5)} ± ${se.toFixed(5)}`);
    }
    // The spread matters here: without it the answer is measurably different.
    const plain = transientCurves(c, r);
    assert.ok(Math.abs(plain.failedRentals[4]! - exact.failedRentals[4]!) > 10 * mc['rent']![1], 'spread changes the failures');
  });
});

describe('gamma quadrature', () => {
  for (const k of [0.5, 1, 3, 20]) {
    it(`matches the first moments of Gamma(${k}, 1/${k})`, () => {
      const q = gammaQuadrature(k, 4);
      const m = (p: number) => q.nodes.reduce((s, x, i) => s + q.weights[i]! * x ** p, 0);
      close(m(0), 1, 1e-12, 'mass');
      close(m(1), 1, 1e-10, 'mean');
      close(m(2), 1 + 1 / k, 1e-9, 'second moment');
      close(m(3), (1 + 1 / k) * (1 + 2 / k), 1e-8, 'third moment');
      close(m(7), [1, 2, 3, 4, 5, 6].reduce((s, i) => s * (1 + i / k), 1), 1e-6 * m(7), 'seventh moment (degree 2Q-1)');
    });
  }
});

describe('properties', () => {
  const arb = fc.record({
    c: fc.integer({ min: 1, max: 25 }),
    mu: fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 12 }),
    lambda: fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 12, maxLength: 12 }),
  });

  it('monotone in the start inventory, probabilities in [0, 1]', () => {
    fc.assert(
      fc.property(arb, ({ c, mu, lambda }) => {
        const out = transientCurves(c, rates(mu, lambda.slice(0, mu.length)));
        const eps = 1e-9;
        for (let n = 0; n <= c; n++) {
          for (const p of [out.pEmpty[n]!, out.pFull[n]!]) assert.ok(p >= -eps && p <= 1 + eps);
          if (n > 0) {
            assert.ok(out.pEmpty[n]! <= out.pEmpty[n - 1]! + eps, 'pEmpty falls with n');
            assert.ok(out.pFull[n]! >= out.pFull[n - 1]! - eps, 'pFull rises with n');
            assert.ok(out.failedRentals[n]! <= out.failedRentals[n - 1]! + eps, 'failed rentals fall with n');
            assert.ok(out.failedReturns[n]! >= out.failedReturns[n - 1]! - eps, 'failed returns rise with n');
          }
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('more pickups never lower the risk of running empty', () => {
    fc.assert(
      fc.property(arb, fc.double({ min: 1, max: 3, noNaN: true }), ({ c, mu, lambda }, f) => {
        const l = lambda.slice(0, mu.length);
        const a = transientCurves(c, rates(mu, l));
        const b = transientCurves(c, rates(mu.map((x) => x * f), l));
        for (let n = 0; n <= c; n++) assert.ok(b.pEmpty[n]! >= a.pEmpty[n]! - 1e-9);
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});

import assert from 'node:assert/strict';
import test from 'node:test';
import { rng } from './models/gbdt.ts';
import { nbLogPmf, nbQuantile, POISSON_SIZE } from './negbin.ts';
import { compoundPoissonMedianAbsDev, gammaP, ORACLE_PIECES, medianAbsDevNB, oracleClusteredMedianAbsDev, medianAbsDevPoisson, noiseFloor, oracleMedianAbsDev, poissonMedianThreshold } from './noise-floor.ts';
import { gamma, negbin, poisson } from '../../../test/forecast/simulate.ts';

/** E|Y - median| by summing the pmf directly (the closed form's check). */
function bruteAbsDev(mu: number, size: number): number {
  const m = nbQuantile(0.5, mu, size);
  let e = 0;
  for (let k = 0; k < 2000; k++) e += Math.exp(nbLogPmf(k, mu, size)) * Math.abs(k - m);
  return e;
}

test('median absolute deviation: closed form equals the pmf sum; a Poisson below ln 2 has median 0, so it is mu', () => {
  for (const [mu, size] of [[0.3, 0.8], [1.4, 2], [7.5, 3], [0.9, POISSON_SIZE], [12, POISSON_SIZE]] as const) {
    assert.ok(Math.abs(medianAbsDevNB(mu, size) - bruteAbsDev(mu, size)) < 1e-9, `${mu}, ${size}`);
  }
  assert.ok(Math.abs(medianAbsDevPoisson(0.5) - 0.5) < 1e-12);
  // Just above ln 2 the median is 1 and the deviation is below mu.
  assert.ok(medianAbsDevPoisson(0.75) < 0.75);
});

test('gammaP: known closed forms; Poisson median thresholds', () => {
  for (const x of [0.01, 0.5, 2, 9]) {
    assert.ok(Math.abs(gammaP(1, x) - (1 - Math.exp(-x))) < 1e-12);
    // P(2, x) = 1 - e^-x (1 + x)
    assert.ok(Math.abs(gammaP(2, x) - (1 - Math.exp(-x) * (1 + x))) < 1e-12);
  }
  assert.ok(Math.abs(poissonMedianThreshold(1) - Math.LN2) < 1e-9);
  for (let j = 1; j < 30; j++) {
    const a = poissonMedianThreshold(j);
    assert.equal(nbQuantile(0.5, a * (1 - 1e-7), POISSON_SIZE), j - 1);
    assert.equal(nbQuantile(0.5, a * (1 + 1e-7), POISSON_SIZE), j);
  }
});

test('oracle floor: matches a simulated oracle, lies below the NB floor, tends to the Poisson floor as size grows', () => {
  const r = rng(11);
  for (const [mu, size] of [[0.4, 0.6], [0.3, 0.15], [2.5, 1.5], [6, 4]] as const) {
    let e = 0;
    const N = 200_000;
    for (let i = 0; i < N; i++) {
      const rate = (gamma(size, r) * mu) / size;
      const y = poisson(rate, r);
      e += Math.abs(y - nbQuantile(0.5, rate, POISSON_SIZE));
    }
    const exact = oracleMedianAbsDev(mu, size);
    assert.ok(Math.abs(e / N - exact) < 0.01 * Math.max(1, exact), `${mu}, ${size}: simulated ${e / N} vs ${exact}`);
    assert.ok(exact < medianAbsDevNB(mu, size), 'the oracle knows more than the NB forecast');
  }
  assert.ok(Math.abs(oracleMedianAbsDev(2.5, 1e5) - medianAbsDevPoisson(2.5)) < 1e-3);
});

test('noiseFloor: a calibrated forecast scores its NB floor; the Poisson RMSE floor is sqrt(mean mu)', () => {
  const r = rng(5);
  const N = 100_000;
  const mu = Float64Array.from({ length: N }, () => 0.05 + 3 * r() ** 3);
  const size = Float64Array.from({ length: N }, () => 0.5 + 3 * r());
  let ae = 0;
  let se = 0;
  for (let i = 0; i < N; i++) {
    const y = negbin(mu[i]!, size[i]!, r);
    ae += Math.abs(y - nbQuantile(0.5, mu[i]!, size[i]!));
    se += (y - mu[i]!) ** 2;
  }
  const f = noiseFloor(mu, size);
  assert.equal(f.n, N);
  assert.ok(Math.abs(ae / N - f.floor_mae_nb) < 0.01, `${ae / N} vs ${f.floor_mae_nb}`);
  assert.ok(Math.abs(Math.sqrt(se / N) - f.floor_rmse_nb) < 0.02, `${Math.sqrt(se / N)} vs ${f.floor_rmse_nb}`);
  assert.ok(Math.abs(f.floor_rmse_poisson - Math.sqrt(mu.reduce((a, b) => a + b, 0) / N)) < 1e-12);
  assert.ok(f.floor_mae_oracle < f.floor_mae_nb && f.floor_rmse_poisson < f.floor_rmse_nb);
});

test('clustered floor: singles only is the Poisson floor; groups match a simulation; the median stays 0 while batches are rare', () => {
  for (const mu of [0.3, 1.2, 4.5]) assert.ok(Math.abs(compoundPoissonMedianAbsDev(mu, [1]) - medianAbsDevPoisson(mu)) < 1e-12);
  const law = [0.8, 0.15, 0.05];
  const r = rng(3);
  for (const mu of [1.5, 5]) {
    const nu = mu / 1.25;
    const N = 200_000;
    const ys = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const batches = poisson(nu, r);
      let y = 0;
      for (let b = 0; b < batches; b++) { const u = r(); y += u < 0.8 ? 1 : u < 0.95 ? 2 : 3; }
      ys[i] = y;
    }
    const med = Float64Array.from(ys).sort()[N / 2]!;
    const e = ys.reduce((a, y) => a + Math.abs(y - med), 0) / N;
    const exact = compoundPoissonMedianAbsDev(mu, law);
    assert.ok(Math.abs(e - exact) < 0.01 * Math.max(1, exact), `${mu}: simulated ${e} vs ${exact}`);
    assert.ok(exact > medianAbsDevPoisson(mu), 'groups add noise at the same mean');
  }
  // Median 0 while P(no batch) = exp(-mu / E[B]) >= 1/2: the MAE is then mu itself.
  assert.ok(Math.abs(compoundPoissonMedianAbsDev(0.8, law) - 0.8) < 1e-12);
  const f = noiseFloor([0.8, 2, 3], [2, 2, 2], { laws: [law, [1]], group: [0, 0, 1] });
  assert.ok(Math.abs(f.floor_rmse_clustered! - Math.sqrt((2.8 * 1.48 + 3) / 3)) < 1e-12); // Fano E[B^2]/E[B] = 1.85/1.25
  assert.ok(Math.abs(f.floor_mae_clustered! - (0.8 + compoundPoissonMedianAbsDev(2, law) + medianAbsDevPoisson(3)) / 3) < 1e-12);
});

/** Median of a compound Poisson (batch rate nu, batch law q) by Panjer's recursion. */
function compoundMedian(nu: number, q: number[]): number {
  const f = [Math.exp(-nu)];
  let c = f[0]!;
  while (c < 0.5) {
    const k = f.length;
    let v = 0;
    for (let j = 1; j <= Math.min(k, q.length); j++) v += j * q[j - 1]! * f[k - j]!;
    f.push((nu / k) * v);
    c += f[k]!;
  }
  return f.length - 1;
}

test('oracle floor with groups: law [1] is the plain oracle; matches a simulated oracle; no rate variation left is the clustered floor', () => {
  for (const [mu, size] of [[0.4, 0.6], [2.5, 1.5], [6, 4]] as const) {
    assert.ok(Math.abs(oracleClusteredMedianAbsDev(mu, size, [1]) - oracleMedianAbsDev(mu, size)) < 1e-9, `${mu}, ${size}`);
  }
  const law = [0.8, 0.15, 0.05]; // E[B] 1.25, Fano 1.48
  const r = rng(9);
  for (const [mu, size] of [[2.5, 1.2], [6, 2]] as const) {
    const a = 1 / (1 / size - 0.48 / mu);
    const m = mu / 1.25;
    let e = 0;
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      const nu = (gamma(a, r) * m) / a;
      const batches = poisson(nu, r);
      let y = 0;
      for (let b = 0; b < batches; b++) { const u = r(); y += u < 0.8 ? 1 : u < 0.95 ? 2 : 3; }
      e += Math.abs(y - compoundMedian(nu, law));
    }
    const exact = oracleClusteredMedianAbsDev(mu, size, law);
    assert.ok(Math.abs(e / N - exact) < 0.015 * Math.max(1, exact), `${mu}, ${size}: simulated ${e / N} vs ${exact}`);
    assert.ok(exact > oracleMedianAbsDev(mu, size) && exact < medianAbsDevNB(mu, size), `${exact}`);
  }
  // Groups explain all of NB(2, 10)'s extra variance (0.4 < 0.48 x 2): nothing is left for the oracle to know.
  assert.equal(oracleClusteredMedianAbsDev(2, 10, law), compoundPoissonMedianAbsDev(2, law));
  const f = noiseFloor([0.3, 2.5], [0.8, 1.2], { laws: [law], group: [0, 0] });
  assert.ok(Math.abs(f.floor_mae_oracle_clustered! - (oracleClusteredMedianAbsDev(0.3, 0.8, law) + oracleClusteredMedianAbsDev(2.5, 1.2, law)) / 2) < 1e-12);
});

test('oracle floors far in the tail: the normal tail past ORACLE_PIECES is close to the exact pieces', () => {
  for (const [mu, size] of [[40, 0.8], [15, 0.3]] as const) {
    const exact = oracleMedianAbsDev(mu, size, 400); // far more pieces lose precision in the shape recurrence
    const cut = oracleMedianAbsDev(mu, size);
    assert.ok(Math.abs(cut / exact - 1) < 0.005, `${mu}, ${size}: ${cut} vs ${exact}`);
    const law = [0.8, 0.15, 0.05];
    const exactC = oracleClusteredMedianAbsDev(mu, size, law, 400);
    const cutC = oracleClusteredMedianAbsDev(mu, size, law);
    assert.ok(Math.abs(cutC / exactC - 1) < 0.005, `${mu}, ${size} grouped: ${cutC} vs ${exactC}`);
  }
  // Rates well inside the pieces are untouched.
  assert.equal(oracleMedianAbsDev(2, 1), oracleMedianAbsDev(2, 1, 400));
  assert.ok(ORACLE_PIECES >= 40);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng } from './models/gbdt.ts';
import { baselineForecast, fitMonthly, monthlyContext, monthlyRows, predictMonthly, runMonthlyBacktest, type MonthlyPanel } from './monthly.ts';
import { negbin } from '../../../test/forecast/simulate.ts';

const months = (n: number, from = 2017) => Array.from({ length: n }, (_, i) => `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);

/**
 * A growing network: stations open over the span (a first month is partial), usage grows 4% a
 * month with a strong season, and each station has its own level shared with its neighbourhood
 * (stations on a line, level varying smoothly along it). NB counts, size 30.
 */
function simulated(S = 60, M = 30, seed = 3): MonthlyPanel {
  const r = rng(seed);
  const rentals = new Float64Array(S * M).fill(Number.NaN);
  const returns = new Float64Array(S * M).fill(Number.NaN);
  const lat = new Float64Array(S);
  const lon = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    lat[s] = 37.5 + 0.002 * s;
    lon[s] = 127;
    const level = 150 * (1.5 + Math.sin(s / 6)) * Math.exp(0.3 * (r() - 0.5));
    const open = s < S / 2 ? 0 : Math.floor(r() * (M - 2));
    for (let m = open; m < M; m++) {
      const season = 1 + 0.6 * Math.sin((2 * Math.PI * (m % 12 - 3)) / 12);
      const partial = m === open && open > 0 ? 0.4 : 1;
      const mu = level * season * 1.04 ** m * partial;
      rentals[s * M + m] = negbin(mu, 30, r);
      returns[s * M + m] = negbin(mu * 0.97, 30, r);
    }
  }
  return { stations: Array.from({ length: S }, (_, s) => String(100 + s)), months: months(M), rentals, returns, lat, lon };
}

test('monthly baselines, computed by hand', () => {
  // One station, 14 months from 2017-01: 10, 20, ..., 140; a second one opening in month 13.
  const M = 14;
  const rentals = new Float64Array(2 * M).fill(Number.NaN);
  for (let m = 0; m < M; m++) rentals[m] = 10 * (m + 1);
  rentals[M + 12] = 7;
  rentals[M + 13] = 30;
  const p: MonthlyPanel = { stations: ['a', 'b'], months: months(M), rentals, returns: rentals.slice(), lat: null, lon: null };
  const x = monthlyContext(p);
  // Target 2018-02 (t = 13) from last = 12 (2018-01).
  assert.equal(baselineForecast(x, 'historical_average', 'rentals', 0, 13, 12), 20); // February 2017 only
  assert.equal(baselineForecast(x, 'historical_average', 'rentals', 0, 12, 11), 10); // January 2017
  assert.equal(baselineForecast(x, 'seasonal_naive', 'rentals', 0, 13, 12), 20);
  assert.equal(baselineForecast(x, 'last_month', 'rentals', 0, 13, 12), 130);
  // The seasonal step from January to February 2017, measured on station a (b's first month is partial): 20 / 10.
  assert.equal(baselineForecast(x, 'last_month_x_seasonal_step', 'rentals', 0, 13, 12), 130 * 2);
  // Station b: no year-old month, so seasonal naive falls back to last month (its partial first month, 7).
  assert.equal(baselineForecast(x, 'seasonal_naive', 'rentals', 1, 13, 12), 7);
  // Without coordinates a station with no history borrows the system's last full month.
  assert.equal(baselineForecast(x, 'last_month', 'rentals', 1, 12, 11), 120);
});

test('a forecast from cut-off c reads nothing at or after c', () => {
  const p = simulated(30, 24);
  const c = 20;
  const fitA = fitMonthly(monthlyContext(p), c, [1, 3], { gbdt: { trees: 40 } });
  const q: MonthlyPanel = { ...p, rentals: p.rentals.slice(), returns: p.returns.slice() };
  const M = p.months.length;
  for (let s = 0; s < p.stations.length; s++) {
    for (let m = c; m < M; m++) {
      if (!Number.isNaN(q.rentals[s * M + m]!)) q.rentals[s * M + m] = 5 * q.rentals[s * M + m]! + 3;
      if (!Number.isNaN(q.returns[s * M + m]!)) q.returns[s * M + m] = 0;
    }
  }
  const xq = monthlyContext(q);
  const fitB = fitMonthly(xq, c, [1, 3], { gbdt: { trees: 40 } });
  assert.deepEqual(fitB.alpha, fitA.alpha);
  const xa = monthlyContext(p);
  for (const flow of ['rentals', 'returns'] as const) {
    // Month c one month ahead, month c + 2 three months ahead: both from origin c.
    const rows = monthlyRows(xa, flow, c, c + 3, [1, 3]);
    const keep = [...rows.target.keys()].filter((k) => rows.target[k]! - rows.horizon[k]! === c - 1);
    const sub = { station: Int32Array.from(keep, (k) => rows.station[k]!), target: Int32Array.from(keep, (k) => rows.target[k]!), horizon: Int32Array.from(keep, (k) => rows.horizon[k]!) };
    assert.ok(sub.station.length > 20);
    assert.deepEqual(predictMonthly(xq, flow, fitB.gbdt[flow], sub), predictMonthly(xa, flow, fitA.gbdt[flow], sub));
    for (const name of ['historical_average', 'seasonal_naive', 'last_month', 'last_month_x_seasonal_step'] as const) {
      for (let k = 0; k < sub.station.length; k++) {
        assert.equal(baselineForecast(xq, name, flow, sub.station[k]!, sub.target[k]!, c - 1), baselineForecast(xa, name, flow, sub.station[k]!, sub.target[k]!, c - 1));
      }
    }
  }
});

test('monthly backtest on a growing network: the model beats the baselines, its intervals cover about nominally', () => {
  const p = simulated();
  const r = runMonthlyBacktest(p, { cutoffs: [24, 25, 26, 27, 28, 29], horizons: [1, 3], model: { gbdt: { trees: 150 } } });
  assert.deepEqual(r.cutoffs, ['2019-01', '2019-02', '2019-03', '2019-04', '2019-05', '2019-06']);
  assert.deepEqual(r.scored, [{ horizon_m: 1, from: '2019-01', to: '2019-06' }, { horizon_m: 3, from: '2019-03', to: '2019-06' }]);
  const row = (model: string, h: number, segment = 'all') => r.metrics.find((m) => m.model === model && m.horizon_m === h && m.segment === segment)!;
  for (const h of [1, 3]) {
    const m = row('gbdt_nb', h);
    for (const b of ['historical_average', 'seasonal_naive', 'last_month']) assert.ok(m.mae < row(b, h).mae, `${h} m: model ${m.mae} vs ${b} ${row(b, h).mae}`);
    assert.ok(m.coverage_80 > 0.65 && m.coverage_80 < 0.93, `80%: ${m.coverage_80}`);
    assert.ok(m.coverage_95 > 0.85 && m.coverage_95 <= 1, `95%: ${m.coverage_95}`);
    assert.ok(m.r2 > (h === 1 ? 0.85 : 0.7), `${h} m: R² ${m.r2}`);
  }
  // New stations are scored (and borrow their neighbours' level before their first month).
  assert.ok(row('gbdt_nb', 1, 'new_stations').n > 10);
  assert.equal(row('gbdt_nb', 1, 'new_stations').n + row('gbdt_nb', 1, 'established').n, row('gbdt_nb', 1).n);
  assert.equal(r.by_flow.filter((m) => m.model === 'gbdt_nb').length, 4);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatedPanel } from '../../../test/forecast/simulate.ts';
import { runBacktest } from './backtest.ts';
import { fitStationModel, predictStationModel } from './models/station-gbdt.ts';
import type { FlowPanel } from './panel.ts';
import { coveragePlot, factorPlot, forecastPlot } from './plots.ts';

const S = 6;
const T = 7 * 24 * 7;
const rate = (s: number, t: number, cal: FlowPanel['calendar']) => (0.5 + 0.3 * s) * (cal.localHour[t]! >= 7 && cal.localHour[t]! <= 9 ? 4 : 1) * (cal.dayType[t] ? 0.5 : 1);
const fast = { maxTrainRows: 20_000, validationDays: 7, gbdt: { trees: 15, maxLeaves: 8 } };

function withFutureChanged(p: FlowPanel, from: number): FlowPanel {
  const pickups = p.pickups.slice();
  const returns = p.returns.slice();
  for (let s = 0; s < S; s++) for (let t = from; t < p.hours; t++) {
    pickups[s * p.hours + t] = 50;
    returns[s * p.hours + t] = 50;
  }
  return { ...p, pickups, returns };
}

test('the model never reads hours at or after the cut-off (fit) or the origin (features)', () => {
  const p = simulatedPanel(S, T, rate, 3);
  const cutoff = 5 * 168;
  const origin = cutoff + 30;
  const rows = { station: Int32Array.from({ length: S }, (_, s) => s), target: new Int32Array(S).fill(origin + 2), horizon: new Int32Array(S).fill(3) };
  const a = fitStationModel(p, cutoff, fast);
  const b = fitStationModel(withFutureChanged(p, cutoff), cutoff, fast);
  assert.deepEqual(Array.from(b.flows.pickups.gbdt.trees[3]!.value), Array.from(a.flows.pickups.gbdt.trees[3]!.value));
  assert.deepEqual(Array.from(b.flows.pickups.alpha), Array.from(a.flows.pickups.alpha));
  // Data between the cut-off and the origin may be read (they are known then); data after it may not.
  const pa = predictStationModel(a, 'pickups', rows).mu;
  const c = fitStationModel(withFutureChanged(p, origin), cutoff, fast);
  assert.deepEqual(Array.from(predictStationModel(c, 'pickups', rows).mu), Array.from(pa));
  // ...and the check can fail: changing an hour just before the origin does change the forecast.
  const d = fitStationModel(withFutureChanged(p, origin - 2), cutoff, fast);
  assert.notDeepEqual(Array.from(predictStationModel(d, 'pickups', rows).mu), Array.from(pa));
});

test('backtest reports the model and both baselines per horizon; the model beats seasonal naive on smooth data', () => {
  const p = simulatedPanel(S, T, rate, 4);
  const r = runBacktest(p, { from: T - 168, to: T, horizons: [1, 3, 24], refitHours: 168, originStep: 6, model: fast });
  assert.deepEqual(r.metrics.map((m) => `${m.model}@${m.horizon_h}`), [
    'gbdt_nb@1', 'gbdt_nb@3', 'gbdt_nb@24', 'historical_average@1', 'historical_average@3', 'historical_average@24', 'seasonal_naive@1', 'seasonal_naive@3', 'seasonal_naive@24',
  ]);
  const m3 = r.metrics.find((m) => m.model === 'gbdt_nb' && m.horizon_h === 3)!;
  const sn3 = r.metrics.find((m) => m.model === 'seasonal_naive' && m.horizon_h === 3)!;
  assert.ok(m3.rmse < sn3.rmse, `${m3.rmse} < ${sn3.rmse}`);
  assert.ok(m3.coverage_80 > 0.7 && m3.coverage_80 < 0.9, `coverage ${m3.coverage_80}`);
  // Noise floors of the same rows: ordered, and a calibrated model scores near its own NB floor.
  for (const m of r.metrics) {
    assert.ok(m.floor_mae_oracle <= m.floor_mae_nb && m.floor_rmse_poisson <= m.floor_rmse_nb, `${m.model}@${m.horizon_h}`);
  }
  assert.ok(Math.abs(m3.mae_median / m3.floor_mae_nb - 1) < 0.2, `MAE ${m3.mae_median} vs floor ${m3.floor_mae_nb}`);
  assert.ok(Math.abs(m3.rmse / m3.floor_rmse_nb - 1) < 0.2, `RMSE ${m3.rmse} vs floor ${m3.floor_rmse_nb}`);
  // The plots render from the same samples.
  for (const svg of [coveragePlot(r), forecastPlot(p, r)]) {
    assert.match(svg, /^<svg[^>]*>[\s\S]*<path d="M[\d.]+,[\d.]+L/);
    assert.doesNotMatch(svg, /NaN|Infinity|undefined/);
  }
});

test('the factor plot shows every factor group', () => {
  const p = simulatedPanel(S, T, rate, 5);
  const m = fitStationModel(p, T - 24, fast);
  const svg = factorPlot(m.factors);
  assert.doesNotMatch(svg, /NaN|undefined/);
  for (const f of m.factors.pickups.importance) assert.ok(svg.includes(f.factor.replace(/&/g, '&amp;')), f.factor);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatedPanel } from '../../../test/forecast/simulate.ts';
import { fitStationModel, predictStationModel } from './models/station-gbdt.ts';
import type { FlowPanel } from './panel.ts';
import { historyPlot } from './plots.ts';
import { chooseStations, hideHistory, newStationExperiment, openedStations, openedStationScores, priorGrid } from './new-stations.ts';

// Two neighbourhoods: stations 0-9 busy (rate 3), stations 10-19 quiet (rate 0.3), 2 km apart.
const S = 20;
const T = 6 * 168;
const busy = (s: number) => s < 10;
const rate = (s: number) => (busy(s) ? 3 : 0.3);
const fast = { maxTrainRows: 40_000, validationDays: 7, gbdt: { trees: 20, maxLeaves: 8 } };

function panel() {
  const p = simulatedPanel(S, T, (s) => rate(s), 8);
  return { ...p, lat: Float64Array.from({ length: S }, (_, s) => (busy(s) ? 37.5 : 37.52) + 0.0005 * s), lon: new Float64Array(S).fill(127) };
}

test('a station without history gets its neighbourhood\'s level, and its own as history accumulates', () => {
  const p = panel();
  const cutoff = T - 168;
  const rows = { station: Int32Array.of(2, 2), target: Int32Array.of(cutoff + 5, cutoff + 30), horizon: Int32Array.of(3, 3) };
  // No history at all for busy station 2: the forecast follows its busy neighbours, far above the system mean (1.65).
  const none = predictStationModel(fitStationModel(hideHistory(p, [2], cutoff), cutoff, fast), 'pickups', rows).mu;
  for (const m of none) assert.ok(m > 2.2 && m < 3.8, `no history: ${m}`);
  // A quiet station placed among busy ones (no history) is forecast high too: that is the prior...
  const q = hideHistory(p, [17], cutoff);
  const lat = Float64Array.from(q.lat!);
  lat[17] = 37.5;
  const moved = predictStationModel(fitStationModel({ ...q, lat }, cutoff, fast), 'pickups', { ...rows, station: Int32Array.of(17, 17) }).mu;
  for (const m of moved) assert.ok(m > 1.5, `prior from busy neighbours: ${m}`);
  // ...and two weeks of its own history pull it down to its own level.
  const q2 = hideHistory(p, [17], cutoff - 14 * 24);
  const own = predictStationModel(fitStationModel({ ...q2, lat }, cutoff, fast), 'pickups', { ...rows, station: Int32Array.of(17, 17) }).mu;
  for (const m of own) assert.ok(m < 0.6, `own history: ${m}`);
});

test('a week of its own history moves a new station\'s whole profile to its level (the level step), not only the cells it has seen', () => {
  const p = panel();
  const cutoff = T - 168;
  const q = hideHistory(p, [17], cutoff - 7 * 24);
  const lat = Float64Array.from(q.lat!);
  lat[17] = 37.5; // a quiet station (0.3) among busy ones (3)
  const rows = { station: Int32Array.of(17, 17, 17), target: Int32Array.of(cutoff + 5, cutoff + 30, cutoff + 100), horizon: Int32Array.of(3, 3, 3) };
  const level = predictStationModel(fitStationModel({ ...q, lat }, cutoff, fast), 'pickups', rows).mu;
  const cellsOnly = predictStationModel(fitStationModel({ ...q, lat }, cutoff, { ...fast, priorHours: 4, levelPrior: 0 }), 'pickups', rows).mu;
  for (const m of level) assert.ok(m < 0.7, `with the level step: ${m}`);
  // The earlier rule (cells shrunk to the raw prior with weight 4) keeps it far above its level.
  assert.ok(cellsOnly.reduce((a, b) => a + b, 0) / 3 > 1.5 * (level.reduce((a, b) => a + b, 0) / 3), `cells only ${[...cellsOnly]} vs ${[...level]}`);
});

test('the experiment scores the model, the full-history model and both baselines on the same station-hours', () => {
  const p = panel();
  const cutoff = T - 168;
  const rows = newStationExperiment(p, cutoff, [2, 12], [0, 7, 'all'], { weeks: 1, horizon: 3, model: fast });
  const get = (k: number | 'all', model: string) => rows.find((r) => r.history_days === k && r.model === model && r.week === 'all');
  // With no history the historical average is the system mean (not repeated); the full-history model is its own reference.
  assert.equal(get(0, 'historical_average'), undefined);
  assert.equal(get('all', 'full_history'), undefined);
  const n = get('all', 'gbdt_nb')!.n;
  for (const r of rows.filter((x) => x.week === 'all')) assert.equal(r.n, n, `${r.model} at ${r.history_days}`);
  // The full-history reference in every block is the 'all' model itself.
  assert.equal(get(0, 'full_history')!.rmse, get('all', 'gbdt_nb')!.rmse);
  // A busy and a quiet station, each among its own kind: the neighbourhood prior is far better than the system mean.
  assert.ok(get(0, 'gbdt_nb')!.rmse < 0.95 * get(0, 'system_mean')!.rmse, `${get(0, 'gbdt_nb')!.rmse} vs ${get(0, 'system_mean')!.rmse}`);
  // A week's historical average (1-5 hours per cell) is noisier than the model with the same week.
  assert.ok(get(7, 'gbdt_nb')!.rmse < get(7, 'historical_average')!.rmse);
  assert.ok(get(7, 'gbdt_nb')!.pinball < get(7, 'historical_average')!.pinball);
  // Weekly rows add up to the pooled one.
  assert.equal(rows.filter((r) => r.history_days === 7 && r.model === 'gbdt_nb' && r.week !== 'all').reduce((a, r) => a + r.n, 0), get(7, 'gbdt_nb')!.n);
});

test('stations are drawn one per volume group, reproducibly, among those with enough history', () => {
  // Rates rise with the station index; stations 0 and 1 have too little history before the cut-off.
  const p0 = simulatedPanel(22, T, (s) => 0.1 + 0.2 * s, 3);
  const late = hideHistory(p0, [0, 1], T - 20 * 24); // observed from 20 days before the end: under 14 days before the cut-off's 14-day margin
  const cutoff = T - 168;
  const a = chooseStations(late, cutoff, 4, 7, 14);
  assert.deepEqual(a, chooseStations(late, cutoff, 4, 7, 14));
  assert.ok(!a.includes(0) && !a.includes(1));
  // 20 eligible stations, 4 groups of 5 by volume (= index here): one from each.
  assert.deepEqual(a.map((s) => Math.floor((s - 2) / 5)), [0, 1, 2, 3]);
  assert.notDeepEqual(chooseStations(late, cutoff, 10, 1, 14), chooseStations(late, cutoff, 10, 2, 14));
});

test('stations that opened inside the data: late first hour, not on an older station\'s site, observed long enough', () => {
  const TT = 60 * 24;
  const base = simulatedPanel(10, TT, () => 0.5, 4);
  const lat = Float64Array.from({ length: 10 }, (_, s) => 37.5 + 0.01 * s);
  const lon = new Float64Array(10).fill(127);
  lat[4] = lat[5]! + 0.0001; // 11 m from station 5: a renumbered station 5, not a new one
  let p: FlowPanel = { ...base, lat, lon };
  p = hideHistory(p, [3, 4], 35 * 24);
  p = hideHistory(p, [6], 50 * 24); // only 10 days observed
  p = hideHistory(p, [7], 10 * 24); // opened in the first 28 days: no fit could precede it
  assert.deepEqual(openedStations(p), [{ station: 3, first: 35 * 24 }]);
  assert.deepEqual(openedStations(p, 28, 5).map((x) => x.station), [3, 4]);
});

test('opened stations are scored by weeks since opening, only on hours they were observed', () => {
  const TT = 7 * 168;
  const p = hideHistory(panel2(TT), [3], 5 * 168 + 30);
  const rows = openedStationScores(p, [{ station: 3, first: 5 * 168 + 30 }], { from: 5 * 168, to: TT, refitHours: 168, horizon: 3, model: fast });
  const ages = [...new Set(rows.filter((r) => r.model === 'gbdt_nb').map((r) => r.age))];
  assert.deepEqual(ages, ['week 1', 'week 2']);
  assert.deepEqual([...new Set(rows.map((r) => r.model))].sort(), ['gbdt_nb', 'historical_average', 'seasonal_naive']);
  assert.ok(rows.every((r) => r.stations === 1 && r.stations_set === 'all')); // observed < 8 weeks: no balanced rows
  const n = rows.filter((r) => r.model === 'gbdt_nb').reduce((a, r) => a + r.n, 0);
  // Every hour from its first on, both flows (the simulated panel has no censoring); none before.
  assert.equal(n, 2 * (TT - (5 * 168 + 30)));
});

function panel2(TT: number) {
  const p = simulatedPanel(S, TT, (s) => rate(s), 9);
  return { ...p, lat: Float64Array.from({ length: S }, (_, s) => (busy(s) ? 37.5 : 37.52) + 0.0005 * s), lon: new Float64Array(S).fill(127) };
}

test('the error-by-history plot draws one line per forecast over the history levels', () => {
  const score = { n: 10, point: 'mean' as const, mae_mean: 0, mae_median: 0, rmse: 0, r2: 0, pinball: 0, coverage_80: 0.8, coverage_95: 0.95, mean_y: 0.3 };
  const rows = ([0, 7, 28, 'all'] as const).flatMap((k, i) => [
    { ...score, history_days: k, model: 'gbdt_nb' as const, week: 'all' as const, mae: 0.4 - 0.02 * i },
    { ...score, history_days: k, model: 'system_mean' as const, week: 'all' as const, mae: 0.5 },
    { ...score, history_days: k, model: 'gbdt_nb' as const, week: 1, mae: 9 }, // weekly rows are not drawn
  ]);
  const svg = historyPlot(rows, 'test');
  assert.equal((svg.match(/<path /g) ?? []).length, 2);
  assert.equal((svg.match(/<circle /g) ?? []).length, 8);
  for (const label of ['0 days', '7 days', '28 days', 'all (full history)', 'gbdt_nb', 'system_mean']) assert.ok(svg.includes(label), label);
  assert.ok(!svg.includes('>9<'));
});

test('the prior grid scores the profile alone: neighbours beat the system mean, the level step beats cells only on a week of history', () => {
  // Two neighbourhoods (busy, quiet) for the neighbour prior...
  const p = panel();
  const cutoff = T - 2 * 168;
  const g = priorGrid(p, cutoff, 2, { neighbours: ['system', 4], historyDays: [0], shrinkage: [[16, 5]], minDays: 14 });
  assert.equal(g.length, 2);
  assert.ok(g[1]!.deviance < 0.8 * g[0]!.deviance, `4 nearest ${g[1]!.deviance} vs system ${g[0]!.deviance}`);
  assert.ok(g.every((r) => r.n === g[0]!.n && Number.isNaN(r.prior_hours)));
  // ...and busy and quiet stations interleaved, so the neighbours say little about a station's level.
  const mixed = simulatedPanel(S, T, (s) => (s % 2 === 0 ? 3 : 0.3), 5);
  const m = priorGrid(mixed, cutoff, 2, { neighbours: [4], historyDays: [7, 'all'], shrinkage: [[4, 0], [16, 5]], minDays: 14 });
  const at = (k: number | 'all', kk: number) => m.find((r) => r.history_days === k && r.prior_hours === kk)!;
  assert.ok(at(7, 16).deviance < 0.9 * at(7, 4).deviance, `level step ${at(7, 16).deviance} vs cells only ${at(7, 4).deviance}`);
  // With the (here 4-week) full history it still helps, less: more own hours per cell.
  assert.ok(at('all', 16).deviance <= at('all', 4).deviance);
  assert.ok(at('all', 16).deviance / at('all', 4).deviance > at(7, 16).deviance / at(7, 4).deviance);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatedPanel } from '../../../test/forecast/simulate.ts';
import { fitStationModel, predictStationModel } from './models/station-gbdt.ts';
import { hideHistory } from './new-stations.ts';

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

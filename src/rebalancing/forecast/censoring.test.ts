import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatedPanel } from '../../../test/forecast/simulate.ts';
import { oftenEmptyStations } from './censoring.ts';
import { rng } from './models/gbdt.ts';
import { fitStationModel, predictStationModel } from './models/station-gbdt.ts';

const S = 6;
const T = 5 * 168;
const fast = { maxTrainRows: 30_000, validationDays: 7, gbdt: { trees: 20, maxLeaves: 8 } };

test('censored hours (station empty) are not read as low demand', () => {
  const p = simulatedPanel(S, T, () => 2, 12);
  // Station 0 is empty 40% of its hours: the feed shows 0 pickups then, whatever the demand.
  const empty = p.emptyShare as Float32Array;
  const r = rng(4);
  for (let t = 0; t < T; t++) {
    if (r() < 0.4) {
      empty[t] = 1;
      p.pickups[t] = 0;
    }
  }
  assert.equal(oftenEmptyStations(p, 1 / S).stations[0], 0);
  const cutoff = T - 24;
  const rows = { station: Int32Array.of(0, 0, 0), target: Int32Array.of(cutoff + 1, cutoff + 5, cutoff + 12), horizon: Int32Array.of(2, 6, 13) };
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  const excl = mean(predictStationModel(fitStationModel(p, cutoff, { ...fast, censoring: 'exclude' }), 'pickups', rows).mu);
  const ign = mean(predictStationModel(fitStationModel(p, cutoff, { ...fast, censoring: 'ignore' }), 'pickups', rows).mu);
  assert.ok(Math.abs(excl - 2) < 0.35, `excluding censored hours recovers the demand 2: ${excl}`);
  assert.ok(ign < 1.6, `reading them as observed biases it low: ${ign}`);
});

import { asStationIds } from '../../platform/ids.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hourCalendar } from './calendar.ts';
import { cellProfile, historicalAverage, seasonalNaive } from './baselines.ts';
import type { FlowPanel } from './panel.ts';

// Two stations, three weeks from Monday 2023-01-09 00:00 UTC (no US holiday in it).
function tiny(): FlowPanel {
  const T = 21 * 24;
  const start = Date.parse('2023-01-09T00:00:00Z');
  const pickups = new Float32Array(2 * T);
  for (let t = 0; t < T; t++) {
    pickups[t] = t % 24 === 8 ? 10 + Math.floor(t / 168) : 0; // station 0: 10, 11, 12 at 08h in weeks 1..3
    pickups[T + t] = 1;
  }
  pickups[T + 8] = Number.NaN; // station 1 unobserved once
  return {
    stations: asStationIds(['a', 'b']), start, hours: T, pickups, returns: new Float32Array(2 * T), emptyShare: new Float32Array(2 * T), fullShare: new Float32Array(2 * T),
    lat: null, lon: null, calendar: hourCalendar(start, T, 'UTC', 'US'), weather: null,
  };
}

test('historical average by station x hour x day type, computed by hand', () => {
  const p = tiny();
  // Fit on the first two weeks. Monday 2023-01-16 is a US holiday (Martin Luther King Jr. Day), so
  // weekday 08h at station 0 is (5 x 10 + 4 x 11) / 9, weekend 08h (10 + 10 + 11 + 11) / 4, and
  // holiday 08h the holiday's own 11.
  const prof = cellProfile(p, 'pickups', 0, 14 * 24, 'exclude');
  const mondayWeek3 = 14 * 24 + 8;
  assert.equal(historicalAverage(p, prof, 0, mondayWeek3), 94 / 9);
  assert.equal(historicalAverage(p, prof, 0, 20 * 24 + 8), 10.5); // Sunday
  assert.equal(historicalAverage(p, prof, 0, 19 * 24 + 8), 10.5); // Saturday
  assert.equal(historicalAverage(p, prof, 0, 7 * 24 + 8), 11); // the holiday
  assert.equal(historicalAverage(p, prof, 0, 14 * 24 + 9), 0);
  assert.equal(historicalAverage(p, prof, 1, mondayWeek3), 1);
});

test('seasonal naive is the same hour a week earlier, the historical average where that is unseen', () => {
  const p = tiny();
  const prof = cellProfile(p, 'pickups', 0, 14 * 24, 'exclude');
  assert.equal(seasonalNaive(p, 'pickups', prof, 0, 14 * 24 + 8), 11);
  assert.equal(seasonalNaive(p, 'pickups', prof, 1, 7 * 24 + 8), 1); // a week before is NaN -> average 1
});

test('censored hours are left out of the average when asked', () => {
  const p = tiny();
  const empty = p.emptyShare as Float32Array;
  for (let d = 0; d < 14; d++) empty[d * 24 + 8] = 1; // station 0 empty at 08h every day: all censored
  p.pickups[8] = 0;
  const excl = cellProfile(p, 'pickups', 0, 14 * 24, 'exclude');
  const incl = cellProfile(p, 'pickups', 0, 14 * 24, 'ignore');
  assert.equal(excl.count[0 * 72 + 8], 0);
  assert.ok(incl.count[0 * 72 + 8]! > 0);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempStore, withTempStore } from '../../../test/helpers/store.ts';
import type { StatusObservation, StatusSnapshot } from './observation.ts';
import { writeSnapshot } from './status-log.ts';

const obs = (stationId: string, bikes: number, lastReported: number): StatusObservation => ({
  stationId, lastReported: new Date(lastReported * 1000), bikesAvailable: bikes, ebikesAvailable: null, bikesDisabled: 0,
  docksAvailable: 10 - bikes, docksDisabled: 0, capacity: null, isInstalled: true, isRenting: true, isReturning: true,
});
const snap = (t: number, stations: StatusObservation[]): StatusSnapshot => ({
  system: 's', observedAt: new Date(t * 1000), fetchedAt: new Date(t * 1000 + 500), feedLastUpdated: new Date(t * 1000), stations, source: 'test',
});

test('the status table logs only changes, and the same snapshot twice stores nothing', () =>
  withTempStore(async (t) => {
    assert.deepEqual(await writeSnapshot(t.store, snap(1000, [obs('a', 3, 990), obs('b', 5, 990)])), { stored: true, changedStations: 2 });
    // b unchanged (same state, same last_reported); a changed.
    assert.deepEqual(await writeSnapshot(t.store, snap(1060, [obs('a', 2, 1050), obs('b', 5, 990)])), { stored: true, changedStations: 1 });
    assert.deepEqual(await writeSnapshot(t.store, snap(1060, [obs('a', 2, 1050), obs('b', 5, 990)])), { stored: false, changedStations: 0 });
    const rows = await t.store.all<{ station_id: string; bikes_available: number; observed_at: Date; last_reported: Date }>(
      'SELECT station_id, bikes_available, observed_at, last_reported FROM status ORDER BY observed_at, station_id');
    assert.deepEqual(rows.map((r) => [r.station_id, r.bikes_available, r.observed_at.getTime() / 1000, r.last_reported.getTime() / 1000]), [
      ['a', 3, 1000, 990], ['b', 5, 1000, 990], ['a', 2, 1060, 1050],
    ]);
    assert.equal((await t.store.all('SELECT * FROM snapshots')).length, 2);
  }));

test('an older snapshot is judged against the stored rows on both sides of it', async (ctx) => {
  const t = await tempStore();
  ctx.after(() => t.dispose());
  await writeSnapshot(t.store, snap(1000, [obs('a', 3, 990), obs('b', 5, 990)]));
  await writeSnapshot(t.store, snap(1120, [obs('a', 1, 1110), obs('b', 5, 990)]));
  // Between them: a changed (3 -> 2), b as before. Then the same older snapshot again: nothing.
  assert.deepEqual(await writeSnapshot(t.store, snap(1060, [obs('a', 2, 1050), obs('b', 5, 990)])), { stored: true, changedStations: 1 });
  assert.deepEqual(await writeSnapshot(t.store, snap(1060, [obs('a', 2, 1050), obs('b', 5, 990)])), { stored: false, changedStations: 0 });
  const rows = await t.store.all<{ station_id: string; bikes_available: number; observed_at: Date; import_id: bigint | null }>(
    'SELECT station_id, bikes_available, observed_at, import_id FROM status ORDER BY observed_at, station_id');
  assert.deepEqual(rows.map((r) => [r.station_id, r.bikes_available, r.observed_at.getTime() / 1000, r.import_id]), [
    ['a', 3, 1000, null], ['b', 5, 1000, null], ['a', 2, 1060, null], ['a', 1, 1120, null],
  ]);
  assert.equal((await t.store.all('SELECT * FROM snapshots')).length, 3);
});

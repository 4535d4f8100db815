// gbfs-trips: the real Ford GoBike (Bay Wheels) and Divvy files; the older Citi Bike and Bixi
// layouts from fixtures that follow their published headers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../src/platform/bundled-data.ts';
import { importer } from '../src/platform/import/gbfs-trips.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { tempDir, tempStore, withTempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

const FORD = dataFile('trips', 'baywheels_fordgobike_2019-02-26_28.csv');
const DIVVY = dataFile('trips', 'divvy_2020-Q1_first_10k_rows.csv');
const FIX = join(import.meta.dirname, 'fixtures');

test('Ford GoBike (Bay Wheels) 2019: 14,646 trips, local Pacific times to UTC, the row cut short rejected with its line', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, importer, [FORD], { system: asSystemId('baywheels') });
    assert.equal(s.rejected['row cut short (fewer fields than the header)'], 1);
    const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
    assert.equal(s.imported + rejected, 14647); // 14,646 full rows and the cut one
    assert.equal((await t.store.all<{ line: number }>("SELECT line FROM import_rejects WHERE reason LIKE 'row cut short%'"))[0]!.line, 14648);
    // The first row: 2019-02-28 17:32:10.145 in San Francisco (PST, UTC-8), station 21 -> 13, 52,185 s.
    const r = (await t.store.all<{ started_at: Date; ended_at: Date; start_station_id: string; end_station_id: string; duration_s: number; bike_id: string; birth_year: number; gender: string }>(
      "SELECT * FROM trips WHERE bike_id = '4902' AND start_station_id = '21'"))[0]!;
    assert.equal(r.started_at.toISOString(), '2019-03-01T01:32:10.145Z');
    assert.equal(r.ended_at.toISOString(), '2019-03-01T16:01:55.975Z');
    assert.deepEqual([r.end_station_id, r.duration_s, r.birth_year, r.gender], ['13', 52185, 1984, 'Male']);
    // The stations the file places (the store knew none): station 21 where its trips put it, named.
    const st = (await t.store.all<{ name: string; lat: number; lon: number; capacity: number | null; source: string }>(
      "SELECT name, lat, lon, capacity, source FROM stations WHERE system_id = 'baywheels' AND station_id = '21'"))[0]!;
    assert.deepEqual([st.name, st.lat, st.lon, st.capacity, st.source], ['Montgomery St BART Station (Market St at 2nd St)', 37.7896254, -122.400811, null, 'gbfs-trips']);
    // Every station a trip names is placed (the file gives each a position).
    const n = async (sql: string) => (await t.store.all<{ n: number }>(sql))[0]!.n;
    assert.equal(await n("SELECT count(*)::INTEGER AS n FROM stations WHERE system_id = 'baywheels'"),
      await n("SELECT count(DISTINCT id)::INTEGER AS n FROM (SELECT start_station_id AS id FROM trips UNION ALL SELECT end_station_id FROM trips)"));
    // Idempotent.
    assert.equal((await runImport(t.store, importer, [FORD], { system: asSystemId('baywheels') })).imported, 0);
    assert.equal((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM trips'))[0]!.n, s.imported);
  }));

test('Divvy 2020 (current layout, M/D/YYYY H:MM): 9,998 trips in Chicago time, station ids as strings', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, importer, [DIVVY], { system: asSystemId('divvy') });
    const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
    assert.equal(s.imported + rejected, 9998);
    const r = (await t.store.all<{ started_at: Date; ended_at: Date; start_station_id: string; rideable_type: string; user_type: string; duration_s: number }>(
      "SELECT * FROM trips WHERE trip_id = 'EACB19130B0CDA4A'"))[0]!;
    assert.equal(r.started_at.toISOString(), '2020-01-22T02:06:00.000Z'); // 20:06 CST
    assert.deepEqual([r.start_station_id, r.rideable_type, r.user_type, r.duration_s], ['239', 'docked_bike', 'member', 480]);
  }));

test('older Citi Bike and Bixi layouts (fixtures on the published headers): rejects by reason with line and field', () =>
  withTempStore(async (t) => {
    const c = await runImport(t.store, importer, [join(FIX, 'citibike_tripdata_2019_published_header.csv')], { system: asSystemId('citibike') });
    assert.equal(c.imported, 2);
    assert.deepEqual(c.rejected, { 'return before rental': 1, 'missing start station': 1 });
    const samples = await t.store.all<{ reason: string; line: number; field: string }>('SELECT reason, line, field FROM import_rejects ORDER BY line');
    assert.deepEqual(samples.map((x) => [x.line, x.field]), [[4, 'stoptime'], [5, 'start station id']]);
    const r = (await t.store.all<{ started_at: Date; user_type: string; gender: string; duration_s: number }>("SELECT * FROM trips WHERE bike_id = '31654'"))[0]!;
    assert.deepEqual([r.started_at.toISOString(), r.user_type, r.gender, r.duration_s], ['2019-07-01T04:00:05.123Z', 'Subscriber', '1', 320]);
    const b = await runImport(t.store, importer, [join(FIX, 'bixi_od_2019_published_header.csv')], { system: asSystemId('bixi') });
    assert.equal(b.imported, 2);
    assert.deepEqual(b.rejected, { 'unparseable started_at': 1 });
  }));

test('a file of no known trip layout names file, line 1 and the missing field', async () => {
  const t = await tempStore();
  const d = tempDir();
  try {
    const f = join(d.dir, 'odd.csv');
    writeFileSync(f, 'a,b,c\n1,2,3\n');
    await assert.rejects(runImport(t.store, importer, [f], { system: asSystemId('x') }), /odd\.csv, line 1, field 'started_at': not a known trip layout/);
  } finally {
    await t.dispose();
    d.dispose();
  }
});

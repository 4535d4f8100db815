// gbfs: the real Citi Bike (1.1) and Bay Wheels (2.x) files, and a v3.0 fixture in the published layout.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { dataFile } from '../src/platform/bundled-data.ts';
import { importer } from '../src/platform/import/gbfs.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import type { Store } from '../src/platform/store/connection.ts';
import { tempDir, tempStore, withTempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

const CITI = dataFile('gbfs', 'citibike_nyc', '2024-10-02');
const BAY = dataFile('gbfs', 'baywheels', 'raw_sample_2023-03-06');
const V3 = join(import.meta.dirname, 'fixtures', 'gbfs_v3.0_published_layout');
const count = async (s: Store, sql: string, params?: unknown[]) => Number(Object.values((await s.all(sql, params as never))[0]!)[0]);

test('Citi Bike GBFS 1.1: every station, one snapshot whose stations all enter the change log', () =>
  withTempStore(async (t) => {
    const info = JSON.parse(readFileSync(join(CITI, 'station_information.json'), 'utf-8')) as { data: { stations: unknown[] } };
    const status = JSON.parse(readFileSync(join(CITI, 'station_status.json'), 'utf-8')) as { last_updated: number; data: { stations: unknown[] } };
    const s = await runImport(t.store, importer, [join(CITI, 'station_information.json'), join(CITI, 'station_status.json')], { system: asSystemId('citibike_nyc') });
    const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
    assert.equal(s.imported + rejected, info.data.stations.length + status.data.stations.length);
    assert.equal(await count(t.store, 'SELECT count(*) FROM stations'), s.files[0]!.imported);
    assert.equal(await count(t.store, 'SELECT count(*) FROM status'), s.files[1]!.imported);
    assert.equal(await count(t.store, 'SELECT count(*) FROM snapshots'), 1);
    assert.equal(await count(t.store, 'SELECT epoch(observed_at) FROM snapshots'), status.last_updated);
    assert.equal(await count(t.store, "SELECT count(*) FROM systems WHERE timezone = 'America/New_York'"), 1);
    // Idempotent.
    const again = await runImport(t.store, importer, [join(CITI, 'station_information.json'), join(CITI, 'station_status.json')], { system: asSystemId('citibike_nyc') });
    assert.ok(again.files.every((f) => f.skipped));
  }));

test('Bay Wheels raw day (2.x): system from system_information, a day of snapshots as a change log with hourly flows', () =>
  withTempStore(async (t) => {
    const lines = gunzipSync(readFileSync(join(BAY, 'station_status_2023-03-06_day.jsonl.gz'))).toString().trim().split('\n');
    const times = new Set(lines.map((l) => (JSON.parse(l) as { last_updated: number }).last_updated));
    const s = await runImport(t.store, importer, [join(BAY, 'system_information.json'), join(BAY, 'station_information.json'), join(BAY, 'station_status_2023-03-06_day.jsonl.gz')]);
    assert.deepEqual([...new Set(s.files.map((f) => f.system))], ['fgb']);
    assert.equal(await count(t.store, "SELECT count(*) FROM systems WHERE system_id = 'fgb' AND name = 'Bay Wheels' AND timezone = 'America/Los_Angeles'"), 1);
    assert.equal(await count(t.store, 'SELECT count(*) FROM snapshots'), times.size);
    // The change log holds fewer rows than stations x snapshots, and at least every station once.
    const rows = await count(t.store, 'SELECT count(*) FROM status');
    const stations = await count(t.store, 'SELECT count(DISTINCT station_id) FROM status');
    assert.ok(rows > stations && rows < stations * times.size, `${rows} rows, ${stations} stations, ${times.size} snapshots`);
    // Each stored row differs from the station's previous one.
    assert.equal(await count(t.store, `SELECT count(*) FROM (SELECT bikes_available = lag(bikes_available) OVER w AND docks_available = lag(docks_available) OVER w
      AND ebikes_available = lag(ebikes_available) OVER w AND bikes_disabled IS NOT DISTINCT FROM lag(bikes_disabled) OVER w
      AND docks_disabled IS NOT DISTINCT FROM lag(docks_disabled) OVER w AND is_installed = lag(is_installed) OVER w
      AND is_renting = lag(is_renting) OVER w AND is_returning = lag(is_returning) OVER w AS same
      FROM status WINDOW w AS (PARTITION BY station_id ORDER BY observed_at)) WHERE same`), 0);
    assert.ok(await count(t.store, 'SELECT sum(pickups) FROM hourly_flows') > 100);
  }));

test('GBFS v3.0 (published layout): localized names, RFC 3339 times, vehicles; flows between two snapshots', () =>
  withTempStore(async (t) => {
    const files = ['system_information.json', 'station_information.json', 'station_status.json', 'station_status_2.json'].map((f) => join(V3, f));
    const s = await runImport(t.store, importer, files);
    assert.equal(s.files[0]!.system, 'example_v3');
    assert.deepEqual(s.rejected, { 'missing lat/lon': 1 });
    const st = await t.store.all<{ station_id: string; name: string; short_name: string | null; capacity: number }>('SELECT station_id, name, short_name, capacity FROM stations ORDER BY station_id');
    assert.deepEqual(st.map((x) => [x.station_id, x.name, x.capacity]), [['st-1', 'Main St & 1st Ave', 20], ['st-2', 'Park Ave', 15], ['st-3', 'River Rd', 12]]);
    // 3 stations at the first snapshot, then only the two that changed.
    assert.equal(await count(t.store, 'SELECT count(*) FROM status'), 5);
    assert.equal(await count(t.store, "SELECT bikes_disabled FROM status WHERE station_id = 'st-1' LIMIT 1"), 1);
    const f = await t.store.all<{ station_id: string; pickups: number; returns: number; minutes_observed: number }>(
      "SELECT station_id, pickups, returns, minutes_observed FROM hourly_flows WHERE hour = '2024-10-02 16:00:00+00' ORDER BY station_id");
    assert.deepEqual(f.map((x) => [x.station_id, x.pickups, x.returns, x.minutes_observed]), [['st-1', 1, 0, 10], ['st-2', 0, 1, 10], ['st-3', 0, 0, 10]]);
  }));

test('bad input: JSON with an error names file and line; a station_status without last_updated is refused', async () => {
  const t = await tempStore();
  const d = tempDir();
  try {
    const bad = join(d.dir, 'station_status.json');
    writeFileSync(bad, '{\n "data": {\n  "stations": [,]\n }\n}\n');
    await assert.rejects(runImport(t.store, importer, [bad], { system: asSystemId('x') }), /station_status\.json(, line 3)?: not valid JSON/);
    const noTime = join(d.dir, 'status_no_time.json');
    writeFileSync(noTime, JSON.stringify({ data: { stations: [{ station_id: 'a', num_bikes_available: 1, num_docks_available: 1, is_installed: true, is_renting: true, is_returning: true }] } }));
    await assert.rejects(runImport(t.store, importer, [noTime], { system: asSystemId('x') }), /status_no_time\.json.*last_updated/);
    await assert.rejects(runImport(t.store, importer, [join(CITI, 'station_status.json')]), /no system named in the file; give --system/);
  } finally {
    await t.dispose();
    d.dispose();
  }
});

import assert from 'node:assert/strict';
import { copyFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile, repoRoot } from '../bundled-data.ts';
import { runImport } from './run-import.ts';
import { importer as stationsImporter } from './seoul-stations.ts';
import { importer, STATUS_REASONS } from './seoul-status.ts';
import { numberFromName, snapshotTime } from './seoul/bikelist-file.ts';

// Fixtures in the published bikeList layout, built from the real 2025-05 station list (first 30
// stations) with made-up bike counts: no real snapshot is bundled.
const fx = (n: string) => join(repoRoot(), 'test', 'fixtures', n);
const S0800 = fx('seoul_bikeList_published_layout_from_real_station_list_20250501_0800.json');
const S0810 = fx('seoul_bikeList_published_layout_from_real_station_list_20250501_0810.json');
const BAD = fx('seoul_bikeList_published_layout_malformed_rows_20250501_0820.json');
const API1 = dataFile('seoul', 'stations', 'api_stationInfo_2025-05_chunk_1_1000.json');

test('snapshot time: a field, an ISO (UTC) or Seoul stamp in the name, else the modification time', () => {
  const mtime = new Date('2025-01-02T03:04:05Z');
  assert.deepEqual(snapshotTime({ fetched_at: '2025-05-01T00:00:00Z' }, 'x.json', mtime), { at: new Date('2025-05-01T00:00:00Z'), source: 'field' });
  assert.deepEqual(snapshotTime({}, '2025-05-01T08-10-00.000Z_p1.json.gz', mtime), { at: new Date('2025-05-01T08:10:00.000Z'), source: 'file name (UTC)' });
  assert.deepEqual(snapshotTime({}, 'bikeList_20250501_0810.json', mtime), { at: new Date('2025-04-30T23:10:00Z'), source: 'file name (Seoul time)' });
  assert.deepEqual(snapshotTime({}, 'bikeList-202505010810.json', mtime).at, new Date('2025-04-30T23:10:00Z'));
  assert.deepEqual(snapshotTime({}, 'snapshot.json', mtime), { at: mtime, source: 'file modification time' });
  assert.equal(numberFromName('102. 망원역 1번출구 앞'), '102');
  assert.equal(numberFromName('00108.서교동'), '108');
  assert.equal(numberFromName('이름만'), undefined);
});

test('two snapshots: the change log holds every station once, then only the five that changed', () =>
  withTempStore(async (t) => {
    await runImport(t.store, stationsImporter, [API1]);
    const a = await runImport(t.store, importer, [S0800]);
    assert.equal(a.imported, 30);
    const b = await runImport(t.store, importer, [S0810]);
    assert.equal(b.imported, 30);
    const rows = await t.store.all<{ n: number; at: Date }>('SELECT count(*) AS n, observed_at AS at FROM status GROUP BY observed_at ORDER BY observed_at');
    // 08:00 and 08:10 Seoul time are 23:00 and 23:10 UTC the day before.
    assert.deepEqual(rows.map((r) => [r.at.toISOString(), r.n]), [['2025-04-30T23:00:00.000Z', 30], ['2025-04-30T23:10:00.000Z', 5]]);
    const snaps = await t.store.all<{ stations: number }>('SELECT stations FROM snapshots ORDER BY observed_at');
    assert.deepEqual(snaps.map((s) => s.stations), [30, 30]);
    // ST-10 is stored as station 108 (its number in trip files), with its racks and bikes.
    const s108 = await t.store.all<{ station_id: string; capacity: number; bikes_available: number; docks_available: number }>(
      "SELECT station_id, capacity, bikes_available, docks_available FROM status WHERE station_id = '108' ORDER BY observed_at");
    assert.deepEqual(s108.map((r) => [r.capacity, r.bikes_available, r.docks_available]), [[12, 0, 12], [12, 2, 10]]);
    assert.equal((await t.store.all("SELECT * FROM status WHERE station_id LIKE 'ST-%'")).length, 0);
    // The hourly flows follow the import: 108 gained 2 bikes between the snapshots (2 returns, under
    // the truck threshold), observed over the 10 minutes the two snapshots span.
    const f108 = await t.store.all<{ p: number; r: number; mo: number }>(
      "SELECT pickups AS p, returns AS r, minutes_observed AS mo FROM hourly_flows WHERE station_id = '108' AND hour = '2025-04-30 23:00:00+00'");
    assert.deepEqual(f108.map((r) => [r.p, r.r, r.mo]), [[0, 2, 10]]);
    assert.equal((await t.store.all<{ n: number }>('SELECT count(DISTINCT station_id) AS n FROM hourly_flows'))[0]!.n, 30);
    // The same file again: skipped; a copy under another name with the same time: nothing stored.
    const again = await runImport(t.store, importer, [S0810]);
    assert.equal(again.files[0]!.skipped, true);
    const copy = join(t.dir, 'copy_20250501_0810.json');
    writeFileSync(copy, JSON.stringify({ ...JSON.parse((await import('node:fs')).readFileSync(S0810, 'utf-8')), note: 'copy' }));
    const dup = await runImport(t.store, importer, [copy]);
    assert.deepEqual(dup.rejected, { [STATUS_REASONS.alreadyStored]: 30 });
    assert.equal((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM status'))[0]!.n, 35);
  }));

test('bad rows are rejected by reason; an unknown ST- id is mapped by the number in its name', () =>
  withTempStore(async (t) => {
    await runImport(t.store, stationsImporter, [API1]);
    const s = await runImport(t.store, importer, [BAD]);
    assert.equal(s.imported, 6);
    assert.deepEqual(s.rejected, { [STATUS_REASONS.unmapped]: 1, [STATUS_REASONS.badBikes]: 1, [STATUS_REASONS.duplicate]: 1 });
    const learnt = await t.store.all<{ station_id: string }>("SELECT station_id FROM station_ids WHERE source_id = 'ST-888888'");
    assert.deepEqual(learnt, [{ station_id: '4999' }]);
  }));

test('without a time in the name the file modification time is used; a non-bikeList file is an error', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'snapshot.json');
    copyFileSync(S0800, f);
    utimesSync(f, new Date('2025-06-01T12:00:00Z'), new Date('2025-06-01T12:00:00Z'));
    await runImport(t.store, importer, [f]);
    const at = await t.store.all<{ at: Date }>('SELECT observed_at AS at FROM snapshots');
    assert.equal(at[0]!.at.toISOString(), '2025-06-01T12:00:00.000Z');
    const g = join(t.dir, 'error.json');
    writeFileSync(g, JSON.stringify({ RESULT: { CODE: 'ERROR-337', MESSAGE: '일일 트래픽 초과' } }));
    await assert.rejects(runImport(t.store, importer, [g]), (e: Error) => e.name === 'ImportError' && e.message.includes('error.json') && e.message.includes('ERROR-337'));
    const h = join(t.dir, 'broken.json');
    writeFileSync(h, '{"rentBikeStatus": {\n"row": [ {"stationId": } ] } }');
    await assert.rejects(runImport(t.store, importer, [h]), (e: Error) => e.name === 'ImportError' && e.message.includes('broken.json') && e.message.includes('line 2'));
  }));

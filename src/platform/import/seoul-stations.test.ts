import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../bundled-data.ts';
import { runImport } from './run-import.ts';
import { importer } from './seoul-stations.ts';
import { importer as trips } from './seoul-trips.ts';
import { STATION_REASONS } from './seoul/station-lists.ts';

const st = (f: string) => dataFile('seoul', 'stations', f);
const API = ['1_1000', '1001_2000', '2001_3000', '3001_3156'].map((c) => st(`api_stationInfo_2025-05_chunk_${c}.json`));

test('every bundled station list imports; counts match the files; a later file updates attributes', () =>
  withTempStore(async (t) => {
    const s21 = await runImport(t.store, importer, [st('official_station_list_2021-06_cp949_multiline_header.csv')]);
    // 2,472 records: five header records and 2,467 stations; one (1686) sits at 0/0.
    assert.equal(s21.imported, 2467);
    assert.deepEqual(s21.rejected, { [STATION_REASONS.badCoordinates]: 1 });
    const before = await t.store.all<{ capacity: number; name: string }>("SELECT capacity, name FROM stations WHERE station_id = '102'");
    assert.deepEqual(before, [{ capacity: 20, name: '망원역 1번출구 앞' }]);

    const s23 = await runImport(t.store, importer, [st('official_station_list_2023-06_cp949.csv')]);
    assert.equal(s23.imported, 2749); // 2,760 lines, 10 addresses with a line break, one header
    const addr = await t.store.all<{ address: string; name: string }>("SELECT address, name FROM stations WHERE station_id = '4677'");
    assert.deepEqual(addr, [{ address: '은평구 응암로 278 맞은편 (응암동 767-1 공원 앞)', name: '백련산 SK뷰 아이파크 해모로 아파트 앞' }]);

    const master = await runImport(t.store, importer, [st('station_master_2026-04.csv')]);
    assert.equal(master.imported, 2799);
    const tsv = await runImport(t.store, importer, [st('all_stations_incl_closed_2015-2021_cp949.tsv')]);
    assert.equal(tsv.imported, 2290);

    const api = await runImport(t.store, importer, API);
    assert.equal(api.imported, 3156);
    assert.deepEqual(api.rejected, { [STATION_REASONS.badCoordinates]: 3 });
    // ST-10 is station 00108 in the API, '108' in the store, as in trip files.
    const s108 = await t.store.all<{ name: string; capacity: number; district: string; lat: number }>("SELECT name, capacity, district, lat FROM stations WHERE station_id = '108'");
    assert.deepEqual(s108, [{ name: '서교동 사거리', capacity: 12, district: '마포구', lat: 37.55274582 }]);
    const ids = await t.store.all<{ n: number }>("SELECT count(*) AS n FROM station_ids WHERE source = 'seoul-api'");
    assert.equal(ids[0]!.n, 3156);
    const st10 = await t.store.all<{ station_id: string }>("SELECT station_id FROM station_ids WHERE source_id = 'ST-10'");
    assert.deepEqual(st10, [{ station_id: '108' }]);
    // Station 1686 was at 0/0 in 2021 (kept without a position); the 2023 list gave it one.
    const s1686 = await t.store.all<{ lat: number | null }>("SELECT lat FROM stations WHERE station_id = '1686'");
    assert.deepEqual(s1686, [{ lat: 37.66114044 }]);
    // Station 1272 is at 0/0 in the API list and in no other list: known, without a position.
    const s1272 = await t.store.all<{ lat: number | null; name: string }>("SELECT lat, name FROM stations WHERE station_id = '1272'");
    assert.deepEqual(s1272, [{ lat: null, name: '송파 글마루도서관' }]);

    // Every station named in the API list is in the store once.
    const apiCount = API.map((f) => (JSON.parse(readFileSync(f, 'utf-8')) as { stationInfo: { row: unknown[] } }).stationInfo.row.length).reduce((a, b) => a + b, 0);
    const inStore = await t.store.all<{ n: number }>("SELECT count(*) AS n FROM stations s JOIN station_ids i ON i.station_id = s.station_id AND i.system_id = s.system_id");
    assert.equal(inStore[0]!.n, apiCount);

    // Importing the API list again changes nothing.
    const again = await runImport(t.store, importer, API);
    assert.equal(again.imported, 0);
    assert.ok(again.files.every((f) => f.skipped));
  }));

test('trip files and the API list agree on ST- ids, so trips join to live status', () =>
  withTempStore(async (t) => {
    await runImport(t.store, importer, API);
    await runImport(t.store, trips, [dataFile('seoul', 'trips', 'trip_history_sample_17col_999rows.csv')]);
    // Each trip's start station (a number) maps back to the ST- id the trip file wrote beside it.
    const raw = readFileSync(dataFile('seoul', 'trips', 'trip_history_sample_17col_999rows.csv'), 'utf-8').replace(/^\uFEFF/, '').trim().split('\n').slice(1);
    const pairs = new Map(raw.map((l) => { const c = l.split(','); return [c[c.length - 3]!, c[2]!.replace(/^0+/, '')]; }));
    const mapped = await t.store.all<{ source_id: string; station_id: string }>("SELECT source_id, station_id FROM station_ids WHERE source = 'seoul-api'");
    const byApi = new Map(mapped.map((m) => [m.source_id, m.station_id]));
    let checked = 0;
    for (const [stId, number] of pairs) {
      if (!/^ST-\d+$/.test(stId)) continue; // a name with a comma shifts this naive split
      assert.equal(byApi.get(stId), number, stId);
      checked++;
    }
    assert.ok(checked > 300);
  }));

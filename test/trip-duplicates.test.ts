// The same trips twice (issue 20, 2): idempotency by file hash let a partial re-download, the same
// file re-encoded or an overlapping export add every trip again. A trip is stored once, by its ride
// id where the format has one, else by bike, times and stations; the first version is kept, and
// the import and `info` report the duplicates. Real files: the Seoul sample, Divvy, Bay Wheels 2019.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { dataFile } from '../src/platform/bundled-data.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { importer as seoulTrips } from '../src/platform/import/seoul-trips.ts';
import { importer as gbfsTrips } from '../src/platform/import/gbfs-trips.ts';
import { summariseStore } from '../src/platform/store/info.ts';
import { tempStore, withTempStore } from './helpers/store.ts';
import { asSystemId } from '../src/platform/ids.ts';

const SEOUL = dataFile('seoul/trips/trip_history_sample_17col_999rows.csv');
const DIVVY = dataFile('trips/divvy_2020-Q1_first_10k_rows.csv');
const BAYWHEELS = dataFile('trips/baywheels_fordgobike_2019-02-26_28.csv');

test('Seoul: a 90% copy, the CP949 and the gzip re-encodings of the sample add no trip; a row twice in one file is stored once', () =>
  withTempStore(async (t) => {
    const trips = async () => (await t.store.all<{ n: number }>('SELECT count(*) AS n FROM trips'))[0]!.n;
    const first = await runImport(t.store, seoulTrips, [SEOUL]);
    assert.equal(first.imported, 999);
    assert.equal(first.duplicates, 0);

    const text = readFileSync(SEOUL, 'utf-8');
    const lines = text.split(/\r?\n/).filter((l) => l !== '');
    const cut = join(t.dir, 'seoul_90pct.csv');
    writeFileSync(cut, lines.slice(0, 900).join('\n') + '\n');
    const cp949 = join(t.dir, 'seoul_cp949.csv');
    writeFileSync(cp949, iconv.encode(text.replace(/^\uFEFF/, ''), 'cp949'));
    const gz = join(t.dir, 'seoul.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(SEOUL)));
    const again = await runImport(t.store, seoulTrips, [cut, cp949, gz]);
    assert.deepEqual(again.files.map((f) => [f.imported, f.duplicates]), [[0, 899], [0, 999], [0, 999]]);
    assert.equal(await trips(), 999);

    // The first version is kept: a new file whose first row is a stored trip and whose second row
    // repeats its third adds only the one new trip.
    const fresh = lines[1]!.replace('2017-09-01 00:00', '2017-09-03 00:00').replace('2017-09-01 00:0', '2017-09-03 00:0');
    const mixed = join(t.dir, 'seoul_mixed.csv');
    writeFileSync(mixed, [lines[0], lines[1], fresh, fresh.replace(/,[^,]*$/, ',새싹자전거')].join('\r\n') + '\r\n');
    const m = await runImport(t.store, seoulTrips, [mixed]);
    assert.deepEqual([m.imported, m.duplicates], [1, 2]);
    const kept = await t.store.all<{ rideable_type: string }>("SELECT rideable_type FROM trips WHERE started_at >= TIMESTAMPTZ '2017-09-02 15:00:00+00'");
    assert.deepEqual(kept.map((r) => r.rideable_type), ['LCD자전거'], 'the first of the two rows is the one kept');

    const info = await summariseStore(t.store);
    assert.equal(info.duplicates, 899 + 999 + 999 + 2);
    assert.deepEqual(info.imports.map((i) => i.duplicates), [0, 899, 999, 999, 2]);
  }));

test('Divvy re-imported with a BOM adds nothing (ride_id); Bay Wheels 2019 re-imported gzipped adds nothing (bike, times, stations)', () =>
  withTempStore(async (t) => {
    const count = async (s: string) => (await t.store.all<{ n: number }>('SELECT count(*) AS n FROM trips WHERE system_id = $1', [s]))[0]!.n;
    assert.equal((await runImport(t.store, gbfsTrips, [DIVVY], { system: asSystemId('divvy') })).imported, 9_998);
    const bom = join(t.dir, 'divvy_bom.csv');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(DIVVY)]));
    const d = await runImport(t.store, gbfsTrips, [bom], { system: asSystemId('divvy') });
    assert.deepEqual([d.imported, d.duplicates], [0, 9_998]);
    assert.equal(await count('divvy'), 9_998);

    assert.equal((await runImport(t.store, gbfsTrips, [BAYWHEELS], { system: asSystemId('baywheels') })).imported, 14_646);
    const gz = join(t.dir, 'baywheels_2019.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(BAYWHEELS)));
    const b = await runImport(t.store, gbfsTrips, [gz], { system: asSystemId('baywheels') });
    assert.deepEqual([b.imported, b.duplicates], [0, 14_646]);
    assert.equal(await count('baywheels'), 14_646);
  }));

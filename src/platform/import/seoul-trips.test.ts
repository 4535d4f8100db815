import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { tempStore, withTempStore } from '../../../test/helpers/store.ts';
import { dataFile, repoRoot } from '../bundled-data.ts';
import { runImport } from './run-import.ts';
import { importer, TRIP_REASONS } from './seoul-trips.ts';
import { parseCsvLine } from './csv-records.ts';
import { asSystemId } from '../ids.ts';

const fixture = (name: string) => join(repoRoot(), 'test', 'fixtures', name);
const SAMPLE = dataFile('seoul', 'trips', 'trip_history_sample_17col_999rows.csv');

interface TripRow { bike_id: string; started_at: Date; ended_at: Date; start_station_id: string; end_station_id: string; duration_s: number; distance_m: number | null; user_type: string | null; birth_year: number | null; gender: string | null; rideable_type: string | null }

async function importOne(file: string) {
  const t = await tempStore();
  const summary = await runImport(t.store, importer, [file], { system: asSystemId('seoul') });
  const trips = await t.store.all<TripRow & Record<string, unknown>>('SELECT * FROM trips ORDER BY started_at, bike_id');
  return { t, summary, trips };
}

test('11-column CP949 file (published header, all fields quoted): times to UTC, numbers unpadded', async () => {
  const { t, summary, trips } = await importOne(fixture('seoul_trips_11col_published_header_cp949.csv'));
  try {
    assert.equal(summary.imported, 5);
    assert.deepEqual(summary.rejected, {});
    const first = trips.find((r) => r.bike_id === 'SPB-00080')!;
    // 2017-09-01 00:00:34 in Seoul (UTC+9) is 2017-08-31 15:00:34 UTC.
    assert.equal(first.started_at.toISOString(), '2017-08-31T15:00:34.000Z');
    assert.equal(first.ended_at.toISOString(), '2017-08-31T15:03:07.000Z');
    assert.equal(first.start_station_id, '210');
    assert.equal(first.end_station_id, '213');
    assert.equal(first.duration_s, 153);
    assert.equal(first.distance_m, 480);
    assert.equal(first.user_type, null); // the 11-column vintage has no member fields
    const imp = await t.store.all<{ encoding: string }>('SELECT encoding FROM imports');
    assert.match(imp[0]!.encoding, /cp949; 11-column/);
  } finally {
    await t.dispose();
  }
});

test('11-column file published without a header row imports every line as a record', async () => {
  const { t, summary } = await importOne(fixture('seoul_trips_11col_published_no_header_row_cp949.csv'));
  try {
    assert.equal(summary.imported, 3);
    assert.match((await t.store.all<{ encoding: string }>('SELECT encoding FROM imports'))[0]!.encoding, /no header row/);
  } finally {
    await t.dispose();
  }
});

test('16-column UTF-8 file (no BOM) keeps member fields', async () => {
  const { t, summary, trips } = await importOne(fixture('seoul_trips_16col_published_header_utf8.csv'));
  try {
    assert.equal(summary.imported, 5);
    const r = trips.find((x) => x.bike_id === 'SPB-01550')!;
    assert.deepEqual([r.birth_year, r.gender, r.user_type, r.rideable_type], [1997, 'F', '내국인', null]);
    // ST- ids seen beside station numbers are recorded for joining live status.
    const ids = await t.store.all<{ station_id: string }>("SELECT station_id FROM station_ids WHERE source = 'seoul-api' AND source_id = 'ST-295'");
    assert.deepEqual(ids.map((x) => x.station_id), ['247']);
  } finally {
    await t.dispose();
  }
});

test('17-column CP949 file: Korean text decoded, bike type kept', async () => {
  const { t, summary, trips } = await importOne(fixture('seoul_trips_17col_published_header_cp949.csv'));
  try {
    assert.equal(summary.imported, 5);
    assert.ok(trips.every((r) => r.user_type === '내국인' && r.rideable_type === 'LCD자전거'));
    const lotte = trips.find((r) => r.bike_id === 'SPB-08018')!; // "롯데월드타워(잠실역2번출구 쪽)"
    assert.equal(lotte.start_station_id, '1210');
  } finally {
    await t.dispose();
  }
});

test('malformed rows are rejected by reason, with their file lines; good rows around them load', async () => {
  const { t, summary, trips } = await importOne(fixture('seoul_trips_17col_malformed_rows_utf8bom.csv'));
  try {
    assert.deepEqual(trips.map((r) => r.bike_id).sort(), ['SPB-00312', 'SPB-02555', 'SPB-02743']);
    assert.equal(trips.find((r) => r.bike_id === 'SPB-02555')!.start_station_id, '152'); // written '00152'
    assert.deepEqual(summary.rejected, {
      [TRIP_REASONS.missingStation]: 2,
      [TRIP_REASONS.returnBeforeRental]: 1,
      [TRIP_REASONS.unparseableDate]: 1,
      [TRIP_REASONS.notNumbered]: 1,
      [TRIP_REASONS.badQuoting]: 1,
      [TRIP_REASONS.wrongFieldCount]: 1,
      [TRIP_REASONS.dateOutOfRange]: 1,
      [TRIP_REASONS.missingDate]: 1,
    });
    const samples = await t.store.all<{ reason: string; line: number; field: string | null }>('SELECT reason, line, field FROM import_rejects ORDER BY line');
    assert.deepEqual(samples.map((s) => [s.line, s.reason]), [
      [3, TRIP_REASONS.returnBeforeRental],
      [4, TRIP_REASONS.missingStation],
      [5, TRIP_REASONS.missingStation],
      [6, TRIP_REASONS.unparseableDate],
      [7, TRIP_REASONS.notNumbered],
      [8, TRIP_REASONS.badQuoting],
      [9, TRIP_REASONS.wrongFieldCount],
      [10, TRIP_REASONS.dateOutOfRange],
      [13, TRIP_REASONS.missingDate],
    ]);
    assert.equal(samples.find((s) => s.line === 6)!.field, '대여일시');
  } finally {
    await t.dispose();
  }
});

test('a header matching no vintage, or a file that is not CSV, is an error naming the file', () =>
  withTempStore(async (t) => {
    await assert.rejects(runImport(t.store, importer, [fixture('seoul_trips_unknown_header.csv')]), (e: Error) =>
      e.name === 'ImportError' && e.message.includes('seoul_trips_unknown_header.csv') && e.message.includes('line 1') && /no known trip-history vintage/.test(e.message));
    assert.equal((await t.store.all('SELECT * FROM imports')).length, 0);
  }));

test('the real 17-column sample: every record loads, a station\'s totals match the file', async () => {
  const { t, summary } = await importOne(SAMPLE);
  try {
    assert.equal(summary.imported, 999);
    assert.deepEqual(summary.rejected, {});
    // Independent count straight from the file: rentals at station 00210 (IFC몰) and their distance.
    const records = readFileSync(SAMPLE, 'utf-8').replace(/^\uFEFF/, '').trim().split('\n').slice(1).map((l) => parseCsvLine(l));
    const at210 = records.filter((r) => r[2] === '00210');
    const returnsAt210 = records.filter((r) => r[6] === '00210').length;
    const metres = at210.reduce((a, r) => a + Number(r[10]), 0);
    const got = await t.store.all<{ n: number; m: number }>("SELECT count(*) AS n, sum(distance_m) AS m FROM trips WHERE start_station_id = '210'");
    assert.ok(at210.length > 0);
    assert.equal(got[0]!.n, at210.length);
    assert.equal(got[0]!.m, metres);
    const ret = await t.store.all<{ n: number }>("SELECT count(*) AS n FROM trips WHERE end_station_id = '210'");
    assert.equal(ret[0]!.n, returnsAt210);
    // Span: the sample covers 2017-09-01 00:00..01:45 Seoul time.
    const span = await t.store.all<{ a: Date; b: Date }>('SELECT min(started_at) AS a, max(ended_at) AS b FROM trips');
    assert.equal(span[0]!.a.toISOString().slice(0, 13), '2017-08-31T15');
    assert.equal(span[0]!.b.toISOString().slice(0, 13), '2017-08-31T16');
    // Importing it again changes nothing.
    const again = await runImport(t.store, importer, [SAMPLE], { system: asSystemId('seoul') });
    assert.equal(again.imported, 0);
    assert.equal(again.files[0]!.skipped, true);
    assert.equal((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM trips'))[0]!.n, 999);
  } finally {
    await t.dispose();
  }
});

test('CLI: urbanlab import seoul-trips --json prints imported and rejected', async () => {
  const t = await tempStore();
  await t.store.close();
  try {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), 'import', 'seoul-trips',
      fixture('seoul_trips_17col_malformed_rows_utf8bom.csv'), '--db', join(t.dir, 'cli.duckdb'), '--json', '--quiet']);
    const out = JSON.parse(stdout) as { imported: number; rejected: Record<string, number> };
    assert.equal(out.imported, 3);
    assert.equal(Object.values(out.rejected).reduce((a, b) => a + b, 0), 9);
    const bad = await run(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), 'import', 'seoul-trips',
      fixture('seoul_trips_unknown_header.csv'), '--db', join(t.dir, 'cli.duckdb'), '--json', '--quiet']).then(() => undefined, (e: { code: number; stderr: string }) => e);
    assert.ok(bad && bad.code !== 0);
    assert.match(bad.stderr, /seoul_trips_unknown_header\.csv/);
  } finally {
    await t.dispose();
  }
});

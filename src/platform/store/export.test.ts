import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../bundled-data.ts';
import { importer as boundaries } from '../import/boundaries.ts';
import { sqlString } from '../import/file-input.ts';
import { runImport } from '../import/run-import.ts';
import { importer as weather } from '../import/weather.ts';
import type { Store } from './connection.ts';
import { archiveImports, exportQuery, exportTable } from './export.ts';

const KMA_2022 = dataFile('seoul/weather/kma_asos108_hourly_2022-01_2022-03_cp949.csv');
const DISTRICTS = dataFile('seoul/boundaries/seoul_districts_25gu_2015.geojson');

/** Rows in the table and not in the Parquet dataset, and the other way round (multisets). */
async function difference(store: Store, table: string, time: string | null, glob: string): Promise<[number, number]> {
  const src = `(${exportQuery(table, time)})`;
  const cols = (await store.all<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${src})`)).map((c) => `"${c.column_name}"`).join(', ');
  const pq = `(SELECT ${cols} FROM read_parquet(${sqlString(glob)}, hive_partitioning = true))`;
  const a = await store.all<{ n: number }>(`SELECT count(*) n FROM (SELECT ${cols} FROM ${src} EXCEPT ALL SELECT * FROM ${pq})`);
  const b = await store.all<{ n: number }>(`SELECT count(*) n FROM (SELECT * FROM ${pq} EXCEPT ALL SELECT ${cols} FROM ${src})`);
  return [a[0]!.n, b[0]!.n];
}

test('export: Hive folders system=/date= (UTC day) that DuckDB reads back equal to the table', () =>
  withTempStore(async (t) => {
    await runImport(t.store, weather, [KMA_2022]);
    const out = join(t.dir, 'weather');
    const r = await exportTable(t.store, 'weather_hourly', out);
    assert.equal(r.rows, 2160);
    // 2022-01-01 00:00 KST .. 2022-03-31 23:00 KST = 2021-12-31T15:00Z .. 2022-03-31T14:00Z: 91 UTC days.
    assert.equal(r.files.length, 91);
    assert.ok(r.files.every((f) => /system=seoul\/date=\d{4}-\d{2}-\d{2}\/part-0\.parquet$/.test(relative(out, f.path)) && f.bytes > 0));
    assert.equal(r.bytes, r.files.reduce((a, f) => a + f.bytes, 0));
    const first = r.files[0]!;
    assert.match(first.path, /date=2021-12-31/);
    assert.equal(first.rows, 9); // 00:00..08:00 KST on 1 January = 15:00..23:00 UTC on 31 December
    assert.deepEqual(await difference(t.store, 'weather_hourly', 'hour', join(out, '**', '*.parquet')), [0, 0]);
    const types = await t.store.all<{ column_name: string; column_type: string }>(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(join(out, '**', '*.parquet'))}, hive_partitioning = true)) WHERE column_name IN ('hour', 'date', 'system') ORDER BY 1`,
    );
    assert.deepEqual(types, [{ column_name: 'date', column_type: 'DATE' }, { column_name: 'hour', column_type: 'TIMESTAMP WITH TIME ZONE' }, { column_name: 'system', column_type: 'VARCHAR' }]);
    // A second export into the same folder is refused unless asked to replace.
    await assert.rejects(exportTable(t.store, 'weather_hourly', out), /not empty: give --overwrite/);
    const again = await exportTable(t.store, 'weather_hourly', out, { existing: 'replace' });
    assert.equal(again.rows, 2160);
  }));

test('export: tables without a time column partition by system only; unknown tables are refused', () =>
  withTempStore(async (t) => {
    await runImport(t.store, boundaries, [DISTRICTS]);
    const out = join(t.dir, 'b');
    const r = await exportTable(t.store, 'boundaries', out);
    assert.deepEqual(r.partitionBy, ['system']);
    assert.deepEqual(readdirSync(out), ['system=seoul']);
    assert.equal(r.rows, 25);
    assert.deepEqual(await difference(t.store, 'boundaries', null, join(out, '**', '*.parquet')), [0, 0]);
    await assert.rejects(exportTable(t.store, 'imports; DROP TABLE trips', out), /cannot export/);
  }));

test('archive: one file set per import; an overlapping later import adds files and keeps the earlier ones', () =>
  withTempStore(async (t) => {
    const a = await runImport(t.store, weather, [KMA_2022]);
    const arch = join(t.dir, 'archive');
    const r1 = await archiveImports(t.store, arch, [a.files[0]!.importId!]);
    assert.equal(r1.rows, 2160);
    assert.deepEqual(r1.tables.map((x) => x.table), ['weather_hourly']);
    assert.ok(r1.tables[0]!.files.every((f) => /weather_hourly\/system=seoul\/date=[\d-]+\/import-1_0\.parquet$/.test(f.path)));
    const f = join(t.dir, 'kma_overlap_fixture.csv');
    writeFileSync(f, '지점,지점명,일시,기온(°C),강수량(mm)\n108,서울,2022-03-31 23:00,9.9,\n108,서울,2022-04-01 00:00,8.0,0.5\n');
    const b = await runImport(t.store, weather, [f]);
    const r2 = await archiveImports(t.store, arch, [b.files[0]!.importId!]);
    assert.equal(r2.rows, 2);
    assert.ok(existsSync(join(arch, 'weather_hourly', 'system=seoul', 'date=2022-03-31', 'import-1_0.parquet')));
    assert.ok(existsSync(join(arch, 'weather_hourly', 'system=seoul', 'date=2022-03-31', 'import-2_0.parquet')));
    // The archive is a log of what each file brought: the latest import of each key is the table.
    const latest = `SELECT * EXCLUDE (rk) FROM (SELECT *, row_number() OVER (PARTITION BY system, station, hour ORDER BY import_id DESC) rk
      FROM read_parquet(${sqlString(join(arch, 'weather_hourly', '**', '*.parquet'))}, hive_partitioning = true)) WHERE rk = 1`;
    const n = await t.store.all<{ n: number }>(`SELECT count(*) n FROM (${latest})`);
    assert.equal(n[0]!.n, 2161);
    const diff = await t.store.all<{ n: number }>(
      `SELECT count(*) n FROM (SELECT station, hour, temperature_c, import_id FROM weather_hourly EXCEPT SELECT station, hour, temperature_c, import_id FROM (${latest}))`,
    );
    assert.equal(diff[0]!.n, 0);
    // Re-archiving everything rewrites the same names: no new files.
    const all = await archiveImports(t.store, arch);
    assert.equal(all.files, r1.files + r2.files);
  }));

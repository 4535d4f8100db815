// End to end: `urbanlab import ... --archive`, `urbanlab export ... --parquet --json` and
// `urbanlab archive`, run as a user runs them, then the files read back with DuckDB.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dataFile } from '../src/platform/bundled-data.ts';
import { sqlString } from '../src/platform/import/file-input.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { tempDir } from './helpers/store.ts';
import { cli } from './helpers/cli.ts';


test('CLI: import --archive, export --parquet --json, archive; DuckDB reads the files back equal to the table', async () => {
  const t = tempDir();
  try {
    const db = join(t.dir, 'cli.duckdb');
    const arch = join(t.dir, 'archive');
    // The first three days of the real UCI file (header + 72 hours): few partitions keep the test fast.
    const uci = join(t.dir, 'SeoulBikeData_first_3_days.csv');
    writeFileSync(uci, readFileSync(dataFile('seoul/uci/SeoulBikeData.csv'), 'utf-8').split('\n').slice(0, 73).join('\n'));
    const imp = await cli(['import', 'uci-seoul', uci, '--db', db, '--json', '--quiet', '--archive', arch]);
    const summary = JSON.parse(imp.stdout) as { imported: number; archive: { rows: number; tables: { table: string; rows: number }[] } };
    assert.equal(summary.imported, 72);
    assert.deepEqual(summary.archive.tables.map((x) => [x.table, x.rows]), [['system_hourly', 72], ['weather_hourly', 72]]);
    assert.ok(existsSync(join(arch, 'system_hourly', 'system=seoul', 'date=2017-11-30', 'import-1_0.parquet')));

    const out = join(t.dir, 'export');
    const exp = await cli(['export', 'system_hourly', '--parquet', out, '--db', db, '--json']);
    const result = JSON.parse(exp.stdout) as { rows: number; bytes: number; files: { path: string; rows: number; bytes: number }[] };
    assert.equal(result.rows, 72);
    // 2017-12-01 00:00 KST .. 2017-12-03 23:00 KST spans 4 UTC days (the first 9 hours fall on 30 November UTC).
    assert.deepEqual(result.files.map((f) => [f.path.slice(out.length + 1), f.rows]), [
      ['system=seoul/date=2017-11-30/part-0.parquet', 9], ['system=seoul/date=2017-12-01/part-0.parquet', 24],
      ['system=seoul/date=2017-12-02/part-0.parquet', 24], ['system=seoul/date=2017-12-03/part-0.parquet', 15],
    ]);
    assert.equal(result.bytes, result.files.reduce((a, f) => a + f.bytes, 0));

    const store = await openStore(db, { readOnly: true });
    try {
      const glob = sqlString(join(out, '**', '*.parquet'));
      const cols = 'system, hour, rentals, holiday, functioning_day, source, import_id';
      const table = `SELECT system_id AS system, hour, rentals, holiday, functioning_day, source, import_id FROM system_hourly`;
      const back = `SELECT ${cols} FROM read_parquet(${glob}, hive_partitioning = true)`;
      const [diff] = await store.all<{ a: number; b: number }>(
        `SELECT (SELECT count(*) FROM (${table} EXCEPT ALL ${back})) a, (SELECT count(*) FROM (${back} EXCEPT ALL ${table})) b`,
      );
      assert.deepEqual(diff, { a: 0, b: 0 });
      const [dates] = await store.all<{ bad: number }>(
        `SELECT count(*) FILTER (WHERE date <> CAST(hour AS DATE)) bad FROM read_parquet(${glob}, hive_partitioning = true)`,
      );
      assert.equal(dates!.bad, 0);
    } finally {
      await store.close();
    }

    // Refused without --overwrite, with the reason on stderr and a non-zero exit.
    await assert.rejects(cli(['export', 'system_hourly', '--parquet', out, '--db', db, '--json']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 2);
      assert.match(err.stderr, /not empty: give --overwrite/);
      return true;
    });

    const archAgain = await cli(['archive', '--parquet', arch, '--db', db, '--json']);
    const a = JSON.parse(archAgain.stdout) as { rows: number; files: number };
    assert.equal(a.rows, 2 * 72);
  } finally {
    t.dispose();
  }
});

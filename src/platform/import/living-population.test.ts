import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile, repoRoot } from '../bundled-data.ts';
import { BANDS } from '../store/population-bands.ts';
import { ImportError } from './errors.ts';
import { importer, parseHeader, parseRow, splitLine } from './living-population.ts';
import { runImport } from './run-import.ts';

const fixture = (name: string) => join(repoRoot(), 'test', 'fixtures', 'living-population', name);
const ONE_DONG = fixture('one_dong_2017-01-01_02_utf8.csv');
const ALL_DONG_CP949 = fixture('city_all_dong_layout_daily_2017-01-01_cp949.csv');

test('the real bundled files: every row of each year, KST hours as UTC instants, fractions kept', () =>
  withTempStore(async (t) => {
    const years = [2017, 2018, 2019, 2020, 2021, 2022];
    const files = years.map((y) => dataFile('seoul', 'living_population', `data${y}.csv`));
    const s = await runImport(t.store, importer, files, { options: { dong: '11110530' } });
    assert.deepEqual(s.files.map((f) => f.imported), [8760, 8760, 8448, 8784, 8760, 4344]);
    assert.deepEqual(s.rejected, {});
    const days = await t.store.all<{ y: number; n: number }>(
      'SELECT year(local_date) AS y, count(DISTINCT local_date) AS n FROM population_hourly GROUP BY y ORDER BY y');
    assert.deepEqual(days.map((d) => d.n), [365, 365, 352, 366, 365, 181]); // 2019 misses 13 days
    const first = await t.store.all<{ h: string; total: number; m: number; lh: number }>(
      `SELECT strftime(hour, '%Y-%m-%dT%H:%M:%SZ') AS h, total, m00_09 AS m, local_hour AS lh FROM population_hourly
       WHERE local_date = DATE '2017-01-01' AND local_hour = 0`);
    assert.deepEqual(first, [{ h: '2016-12-31T15:00:00Z', total: 31535.22, m: 1945.4402, lh: 0 }]);
  }));

test('the all-dong layout in CP949 with quoted fields, and the same content in UTF-8, give the same rows', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, importer, [ALL_DONG_CP949]);
    assert.equal(s.imported, 48);
    assert.equal(s.files[0]!.system, 'seoul');
    const rowsCp = await t.store.all('SELECT * EXCLUDE (import_id) FROM population_hourly ORDER BY dong_code, hour');
    assert.deepEqual([...new Set(rowsCp.map((r) => r['dong_code']))], ['11110530', '11110540']);
    const enc = (await t.store.all<{ encoding: string }>('SELECT encoding FROM imports'))[0]!.encoding;
    assert.equal(enc, 'cp949');

    const utf8 = join(t.dir, 'city_all_dong_layout_daily_utf8.csv');
    writeFileSync(utf8, iconv.decode(readFileSync(ALL_DONG_CP949), 'cp949'));
    await t.store.run('DELETE FROM population_hourly');
    const s2 = await runImport(t.store, importer, [utf8]);
    assert.equal(s2.imported, 48);
    const rowsUtf = await t.store.all('SELECT * EXCLUDE (import_id) FROM population_hourly ORDER BY dong_code, hour');
    assert.deepEqual(rowsUtf, rowsCp);
  }));

test('the one-dong layout takes --dong; without it the error names the file and the missing field', () =>
  withTempStore(async (t) => {
    await assert.rejects(runImport(t.store, importer, [ONE_DONG]), (err: unknown) => {
      assert.ok(err instanceof ImportError);
      assert.equal(err.file, ONE_DONG);
      assert.equal(err.field, '행정동코드');
      assert.match(err.message, /--dong/);
      return true;
    });
    await assert.rejects(runImport(t.store, importer, [ONE_DONG], { options: { dong: '1111' } }), /8 digits/);
    await assert.rejects(runImport(t.store, importer, [ALL_DONG_CP949], { options: { dong: '11110530' } }), /only for files without/);
    const s = await runImport(t.store, importer, [ONE_DONG], { options: { dong: '11110530' } });
    assert.equal(s.imported, 48);
    assert.equal((await t.store.all('SELECT * FROM population_hourly')).length, 48);
  }));

test('malformed lines are rejected by reason with their line and field; the good ones land', () =>
  withTempStore(async (t) => {
    const lines = readFileSync(ONE_DONG, 'utf-8').trim().split('\n');
    const bad = [...lines.slice(0, 6)];
    const cut = (l: string, i: number, v: string) => { const f = l.split(','); f[i] = v; return f.join(','); };
    bad[2] = cut(lines[2]!, 0, '20170231'); // no 31 February -> line 3
    bad[3] = cut(lines[3]!, 1, '24'); // line 4
    bad[4] = cut(lines[4]!, 5, '12.3.4'); // line 5, a band
    bad.push(lines[6]!.split(',').slice(0, 10).join(',')); // line 7, cut short
    bad.push(lines[1]!); // line 8, the same hour as line 2
    bad.push(cut(lines[7]!, 2, '99999')); // line 9, total far from the bands' sum
    const f = join(t.dir, 'bad.csv');
    writeFileSync(f, bad.join('\n') + '\n');
    const s = await runImport(t.store, importer, [f], { options: { dong: '11110530' } });
    assert.equal(s.imported, 2); // lines 2 and 6
    assert.deepEqual(s.rejected, {
      'bad date': 1, 'bad hour (0-23)': 1, 'bad number': 1, 'wrong number of fields (10, expected 31)': 1,
      'duplicate dong and hour in the file': 1, 'bands do not add up to the total': 1,
    });
    const samples = await t.store.all<{ line: number; field: string | null }>('SELECT line, field FROM import_rejects ORDER BY line');
    assert.deepEqual(samples.map((r) => [r.line, r.field]), [
      [3, '기준일ID'], [4, '시간대구분'], [5, BANDS[2]!.header], [7, null], [8, '시간대구분'], [9, '총생활인구수'],
    ]);
  }));

test('a header without a needed column fails the whole command, naming file, line 1 and the field', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'noband.csv');
    const lines = readFileSync(ONE_DONG, 'utf-8').split('\n');
    writeFileSync(f, [lines[0]!.replace('여자70세이상생활인구수', 'x'), lines[1]].join('\n'));
    await assert.rejects(runImport(t.store, importer, [ONE_DONG, f], { options: { dong: '11110530' } }), (err: unknown) => {
      assert.ok(err instanceof ImportError);
      assert.equal(err.line, 1);
      assert.equal(err.field, '여자70세이상생활인구수');
      assert.match(err.message, /noband\.csv/);
      return true;
    });
    assert.equal((await t.store.all('SELECT * FROM population_hourly')).length, 0); // atomic: the good file too
  }));

test('idempotent: the same file again is skipped; another file with the same hours replaces them', () =>
  withTempStore(async (t) => {
    await runImport(t.store, importer, [ONE_DONG], { options: { dong: '11110530' } });
    const again = await runImport(t.store, importer, [ONE_DONG], { options: { dong: '11110530' } });
    assert.equal(again.files[0]!.skipped, true);
    // A revised file for the first day (every value +1%): the rows are replaced, not doubled.
    const lines = readFileSync(ONE_DONG, 'utf-8').trim().split('\n');
    const revised = [lines[0], ...lines.slice(1, 25).map((l) => l.split(',').map((v, i) => (i < 2 ? v : String(Number(v) * 1.01))).join(','))];
    const f = join(t.dir, 'revised.csv');
    writeFileSync(f, revised.join('\n'));
    const r = await runImport(t.store, importer, [f], { options: { dong: '11110530' } });
    assert.equal(r.imported, 24);
    const n = await t.store.all<{ n: number; total: number }>(
      "SELECT count(*) AS n, max(total) FILTER (WHERE local_date = DATE '2017-01-01' AND local_hour = 0) AS total FROM population_hourly");
    assert.equal(n[0]!.n, 48);
    assert.ok(Math.abs(n[0]!.total - 31535.22 * 1.01) < 1e-6);
  }));

test('pure parsing: quoted fields, hours written 00, columns found by name', () => {
  assert.deepEqual(splitLine('"a","b""c",d'), ['a', 'b"c', 'd']);
  const header = ['행정동코드', '기준일ID', '시간대구분', '총생활인구수', ...BANDS.map((b) => b.header)];
  const layout = parseHeader(header);
  const row = parseRow(['11110530', '20200301', '07', '28', ...BANDS.map(() => '1')], layout, undefined);
  assert.ok(row.ok);
  if (row.ok) {
    assert.equal(new Date(row.row.hourMs).toISOString(), '2020-02-29T22:00:00.000Z');
    assert.equal(row.row.localDate, '2020-03-01');
  }
});

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../bundled-data.ts';
import { runImport } from './run-import.ts';
import { importer } from './seoul-usage.ts';
import { parseMonth, parseStationUsage, USAGE_REASONS } from './seoul/station-usage.ts';

const A = dataFile('seoul', 'usage', 'station_monthly_rentals_returns_2017-01_2019-05_cp949.csv');
const B = dataFile('seoul', 'usage', 'station_monthly_rentals_2021-02_2021-06_cp949.csv');

test('rentals-and-returns layout: numbers, empty codes, garbled names, centres, duplicates', () => {
  const p = parseStationUsage([
    '"","code","month","rentals","returns"',
    '"1","108",2017-01-01,246,198',
    '"2","",2017-02-01,0,199',
    '"3","????",2017-01-01,2,1',
    '"4","716.<U+C2E0><U+C815>6",2017-01-01,3,4',
    '"5","중랑센터",2017-01-01,5,6',
    '"6","108",2017-01-01,246,198',
    '"7","108",2017-01-01,1,1',
    '"8","503",2017-13-01,1,1',
    '"9","503",2017-02-01,x,1',
  ].join('\n'));
  assert.deepEqual(p.records.map((r) => [r.line, r.stationId, r.month, r.rentals, r.returns]), [[2, '108', '2017-01-01', 246, 198]]);
  assert.deepEqual(p.rejects.map((r) => [r.line, r.reason]), [
    [3, USAGE_REASONS.missingStation], [4, USAGE_REASONS.garbled], [5, USAGE_REASONS.garbled], [6, USAGE_REASONS.centre],
    [7, USAGE_REASONS.duplicate], [8, USAGE_REASONS.conflict], [9, USAGE_REASONS.badMonth], [10, USAGE_REASONS.badCount],
  ]);
});

test('rentals-only layout: number before the dot, YYYYMM months, blank records, centres', () => {
  const p = parseStationUsage([
    '대여소 그룹,대여소 명,대여 일자 / 월,대여 건수',
    '강남구,2301. 현대고등학교 건너편,202102,1713',
    '강남구,"2359. 국립국악중,고교 정문 맞은편",202102,407',
    '강남구,2413.도곡역 1번 출구,202102,477',
    ',,,',
    '정비센터,위트콤,202102,375',
  ].join('\n'));
  assert.deepEqual(p.records.map((r) => [r.stationId, r.month, r.rentals, r.returns]), [
    ['2301', '2021-02-01', 1713, null], ['2359', '2021-02-01', 407, null], ['2413', '2021-02-01', 477, null],
  ]);
  assert.deepEqual(p.rejects.map((r) => [r.line, r.reason]), [[5, USAGE_REASONS.blank], [6, USAGE_REASONS.centre]]);
  assert.throws(() => parseStationUsage('a,b\n1,2\n'), /no known usage layout/);
  assert.equal(parseMonth('201902'), '2019-02-01');
  assert.equal(parseMonth('2019-02-01'), '2019-02-01');
  assert.equal(parseMonth('2019-2'), undefined);
});

test('the bundled files import with every row accounted for; a station\'s totals match the file', () =>
  withTempStore(async (t) => {
    const a = await runImport(t.store, importer, [A]);
    assert.equal(a.imported, 31290);
    assert.deepEqual(a.rejected, {
      [USAGE_REASONS.duplicate]: 1267, // 2018-06 published twice
      [USAGE_REASONS.garbled]: 174,
      [USAGE_REASONS.missingStation]: 28,
      [USAGE_REASONS.centre]: 19,
    });
    // 32,778 records in all; the 221 without a usable station number are 174 + 28 + 19.
    assert.equal(a.imported + Object.values(a.rejected).reduce((x, y) => x + y, 0), 32778);
    // Station 108, computed straight from the file (each month once).
    const text = iconv.decode(readFileSync(A), 'cp949');
    const seen = new Map<string, [number, number]>();
    for (const line of text.split('\n').slice(1)) {
      const c = line.split(',');
      if (c[1] === '"108"') seen.set(c[2]!, [Number(c[3]), Number(c[4])]);
    }
    const want = [...seen.values()].reduce((s, [r, x]) => [s[0] + r, s[1] + x], [0, 0]);
    const got = await t.store.all<{ r: number; x: number; n: number }>("SELECT sum(rentals) AS r, sum(returns) AS x, count(*) AS n FROM station_monthly WHERE station_id = '108'");
    assert.deepEqual([got[0]!.r, got[0]!.x, got[0]!.n], [want[0], want[1], seen.size]);

    const b = await runImport(t.store, importer, [B]);
    assert.equal(b.imported, 11747);
    assert.deepEqual(b.rejected, { [USAGE_REASONS.blank]: 2973, [USAGE_REASONS.centre]: 29 });
    const s2301 = await t.store.all<{ month: Date; rentals: number; returns: number | null }>("SELECT month, rentals, returns FROM station_monthly WHERE station_id = '2301' AND month >= DATE '2021-01-01' ORDER BY month");
    assert.deepEqual(s2301.map((r) => r.rentals), [1713, 2565, 3856, 3371, 3144]);
    assert.ok(s2301.every((r) => r.returns === null));

    const again = await runImport(t.store, importer, [A, B]);
    assert.equal(again.imported, 0);
    assert.equal((await t.store.all<{ n: number }>('SELECT count(*) AS n FROM station_monthly'))[0]!.n, 31290 + 11747);
  }));

test('a file in no known layout is an error naming it', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'usage.csv');
    writeFileSync(f, 'x,y\n1,2\n');
    await assert.rejects(runImport(t.store, importer, [f]), (e: Error) => e.name === 'ImportError' && e.message.includes('usage.csv') && e.message.includes('line 1'));
  }));

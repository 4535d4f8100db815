import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../bundled-data.ts';
import { parseDecimal, kstHourToUtc } from './csv-records.ts';
import { Rejects } from './rejects.ts';
import { runImport } from './run-import.ts';
import { importer, parseKmaHourly } from './weather.ts';

const KMA_2021 = dataFile('seoul/weather/kma_asos108_hourly_2021_cp949.csv');
const KMA_2022 = dataFile('seoul/weather/kma_asos108_hourly_2022-01_2022-03_cp949.csv');
const HEADER =
  '지점,지점명,일시,기온(°C),기온 QC플래그,강수량(mm),강수량 QC플래그,풍속(m/s),풍속 QC플래그,풍향(16방위),풍향 QC플래그,습도(%),습도 QC플래그,증기압(hPa),이슬점온도(°C),현지기압(hPa),현지기압 QC플래그,해면기압(hPa),해면기압 QC플래그,일조(hr),일조 QC플래그,일사(MJ/m2),일사 QC플래그,적설(cm),3시간신적설(cm),전운량(10분위),중하층운량(10분위),운형(운형약어),최저운고(100m ),시정(10m),지면상태(지면상태코드),현상번호(국내식),지면온도(°C),지면온도 QC플래그,5cm 지중온도(°C),10cm 지중온도(°C),20cm 지중온도(°C),30cm 지중온도(°C)';
/** A row in the 38-column layout: time, temperature, precipitation ('' = none), visibility (10 m). */
const row = (time: string, temp: string, rain = '', vis = '2000') =>
  `108,서울,${time},${temp},,${rain},,2.4,,270,,68,,2.2,-13.5,1016.4,,1027.7,,,9,,9,,,0,0,,,${vis},,,-6.9,,-1,-.8,.3,1.6`;

test('decimals as KMA writes them', () => {
  assert.equal(parseDecimal('-.8'), -0.8);
  assert.equal(parseDecimal('.3'), 0.3);
  assert.equal(parseDecimal('12'), 12);
  assert.equal(parseDecimal(''), null);
  assert.ok(Number.isNaN(parseDecimal('1,2')));
  assert.ok(Number.isNaN(parseDecimal('x')));
});

test('KST wall-clock hours become UTC instants, impossible dates are refused', () => {
  assert.equal(kstHourToUtc(2021, 1, 1, 1)!.toISOString(), '2020-12-31T16:00:00.000Z');
  assert.equal(kstHourToUtc(2021, 2, 30, 1), undefined);
  assert.equal(kstHourToUtc(2021, 2, 1, 24), undefined);
});

test('the real 2021 ASOS 108 file: 8,759 hours (00:00 of 1 January is missing), empty rain = 0 mm', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, importer, [KMA_2021]);
    assert.equal(s.imported, 8759);
    assert.deepEqual(s.rejected, {});
    const [span] = await t.store.all<{ n: number; lo: Date; hi: Date; nullrain: number; st: string }>(
      `SELECT count(*) n, min(hour) lo, max(hour) hi, count(*) FILTER (WHERE precipitation_mm IS NULL) nullrain, any_value(station) st FROM weather_hourly`,
    );
    assert.equal(span!.n, 8759);
    assert.equal(span!.st, 'ASOS-108');
    assert.equal(span!.lo.toISOString(), '2020-12-31T16:00:00.000Z'); // 2021-01-01 01:00 KST
    assert.equal(span!.hi.toISOString(), '2021-12-31T14:00:00.000Z'); // 2021-12-31 23:00 KST
    assert.equal(span!.nullrain, 0);
    // First line of the file: 108,서울,2021-01-01 01:00,-8.7,,(no rain),...,시정 2000 (x10 m)
    const [first] = await t.store.all<Record<string, number>>(`SELECT * FROM weather_hourly ORDER BY hour LIMIT 1`);
    assert.equal(first!['temperature_c'], -8.7);
    assert.equal(first!['precipitation_mm'], 0);
    assert.equal(first!['visibility_m'], 20000);
    assert.equal(first!['humidity_pct'], 68);
    assert.equal(first!['dewpoint_c'], -13.5);
    assert.equal(first!['solar_mj'], null); // night: empty 일사 stays unknown
    const rainy = await t.store.all<{ n: number }>('SELECT count(*) n FROM weather_hourly WHERE precipitation_mm > 0');
    assert.ok(rainy[0]!.n > 500 && rainy[0]!.n < 1000, `rainy hours ${rainy[0]!.n}`);
  }));

test('both real files load; a second import of the same files changes nothing', () =>
  withTempStore(async (t) => {
    const a = await runImport(t.store, importer, [KMA_2021, KMA_2022]);
    assert.equal(a.imported, 8759 + 2160);
    const b = await runImport(t.store, importer, [KMA_2021, KMA_2022]);
    assert.equal(b.imported, 0);
    assert.ok(b.files.every((f) => f.skipped));
    assert.equal((await t.store.all('SELECT * FROM weather_hourly')).length, 10919);
  }));

test('a later file overlapping the same hours replaces them instead of duplicating', () =>
  withTempStore(async (t) => {
    await runImport(t.store, importer, [KMA_2021]);
    // A correction file (CP949, like the portal's) repeating the last two hours of 2021 and adding one.
    const f = join(t.dir, 'kma_overlap_fixture_cp949.csv');
    writeFileSync(f, iconv.encode([HEADER, row('2021-12-31 22:00', '-7.0', '1.5'), row('2021-12-31 23:00', '-7.1'), row('2022-01-01 00:00', '-8.5')].join('\n') + '\n', 'cp949'));
    const s = await runImport(t.store, importer, [f]);
    assert.equal(s.imported, 3);
    const rows = await t.store.all<{ n: number }>('SELECT count(*) n FROM weather_hourly');
    assert.equal(rows[0]!.n, 8760);
    const [h] = await t.store.all<{ temperature_c: number; precipitation_mm: number; import_id: number }>(
      `SELECT temperature_c, precipitation_mm, import_id FROM weather_hourly WHERE hour = '2021-12-31 13:00:00+00'`,
    );
    assert.deepEqual(h, { temperature_c: -7.0, precipitation_mm: 1.5, import_id: s.files[0]!.importId });
  }));

test('bad rows are counted by reason; duplicates inside one file keep the later line', () => {
  const rejects = new Rejects();
  const text = [HEADER, row('2021-07-01 10:00', '25'), row('2021-07-01 1O:00', '25'), row('2021-07-01 11:00', 'warm'), row('2021-07-01 10:30', '25'), row('2021-07-01 12:00', '26', '3.5')].join('\n');
  const rows = parseKmaHourly(text, 'f.csv', rejects);
  assert.equal(rows.length, 2);
  assert.deepEqual(rejects.toJSON(), { 'unparseable time': 2, 'unparseable 기온(°C)': 1 });
  assert.deepEqual(rejects.samples.map((s) => [s.line, s.field]), [[3, '일시'], [4, '기온(°C)'], [5, '일시']]);
  assert.equal(rows[1]!.precipitation_mm, 3.5);
});

test('a broken line and a missing column are errors naming file, line and field', () => {
  const broken = [HEADER, row('2021-07-01 10:00', '25'), '108,서울,2021-07-01 11:00,25'].join('\n');
  assert.throws(() => parseKmaHourly(broken, 'kma.csv', new Rejects()), /kma\.csv, line 3, field '기온\(°C\)': broken line: 4 fields where the header has 38/);
  const noRain = ['지점,지점명,일시,기온(°C)', '108,서울,2021-07-01 10:00,25'].join('\n');
  assert.throws(() => parseKmaHourly(noRain, 'kma.csv', new Rejects()), /kma\.csv, line 1, field '강수량\(mm\)': missing column/);
});

test('a file of duplicates within itself reports them', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'kma_dup_fixture.csv');
    writeFileSync(f, [HEADER, row('2021-07-01 10:00', '25'), row('2021-07-01 10:00', '26')].join('\n'));
    const s = await runImport(t.store, importer, [f]);
    assert.equal(s.imported, 1);
    assert.deepEqual(s.rejected, { 'duplicate hour in file': 1 });
    const r = await t.store.all<{ temperature_c: number }>('SELECT temperature_c FROM weather_hourly');
    assert.deepEqual(r, [{ temperature_c: 26 }]);
  }));

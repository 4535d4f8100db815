// The city-wide hourly series: UCI Seoul Bike Sharing Demand and Seoul's hourly rentals with
// weather and air quality. Figures checked against the files with awk (see each comment).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempStore, withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../bundled-data.ts';
import { loadImporter } from './registry.ts';
import { Rejects } from './rejects.ts';
import { runImport } from './run-import.ts';
import { parseSeoulHourly } from './seoul-hourly.ts';
import { importer as uci, parseUciSeoul } from './uci-seoul.ts';

const UCI = dataFile('seoul/uci/SeoulBikeData.csv');
const SEOUL_HOURLY = dataFile('seoul/usage/system_hourly_rentals_weather_air_2021-04_2021-11.csv');
const UCI_HEADER = 'Date,Rented Bike Count,Hour,Temperature(C),Humidity(percentage),Wind speed (m/s),Visibility (10m),Dew point temperature(C),Solar Radiation (MJ/m2),Rainfall(mm),Snowfall (cm),Seasons,Holiday,Functioning Day';

test('UCI: 8,760 hours, 6,172,314 rentals, 295 non-functioning hours with 0 rentals, weather beside', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, uci, [UCI]);
    assert.equal(s.imported, 8760);
    assert.deepEqual(s.rejected, {});
    // awk -F, 'NR>1{s+=$2} END{print s}' (after tr -d '\r'): 6172314
    const [agg] = await t.store.all<Record<string, number>>(
      `SELECT count(*) n, sum(rentals) total, count(*) FILTER (WHERE NOT functioning_day) off_hours,
              sum(rentals) FILTER (WHERE NOT functioning_day) off_rentals, count(*) FILTER (WHERE holiday) hol
       FROM system_hourly WHERE source = 'uci' AND system_id = 'seoul'`,
    );
    assert.deepEqual(agg, { n: 8760, total: 6172314, off_hours: 295, off_rentals: 0, hol: 432 });
    // First line: 1/12/2017 (dd/mm/yyyy), hour 0 KST, 254 rentals, -5.2 C, visibility 2000 x 10 m.
    const [first] = await t.store.all<Record<string, unknown>>(
      `SELECT h.hour, h.rentals, w.temperature_c, w.visibility_m, w.humidity_pct, w.rain FROM system_hourly h
       JOIN weather_hourly w ON w.hour = h.hour AND w.station = 'UCI' ORDER BY h.hour LIMIT 1`,
    );
    assert.deepEqual(first, { hour: new Date('2017-11-30T15:00:00Z'), rentals: 254, temperature_c: -5.2, visibility_m: 20000, humidity_pct: 37, rain: false });
    const w = await t.store.all<{ n: number }>(`SELECT count(*) n FROM weather_hourly WHERE station = 'UCI'`);
    assert.equal(w[0]!.n, 8760);
    const again = await runImport(t.store, uci, [UCI]);
    assert.equal(again.imported, 0);
  }));

test('UCI: the original header spelling maps too; bad values are rejected by reason and line', () => {
  const original = 'Date,Rented Bike Count,Hour,Temperature(°C),Humidity(%),Wind speed (m/s),Visibility (10m),Dew point temperature(°C),Solar Radiation (MJ/m2),Rainfall(mm),Snowfall (cm),Seasons,Holiday,Functioning Day';
  const rows = ['01/12/2017,254,0,-5.2,37,2.2,2000,-17.6,0,0,0,Winter,No Holiday,Yes', '01/12/2017,204,25,-5.5,38,0.8,2000,-17.6,0,0,0,Winter,No Holiday,Yes',
    '31/02/2018,1,1,0,0,0,0,0,0,0,0,Winter,No Holiday,Yes', '02/12/2017,x,1,0,0,0,0,0,0,0,0,Winter,No Holiday,Yes', '02/12/2017,3,2,0,0,0,0,0,0,0.5,0,Winter,Holiday,Maybe'];
  const rejects = new Rejects();
  const p = parseUciSeoul([original, ...rows].join('\r\n'), 'uci.csv', rejects);
  assert.equal(p.hours.length, 1);
  assert.deepEqual(rejects.toJSON(), { 'unparseable Hour': 1, 'unparseable Date': 1, 'unparseable Rented Bike Count': 1, 'unparseable Functioning Day': 1 });
  assert.deepEqual(rejects.samples.map((r) => r.line), [3, 4, 5, 6]);
});

test('UCI: a missing column and a broken line name the file, line and field', () => {
  const noHoliday = UCI_HEADER.replace(',Holiday', '');
  assert.throws(() => parseUciSeoul(`${noHoliday}\n01/12/2017,254,0,-5.2,37,2.2,2000,-17.6,0,0,0,Winter,Yes`, 'uci.csv', new Rejects()), /uci\.csv, line 1, field 'Holiday': missing column/);
  assert.throws(() => parseUciSeoul(`${UCI_HEADER}\n01/12/2017,254,0,-5.2,37,2.2,2000,-17.6,0,0,0,Winter,No Holiday,Yes\n01/12/2017,204,1,-5.5`, 'uci.csv', new Rejects()), /uci\.csv, line 3, field 'Temperature\(C\)': broken line/);
});

test('seoul-hourly: 5,827 hours, 1,253,492 rentals, rain as a flag, air quality with its gaps', () =>
  withTempStore(async (t) => {
    const importer = await loadImporter('seoul-hourly');
    const s = await runImport(t.store, importer, [SEOUL_HOURLY]);
    // wc -l = 5,828 lines with the header; awk sum of `count` = 1253492; precipitation==1 in 440 rows; PM10 empty in 102.
    assert.equal(s.imported, 5827);
    assert.deepEqual(s.rejected, {});
    const [h] = await t.store.all<Record<string, number>>(`SELECT count(*) n, sum(rentals) total FROM system_hourly WHERE source = 'seoul-hourly'`);
    assert.deepEqual(h, { n: 5827, total: 1253492 });
    const [w] = await t.store.all<Record<string, number>>(
      `SELECT count(*) n, count(*) FILTER (WHERE rain) rain, count(precipitation_mm) mm, max(visibility_m) vis FROM weather_hourly WHERE station = 'seoul-hourly'`,
    );
    assert.deepEqual(w, { n: 5827, rain: 440, mm: 0, vis: 20000 });
    const [a] = await t.store.all<Record<string, number>>(`SELECT count(*) n, count(pm10_ugm3) pm10 FROM air_quality_hourly WHERE station = 'seoul-hourly'`);
    assert.deepEqual(a, { n: 5827, pm10: 5827 - 102 });
    // First line: 2021-04-01, hour 1 (KST) -> 2021-03-31T16:00Z, 46 rentals.
    const [first] = await t.store.all<{ hour: Date; rentals: number }>(`SELECT hour, rentals FROM system_hourly ORDER BY hour LIMIT 1`);
    assert.deepEqual(first, { hour: new Date('2021-03-31T16:00:00Z'), rentals: 46 });
  }));

test('seoul-hourly: a precipitation amount is refused (the column is a flag); overlap upserts', async () => {
  const rejects = new Rejects();
  const header = 'date,hour,PM10,PM2.5,ozone,temperature,precipitation,windspeed,humidity,visibility,count';
  const p = parseSeoulHourly([header, '2021-04-01,1,42,21,0.002,13.1,0,1.4,49,2000,46', '2021-04-01,2,41,21,0.003,12.4,2.5,2.1,53,2000,40'].join('\n'), 'h.csv', rejects);
  assert.equal(p.hours.length, 1);
  assert.deepEqual(rejects.toJSON(), { 'not a 0/1 flag: precipitation': 1 });
  const t = await tempStore();
  try {
    const importer = await loadImporter('seoul-hourly');
    const a = join(t.dir, 'a.csv');
    const b = join(t.dir, 'b.csv');
    writeFileSync(a, [header, '2021-04-01,1,42,21,0.002,13.1,0,1.4,49,2000,46', '2021-04-01,2,41,21,0.003,12.4,0,2.1,53,2000,40'].join('\n'));
    writeFileSync(b, [header, '2021-04-01,2,41,21,0.003,12.4,1,2.1,53,2000,41', '2021-04-01,3,,,,12.0,0,2.1,53,2000,30'].join('\n'));
    await runImport(t.store, importer, [a]);
    await runImport(t.store, importer, [b]);
    const rows = await t.store.all<{ rentals: number }>('SELECT rentals FROM system_hourly ORDER BY hour');
    assert.deepEqual(rows.map((r) => r.rentals), [46, 41, 30]);
    const rain = await t.store.all<{ rain: boolean }>('SELECT rain FROM weather_hourly ORDER BY hour');
    assert.deepEqual(rain.map((r) => r.rain), [false, true, false]);
    assert.equal((await t.store.all('SELECT * FROM air_quality_hourly')).length, 3);
  } finally {
    await t.dispose();
  }
});

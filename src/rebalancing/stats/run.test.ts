// Stage 1 against a small synthetic store (every kind of input the platform holds), checking
// figures that are worked out by hand in the comments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import type { Store } from '../../platform/store/connection.ts';
import { runStats } from './run.ts';

async function seed(store: Store): Promise<void> {
  await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('s', 'Synthetic', 'Asia/Seoul', 'KR')`);
  await store.run(`INSERT INTO imports (import_id, kind, system_id, file_name, file_path, sha256, bytes, encoding, rows_imported, rows_rejected, rejects, started_at, finished_at) VALUES (1, 'seoul-trips', 's', 'f', 'f', 'x', 1, NULL, 0, 0, NULL, now(), now())`);
  // Trips in Seoul time. 2024-09-17 (Tue) is 추석 (holiday), 2024-09-19 (Thu) a weekday,
  // 2024-09-21 (Sat) a weekend day. Station A: 3 pickups, 0 returns; B: 0 pickups, 3 returns.
  const trips = [
    ['2024-09-17 08:10:00+09', '2024-09-17 08:30:00+09', 'A', 'B'],
    ['2024-09-19 08:05:00+09', '2024-09-19 09:05:00+09', 'A', 'B'], // returned in the next hour
    ['2024-09-21 23:50:00+09', '2024-09-22 00:10:00+09', 'A', 'B'], // returned on the next day
    ['2024-09-19 18:00:00+09', '2024-09-19 18:20:00+09', 'C', 'D'],
  ];
  for (const [s, e, a, b] of trips) {
    await store.run(
      `INSERT INTO trips (system_id, started_at, ended_at, start_station_id, end_station_id, import_id) VALUES ('s', $1::TIMESTAMPTZ, $2::TIMESTAMPTZ, $3, $4, 1)`,
      [s!, e!, a!, b!],
    );
  }
}

test('trips: by hour and day type in local time, holidays from the calendar, station classes', () =>
  withTempStore(async ({ store }) => {
    await seed(store);
    const { report } = await runStats(store, 's', { from: null, to: null }, { rule: { threshold: 0.1, minVolume: 2 } });
    assert.equal(report.sources.usage, 'trips');
    const at = (hour: number, t: string) => report.by_hour_daytype.find((r) => r.hour === hour && r.day_type === t)?.rentals;
    assert.equal(at(8, 'holiday'), 1); // 추석 08:10
    assert.equal(at(8, 'weekday'), 1); // Thu 08:05
    assert.equal(at(18, 'weekday'), 1);
    assert.equal(at(23, 'weekend'), 1); // Sat 23:50 local (14:50 UTC)
    assert.equal(report.by_hour_daytype.reduce((a, r) => a + r.rentals, 0), 4);
    assert.deepEqual(report.holidays.dates.map((d) => d.date), ['2024-09-17', '2024-09-18']); // 추석 within the span
    const st = new Map(report.stations.map((s) => [s.station_id, s]));
    assert.deepEqual([st.get('A')!.pickups, st.get('A')!.returns, st.get('A')!.net, st.get('A')!.class], [3, 0, -3, 'source']);
    assert.deepEqual([st.get('B')!.pickups, st.get('B')!.returns, st.get('B')!.net, st.get('B')!.class], [0, 3, 3, 'sink']);
    assert.equal(st.get('C')!.class, 'balanced'); // volume 1 < minVolume 2
    // Net by hour for A: -1 at 08 on two of the days with data.
    const a8 = report.station_net_by_hour.find((r) => r.station_id === 'A' && r.hour === 8)!;
    assert.equal(a8.pickups, 2);
    assert.equal(a8.returns, 0);
    // A period filter in local dates: 2024-09-19 only.
    const one = (await runStats(store, 's', { from: '2024-09-19', to: '2024-09-19' })).report;
    assert.equal(one.summary.rentals, 2);
    assert.equal(one.span.from, '2024-09-19');
  }));

test('trip flows are rebuilt when trips change, and reused otherwise', () =>
  withTempStore(async ({ store }) => {
    await seed(store);
    await runStats(store, 's', { from: null, to: null });
    const n1 = (await store.all<{ n: number }>('SELECT sum(pickups) AS n FROM trip_hourly_flows'))[0]!.n;
    assert.equal(n1, 4);
    await store.run(`INSERT INTO imports (import_id, kind, system_id, file_name, file_path, sha256, bytes, encoding, rows_imported, rows_rejected, rejects, started_at, finished_at) VALUES (2, 'seoul-trips', 's', 'g', 'g', 'y', 1, NULL, 0, 0, NULL, now(), now())`);
    await store.run(`INSERT INTO trips (system_id, started_at, ended_at, start_station_id, end_station_id, import_id) VALUES ('s', '2024-09-20 07:00:00+09', '2024-09-20 07:10:00+09', 'B', 'A', 2)`);
    const r = await runStats(store, 's', { from: null, to: null });
    assert.equal(r.report.summary.rentals, 5);
  }));

test('status flows, city-wide series with weather, station-months: each answers its question', () =>
  withTempStore(async ({ store }) => {
    await store.run(`INSERT INTO systems (system_id, timezone, country) VALUES ('s', 'Asia/Seoul', 'KR')`);
    // Status flows for two stations over one UTC hour; X empty for 30 of 60 minutes.
    await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES
      ('s', 'X', '2021-06-01 00:00:00+00', 5, 1, 60, 30, 0, 'status'),
      ('s', 'Y', '2021-06-01 00:00:00+00', 1, 5, 60, 0, 60, 'status')`);
    // A city-wide series with more rentals: it answers the usage questions. 2021-06-01 09:00 KST.
    await store.run(`INSERT INTO system_hourly VALUES
      ('s', '2021-06-01 00:00:00+00', 100, false, true, 'uci', NULL),
      ('s', '2021-06-01 01:00:00+00', 50, false, true, 'uci', NULL),
      ('s', '2021-06-01 02:00:00+00', 999, false, false, 'uci', NULL)`);
    await store.run(`INSERT INTO weather_hourly (system_id, hour, station, temperature_c, precipitation_mm, wind_ms, humidity_pct) VALUES
      ('s', '2021-06-01 00:00:00+00', 'w', 21.5, 0, 1.2, 50),
      ('s', '2021-06-01 01:00:00+00', 'w', 22.0, 3.0, 2.5, 90)`);
    await store.run(`INSERT INTO station_monthly VALUES
      ('s', 'X', '2021-05-01', 10, 4, NULL), ('s', 'Y', '2021-05-01', 2, 9, NULL), ('s', 'X', '2021-06-01', 7, NULL, NULL)`);
    const { report } = await runStats(store, 's', { from: null, to: null }, { rule: { threshold: 0.1, minVolume: 1 } });
    assert.equal(report.sources.usage, 'system_hourly:uci');
    assert.equal(report.summary.rentals, 150); // the non-functioning hour is left out
    assert.equal(report.by_hour_daytype.find((r) => r.hour === 9 && r.day_type === 'weekday')!.rentals, 100);
    const rain = report.weather.filter((w) => w.factor === 'rain');
    assert.deepEqual(rain.map((w) => [w.band, w.hours, w.rentals]), [['no rain', 1, 100], ['rain', 1, 50]]);
    // Stations from station-months (more pickups than the status flows): X 10 / 4 -> source; the
    // June month without returns does not count toward the balance.
    assert.equal(report.sources.stations, 'station_monthly');
    const x = report.stations.find((s) => s.station_id === 'X')!;
    assert.deepEqual([x.pickups, x.returns, x.class], [10, 4, 'source']);
    const may = report.monthly.find((m) => m.source === 'station_monthly' && m.month === '2021-05')!;
    assert.deepEqual([may.rentals, may.returns, may.stations], [12, 13, 2]);
    assert.equal(report.monthly.find((m) => m.source === 'station_monthly' && m.month === '2021-06')!.returns, null);
    // Restricted to June, station-months have no balance; the status flows answer, with empty/full shares.
    const june = (await runStats(store, 's', { from: '2021-06-01', to: '2021-06-30' }, { rule: { threshold: 0.1, minVolume: 1 } })).report;
    assert.equal(june.sources.stations, 'status');
    const xs = june.stations.find((s) => s.station_id === 'X')!;
    assert.equal(xs.empty_share, 0.5);
    assert.equal(june.stations.find((s) => s.station_id === 'Y')!.full_share, 1);
  }));

test('a zone with DST (Chicago): local hours stay right on both sides of the change', () =>
  withTempStore(async ({ store }) => {
    await store.run(`INSERT INTO systems (system_id, timezone, country) VALUES ('d', 'America/Chicago', 'US')`);
    await store.run(`INSERT INTO imports (import_id, kind, system_id, file_name, file_path, sha256, bytes, encoding, rows_imported, rows_rejected, rejects, started_at, finished_at) VALUES (1, 'gbfs-trips', 'd', 'f', 'f', 'x', 1, NULL, 0, 0, NULL, now(), now())`);
    // 2020-03-07 (Sat) 08:10 CST = 14:10 UTC; 2020-03-09 (Mon) 08:10 CDT = 13:10 UTC (DST began 03-08).
    for (const [s, e] of [['2020-03-07 14:10:00+00', '2020-03-07 14:30:00+00'], ['2020-03-09 13:10:00+00', '2020-03-09 13:30:00+00']]) {
      await store.run(`INSERT INTO trips (system_id, started_at, ended_at, start_station_id, end_station_id, import_id) VALUES ('d', $1::TIMESTAMPTZ, $2::TIMESTAMPTZ, 'A', 'B', 1)`, [s!, e!]);
    }
    const { report } = await runStats(store, 'd', { from: null, to: null }, { rule: { threshold: 0.1, minVolume: 1 } });
    assert.equal(report.by_hour_daytype.find((r) => r.hour === 8 && r.day_type === 'weekend')!.rentals, 1);
    assert.equal(report.by_hour_daytype.find((r) => r.hour === 8 && r.day_type === 'weekday')!.rentals, 1);
    const a = report.station_net_by_hour.filter((r) => r.station_id === 'A');
    assert.equal(a.find((r) => r.hour === 8)!.pickups, 2);
    assert.equal(a.reduce((x, r) => x + r.pickups, 0), 2);
  }));

test('an unknown system is a clear error naming the known ones', () =>
  withTempStore(async ({ store }) => {
    await store.run(`INSERT INTO systems (system_id) VALUES ('seoul')`);
    await assert.rejects(runStats(store, 'nope', { from: null, to: null }), /no system 'nope'.*seoul/);
  }));

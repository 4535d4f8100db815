// Benchmark: all of stage 1 (urbanlab stats) over a full year of a Seoul-sized system.
//
// No full year of Seoul trips is bundled (the city publishes 37.4 M trips for 2025, monthly files
// of 100+ MB each), so the station-hours such a year produces are GENERATED, from real data:
//   - the system's hourly shape is the real UCI Seoul series (8,760 hours, 2017-12..2018-11,
//     imported with the uci-seoul importer, which also brings its real hourly weather), scaled so
//     that the year totals ~37.4 M pickups;
//   - the stations are the first 2,700 of the real station list (station_master_2026-04.csv, ids
//     and coordinates); each gets a popularity weight (log-normal) and an imbalance (-0.3..0.3)
//     from a hash of its id, so some drain and some fill up;
//   - pickups and returns of a station-hour are the expected counts rounded by a hashed uniform.
// The result, ~23.6 M station-hour rows, goes into `trip_hourly_flows`, the table `urbanlab stats`
// reads once trips are imported (it aggregates trips to station-hours once, lazily). That one-off
// aggregation is measured too, on generated trips (--trips N, default 3.7 M: a tenth of a year).
//
// Measured: the one-off roll-up of the station-hours to station-days and system-hours (rollups.ts:
// done once per change of the flows, i.e. after an import); then `runStats` end to end (what
// `urbanlab stats --json` computes), 5 runs, median; the SVG charts built from its report; and, as
// the same-run baseline, DuckDB alone scanning the station-hours once (sum of pickups and returns by
// station): what answering from the station-hours alone costs at least.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/platform/store/connection.ts';
import { dataFile } from '../src/platform/bundled-data.ts';
import { loadImporter } from '../src/platform/import/registry.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { silentProgress } from '../src/platform/util/progress.ts';
import { runStats } from '../src/rebalancing/stats/run.ts';
import { buildCharts } from '../src/rebalancing/stats/charts/build.ts';
import { refreshTripFlows } from '../src/rebalancing/stats/trip-flows.ts';
import { refreshRollups } from '../src/rebalancing/stats/rollups.ts';
import { describeMachine, peakRssMiB, saveResults } from './lib/machine.ts';
import { asSystemId } from '../src/platform/ids.ts';

const STATIONS = 2700;
const YEAR_TRIPS = 37_400_000;
const tripsArg = process.argv.indexOf('--trips');
const GEN_TRIPS = tripsArg > 0 ? Number(process.argv[tripsArg + 1]) : 3_700_000;

const dir = join(import.meta.dirname, 'results', 'tmp', 'stats');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: number) => Math.round(performance.now() - t0);

console.log(describeMachine());
const store = await openStore(join(dir, 'bench.duckdb'));
try {
  let t0 = performance.now();
  await runImport(store, await loadImporter('uci-seoul'), [dataFile('seoul', 'uci', 'SeoulBikeData.csv')], { system: asSystemId('seoul'), progress: silentProgress, options: {} });
  await store.run(`INSERT INTO stations (system_id, station_id, name, district, lat, lon, source)
    SELECT 'seoul', trim(CAST(대여소번호 AS VARCHAR)), trim(대여소명), 자치구, 위도, 경도, 'bench'
    FROM read_csv('${dataFile('seoul', 'stations', 'station_master_2026-04.csv')}', header = true, all_varchar = false) LIMIT ${STATIONS}`);
  const [{ total }] = (await store.all<{ total: number }>(`SELECT sum(rentals) AS total FROM system_hourly WHERE system_id = 'seoul'`)) as [{ total: number }];
  const scale = YEAR_TRIPS / total;
  await store.run(`CREATE TEMP TABLE w AS
    SELECT station_id, exp(((hash(station_id) % 1000) / 1000.0 - 0.5) * 2.5) AS raw,
           ((hash(station_id || 'b') % 601)::BIGINT - 300) / 1000.0 AS bias
    FROM stations WHERE system_id = 'seoul'`);
  await store.run(`CREATE TEMP TABLE sw AS SELECT station_id, raw / sum(raw) OVER () AS weight, bias FROM w`);
  await store.run(`INSERT INTO trip_hourly_flows
    SELECT 'seoul', s.station_id, h.hour,
           floor(h.rentals * ${scale} * s.weight * (1 - s.bias) + (hash(s.station_id, h.hour) % 1000) / 1000.0),
           floor(h.rentals * ${scale} * s.weight * (1 + s.bias) + (hash(h.hour, s.station_id) % 1000) / 1000.0)
    FROM system_hourly h CROSS JOIN sw s WHERE h.system_id = 'seoul'`);
  // Trips table empty, state row saying so: the stats read the generated station-hours as built.
  await store.run(`INSERT INTO trip_hourly_flows_state (system_id, trips, last_import_id) VALUES ('seoul', 0, NULL)`);
  await store.run('CHECKPOINT');
  const [gen] = await store.all<{ rows: number; p: number; r: number }>(`SELECT count(*) AS rows, sum(pickups) AS p, sum(returns) AS r FROM trip_hourly_flows`);
  const genMs = ms(t0);
  console.log(`data: ${gen!.rows.toLocaleString('en-US')} station-hours generated (${STATIONS} real stations x 8,760 real UCI hours), ` +
    `${Math.round(gen!.p).toLocaleString('en-US')} pickups, ${Math.round(gen!.r).toLocaleString('en-US')} returns, in ${(genMs / 1000).toFixed(1)} s`);
  t0 = performance.now();
  const rolled = (await refreshRollups(store, 'seoul', 'Asia/Seoul')).find((r) => r.source === 'trips')!;
  const rollupMs = ms(t0);
  console.log(`roll-up (once per change of the flows): ${rolled.stationDays.toLocaleString('en-US')} station-days in ${(rollupMs / 1000).toFixed(1)} s`);

  // Baseline: DuckDB alone, one scan of the same table.
  const base: number[] = [];
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    await store.all(`SELECT station_id, sum(pickups), sum(returns) FROM trip_hourly_flows WHERE system_id = 'seoul' GROUP BY station_id`);
    base.push(ms(t0));
  }
  const runs: number[] = [];
  const charts: number[] = [];
  let last: Awaited<ReturnType<typeof runStats>> | null = null;
  for (let i = 0; i < 5; i++) {
    t0 = performance.now();
    last = await runStats(store, 'seoul', { from: null, to: null });
    runs.push(ms(t0));
    t0 = performance.now();
    buildCharts(last.report, [], true);
    charts.push(ms(t0));
  }
  const r = last!.report;
  console.log(`stage 1 (runStats: report with ${r.stations.length} stations, ${r.by_hour_daytype.length} hour x day-type rows, ${r.weather.length} weather bands): ` +
    `median ${median(runs)} ms over 5 runs (${runs.join(', ')}); phases of the last run: ${JSON.stringify(last!.timings)}`);
  console.log(`charts (SVG, from the report): median ${median(charts)} ms`);
  console.log(`baseline (DuckDB alone: one GROUP BY scan of the same ${gen!.rows.toLocaleString('en-US')} rows): median ${median(base)} ms; ratio ${(median(runs) / median(base)).toFixed(1)}x`);
  console.log(`target: under 1,000 ms: ${median(runs) < 1000 ? 'met' : 'NOT met'} on this machine`);

  // The one-off aggregation of trips to station-hours, on generated trips.
  t0 = performance.now();
  await store.run(`INSERT INTO imports VALUES (999, 'bench-trips', 'tripsbench', 'generated', 'generated', 'x', 0, NULL, ${GEN_TRIPS}, 0, NULL, now(), now())`);
  await store.run(`INSERT INTO systems (system_id, timezone, country) VALUES ('tripsbench', 'Asia/Seoul', 'KR')`);
  await store.run(`CREATE TEMP TABLE sidx AS SELECT (row_number() OVER (ORDER BY station_id) - 1)::UBIGINT AS k, station_id FROM sw`);
  await store.run(`INSERT INTO trips (system_id, started_at, ended_at, start_station_id, end_station_id, import_id)
    SELECT 'tripsbench', TIMESTAMPTZ '2018-05-01 00:00:00+09' + to_seconds((hash(i) % 2592000)::BIGINT),
           TIMESTAMPTZ '2018-05-01 00:00:00+09' + to_seconds((hash(i) % 2592000)::BIGINT + 300 + (hash(i, 1) % 2400)::BIGINT),
           a.station_id, b.station_id, 999
    FROM range(${GEN_TRIPS}) t(i)
    JOIN sidx a ON a.k = hash(i, 2) % ${STATIONS}
    JOIN sidx b ON b.k = hash(i, 3) % ${STATIONS}`);
  const insertMs = ms(t0);
  const agg = await refreshTripFlows(store, 'tripsbench');
  console.log(`trip aggregation (once per import): ${GEN_TRIPS.toLocaleString('en-US')} generated trips -> ${agg.rows.toLocaleString('en-US')} station-hours in ${Math.round(agg.ms)} ms ` +
    `(generating the trips took ${(insertMs / 1000).toFixed(1)} s); a full year is ~${(YEAR_TRIPS / GEN_TRIPS).toFixed(0)}x that`);
  console.log(`peak RSS ${peakRssMiB()} MiB`);
  const path = saveResults('stats', {
    data: { generated: true, how: 'UCI Seoul hourly shape x 2,700 real stations, scaled to 37.4 M pickups a year; see bench/stats.ts', station_hours: gen!.rows, pickups: gen!.p, returns: gen!.r },
    rollup_once_ms: rollupMs,
    station_days: rolled.stationDays,
    stage1_ms: { median: median(runs), runs, phases_last: last!.timings },
    charts_svg_ms: { median: median(charts), runs: charts },
    baseline_scan_ms: { median: median(base), runs: base },
    ratio_to_baseline: Math.round((median(runs) / median(base)) * 10) / 10,
    target_under_1s: median(runs) < 1000,
    trip_aggregation: { trips: GEN_TRIPS, station_hours: agg.rows, ms: Math.round(agg.ms) },
    peak_rss_mib: peakRssMiB(),
  });
  console.log(`results: ${path}`);
} finally {
  await store.close();
  // BENCH_KEEP=1 keeps the generated store (bench/results/tmp/stats/bench.duckdb) for experiments.
  if (!process.env['BENCH_KEEP']) rmSync(dir, { recursive: true, force: true });
}

// `npm run bench -- scale`: how big a system-day is, in the DuckDB store and as Hive-partitioned
// Parquet (what `urbanlab export` / `urbanlab archive` write), for
//   1. Bay Wheels station status: the bundled ten-month change log (2.2 M rows, ~500 stations,
//      snapshots every ~10 min), and one raw day of full snapshots for comparison;
//   2. Seoul trips: no whole day of real trips is bundled (only a 999-row sample), so a week of
//      trips is GENERATED at the 2025 average-day volume (37,372,654 trips / 365 from the bundled
//      aggregates), hour-of-day shares from the bundled 2025 hourly counts, attributes (durations,
//      distances, users, bike types) drawn from the real sample rows and stations from the real
//      station list. Station pairs are drawn uniformly, so compression is a little worse than on
//      real trips (real flows concentrate on popular stations): an upper bound.
// The store's size is the file size after CHECKPOINT minus that of an empty store with the schema.
// Baseline in the same run: the source file's own size (gzip CSV) and DuckDB's read_csv time.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile } from '../src/platform/bundled-data.ts';
import { loadImporter } from '../src/platform/import/registry.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { sqlString } from '../src/platform/import/file-input.ts';
import { openStore, type Store } from '../src/platform/store/connection.ts';
import { exportTable } from '../src/platform/store/export.ts';
import { describeMachine, peakRssMiB, saveResults } from './lib/machine.ts';
import { asSystemId } from '../src/platform/ids.ts';

const work = await fs.mkdtemp(join(tmpdir(), 'urbanlab-scale-'));
const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

async function storeBytes(path: string): Promise<number> {
  return (await fs.stat(path)).size + (await fs.stat(path + '.wal').then((s) => s.size).catch(() => 0));
}

async function emptyStoreBytes(): Promise<number> {
  const path = join(work, 'empty.duckdb');
  const s = await openStore(path);
  await s.run('CHECKPOINT');
  await s.close();
  return storeBytes(path);
}

interface Measured {
  dataset: string;
  how: string;
  table: string;
  rows: number;
  system_days: number;
  rows_per_system_day: number;
  duckdb_bytes: number;
  duckdb_bytes_per_system_day: number;
  duckdb_bytes_per_row: number;
  parquet_files: number;
  parquet_bytes: number;
  parquet_bytes_per_system_day: number;
  parquet_bytes_per_row: number;
  parquet_vs_duckdb: number;
  load_s: number;
  export_s: number;
  [k: string]: unknown;
}

/** `systemDays`: days of data when UTC days would miscount them (a KST day spans two UTC days). */
async function measure(name: string, table: string, how: string, store: Store, path: string, empty: number, loadS: number, extra: Record<string, unknown> = {}, systemDays?: number): Promise<Measured> {
  await store.run('CHECKPOINT');
  const [c] = await store.all<{ rows: number; days: number }>(
    table === 'trips'
      ? `SELECT count(*) AS "rows", count(DISTINCT (system_id, CAST(started_at AS DATE))) AS "days" FROM trips`
      : `SELECT count(*) AS "rows", count(DISTINCT (system_id, CAST(observed_at AS DATE))) AS "days" FROM ${table}`,
  );
  c!.days = systemDays ?? c!.days;
  const t0 = performance.now();
  const out = await exportTable(store, table, join(work, `${name}-parquet`));
  const exportS = seconds(t0);
  await store.close();
  const duck = (await storeBytes(path)) - empty;
  const r: Measured = {
    dataset: name, how, table, rows: c!.rows, system_days: c!.days, rows_per_system_day: Math.round(c!.rows / c!.days),
    duckdb_bytes: duck, duckdb_bytes_per_system_day: Math.round(duck / c!.days), duckdb_bytes_per_row: round2(duck / c!.rows),
    parquet_files: out.files.length, parquet_bytes: out.bytes, parquet_bytes_per_system_day: Math.round(out.bytes / c!.days),
    parquet_bytes_per_row: round2(out.bytes / c!.rows), parquet_vs_duckdb: round2(out.bytes / duck), load_s: loadS, export_s: exportS, ...extra,
  };
  return r;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

async function bayWheels(empty: number): Promise<Measured> {
  const dir = dataFile('gbfs/baywheels');
  const changes = join(dir, 'station_status_changes_2022-08_2023-05.csv.gz');
  const snapshots = join(dir, 'snapshot_times_2022-08_2023-05.csv.gz');
  const path = join(work, 'baywheels.duckdb');
  const store = await openStore(path);
  const importer = await loadImporter('gbfs-history');
  let how: string;
  const t0 = performance.now();
  if (!importer.description.endsWith('(not implemented yet)')) {
    await runImport(store, importer, [dir], { system: asSystemId('baywheels') });
    how = 'imported with `urbanlab import gbfs-history`';
  } else {
    // The gbfs-history importer has not landed on main yet: the change rows go straight into the
    // `status` table (same columns, same types) so the size of the stored representation is measured.
    how = 'gbfs-history importer not on main yet: change rows loaded into `status` with DuckDB SQL';
    await store.run(`INSERT INTO status (system_id, station_id, observed_at, last_reported, bikes_available, ebikes_available,
        bikes_disabled, docks_available, docks_disabled, is_installed, is_renting, is_returning, import_id)
      SELECT 'baywheels', station_id, to_timestamp(snapshot_time), to_timestamp(last_reported), num_bikes_available,
        num_ebikes_available, num_bikes_disabled, num_docks_available, num_docks_disabled, is_installed = 1, is_renting = 1,
        is_returning = 1, 0
      FROM read_csv(${sqlString(changes)}, header = true, types = {'station_id': 'VARCHAR'})`);
    await store.run(`INSERT INTO snapshots SELECT 'baywheels', to_timestamp(snapshot_time), stations, 'bench', 0
      FROM read_csv(${sqlString(snapshots)}, header = true)`);
  }
  const loadS = seconds(t0);
  // Same-run baseline: DuckDB reading the source file into a plain table.
  const b0 = performance.now();
  await store.run(`CREATE TEMP TABLE raw AS SELECT * FROM read_csv(${sqlString(changes)}, header = true, types = {'station_id': 'VARCHAR'})`);
  const readCsvS = seconds(b0);
  await store.run('DROP TABLE raw');
  // What a full snapshot per poll would hold instead of the change log: stations x snapshots per day.
  const [snap] = await store.all<{ per_day: number; stations: number }>(
    `SELECT count(*) / count(DISTINCT CAST(observed_at AS DATE)) per_day, avg(stations) stations FROM snapshots WHERE system_id = 'baywheels'`,
  );
  const [day] = await store.all<{ n: number }>(`SELECT count(*) n FROM status WHERE CAST(observed_at AS DATE) = '2023-03-06'`);
  const rawDay = join(dir, 'raw_sample_2023-03-06', 'station_status_2023-03-06_day.jsonl.gz');
  const [full] = await store.all<{ snapshots: number; rows: number }>(
    `SELECT count(*) snapshots, sum(len(data.stations)) AS "rows" FROM read_json(${sqlString(rawDay)}, format = 'newline_delimited', maximum_object_size = 67108864)`,
  );
  const source = (await fs.stat(changes)).size;
  return measure('baywheels-status', 'status', how, store, path, empty, loadS, {
    source_file: changes, source_gzip_csv_bytes: source, duckdb_read_csv_s: readCsvS,
    snapshots_per_day: Math.round(snap!.per_day), stations_avg: Math.round(snap!.stations),
    full_snapshot_rows_per_day_at_feed_interval: Math.round(snap!.per_day * snap!.stations),
    full_snapshot_rows_per_day_at_1_min: Math.round(1440 * snap!.stations),
    day_2023_03_06: { change_rows: day!.n, raw_snapshots: full!.snapshots, raw_snapshot_rows: full!.rows },
  });
}

/**
 * The worst case for minute polling: storing every snapshot in full instead of a change log.
 * One real day of raw Bay Wheels station_status snapshots (121 polls), every station every poll.
 */
async function bayWheelsFullSnapshots(empty: number): Promise<Measured> {
  const rawDay = join(dataFile('gbfs/baywheels'), 'raw_sample_2023-03-06', 'station_status_2023-03-06_day.jsonl.gz');
  const path = join(work, 'baywheels-full.duckdb');
  const store = await openStore(path);
  const t0 = performance.now();
  await store.run(`INSERT INTO status (system_id, station_id, observed_at, last_reported, feed_last_updated, bikes_available,
      ebikes_available, bikes_disabled, docks_available, docks_disabled, is_installed, is_renting, is_returning, import_id)
    SELECT 'baywheels', st.station_id, to_timestamp(last_updated), to_timestamp(st.last_reported), to_timestamp(last_updated),
      st.num_bikes_available, st.num_ebikes_available, st.num_bikes_disabled, st.num_docks_available, st.num_docks_disabled,
      st.is_installed = 1, st.is_renting = 1, st.is_returning = 1, 0
    FROM (SELECT last_updated, unnest(data.stations) AS st FROM read_json(${sqlString(rawDay)}, format = 'newline_delimited', maximum_object_size = 67108864))`);
  return measure('baywheels-full-snapshots-1-day', 'status', 'every station of every raw snapshot of 2023-03-06 (121 polls), as a minute poller storing full snapshots would', store, path, empty, seconds(t0), {}, 1);
}

async function seoulTrips(empty: number): Promise<Measured> {
  const path = join(work, 'seoul.duckdb');
  const store = await openStore(path);
  const sample = dataFile('seoul/trips/trip_history_sample_17col_999rows.csv');
  const stations = dataFile('seoul/stations/station_master_2026-04.csv');
  const hourly = dataFile('seoul/trips/aggregates_2017_2025/2025_hourly_usage.csv');
  const perDay = Math.round(37_372_654 / 365); // bundled 2025_interpretation_metrics.csv: total_2025_rentals
  const days = 7;
  const t0 = performance.now();
  await store.run('SELECT setseed(0.42)');
  await store.run(`CREATE TEMP TABLE s AS SELECT row_number() OVER () - 1 AS k, * FROM read_csv(${sqlString(sample)}, header = true, all_varchar = true)`);
  await store.run(`CREATE TEMP TABLE st AS SELECT row_number() OVER () - 1 AS k, trim("대여소번호") AS id, trim("대여소명") AS name FROM read_csv(${sqlString(stations)}, header = true, all_varchar = true)`);
  await store.run(`CREATE TEMP TABLE hr AS SELECT hour::INT AS h, rental_count::DOUBLE / sum(rental_count::DOUBLE) OVER () AS share FROM read_csv(${sqlString(hourly)}, header = true)`);
  const [{ ns, nst }] = (await store.all<{ ns: number; nst: number }>('SELECT (SELECT count(*) FROM s) ns, (SELECT count(*) FROM st) nst')) as [{ ns: number; nst: number }];
  // The week in the published 17-column layout, times in KST as the city writes them.
  await store.run(`CREATE TEMP TABLE gen AS
    WITH g AS (
      SELECT d, h, floor(random() * ${ns})::INT AS sk, floor(random() * ${nst})::INT AS a, floor(random() * ${nst})::INT AS b,
             floor(random() * 3600)::INT AS sec, floor(random() * 45000)::INT AS bike
      FROM range(${days}) t(d), hr, LATERAL (SELECT unnest(range(round(${perDay} * hr.share)::BIGINT))) u),
    t AS (SELECT *, TIMESTAMP '2025-06-02 00:00:00' + to_days(d) + to_hours(h) + to_seconds(sec) AS started FROM g)
    SELECT 'SPB-' || lpad(bike::VARCHAR, 5, '0') AS "자전거번호", strftime(started, '%Y-%m-%d %H:%M:%S') AS "대여일시",
      lpad(sa.id, 5, '0') AS "대여 대여소번호", sa.name AS "대여 대여소명", '0' AS "대여거치대",
      strftime(started + to_minutes(greatest(1, s."이용시간(분)"::INT)), '%Y-%m-%d %H:%M:%S') AS "반납일시",
      lpad(sb.id, 5, '0') AS "반납대여소번호", sb.name AS "반납대여소명", '0' AS "반납거치대",
      greatest(1, s."이용시간(분)"::INT)::VARCHAR AS "이용시간(분)", s."이용거리(M)", s."생년", s."성별", s."이용자종류",
      '' AS "대여대여소ID", '' AS "반납대여소ID", s."자전거구분"
    FROM t JOIN s ON s.k = t.sk JOIN st sa ON sa.k = t.a JOIN st sb ON sb.k = t.b`);
  const importer = await loadImporter('seoul-trips');
  let how: string;
  if (!importer.description.endsWith('(not implemented yet)')) {
    const csv = join(work, 'seoul_trips_generated_week_17col.csv');
    await store.run(`COPY gen TO ${sqlString(csv)} (HEADER true, DELIMITER ',')`);
    await store.run('DROP TABLE gen');
    const i0 = performance.now();
    const r = await runImport(store, importer, [csv], { system: asSystemId('seoul') });
    how = `GENERATED week written as a 17-column CSV and imported with \`urbanlab import seoul-trips\` (${r.imported.toLocaleString('en-US')} rows, ${seconds(i0)} s)`;
  } else {
    how = 'GENERATED week inserted into `trips` with DuckDB SQL (seoul-trips importer not on main yet)';
    await store.run(`INSERT INTO trips (system_id, bike_id, started_at, ended_at, start_station_id, end_station_id, duration_s, distance_m,
        user_type, birth_year, gender, rideable_type, import_id)
      SELECT 'seoul', "자전거번호", ("대여일시"::TIMESTAMP - INTERVAL 9 HOUR)::TIMESTAMPTZ, ("반납일시"::TIMESTAMP - INTERVAL 9 HOUR)::TIMESTAMPTZ,
        ltrim("대여 대여소번호", '0'), ltrim("반납대여소번호", '0'), "이용시간(분)"::DOUBLE * 60, "이용거리(M)"::DOUBLE, "이용자종류",
        TRY_CAST("생년" AS INT), "성별", "자전거구분", 0 FROM gen`);
    await store.run('DROP TABLE gen');
  }
  const loadS = seconds(t0);
  return measure('seoul-trips', 'trips', `${how}: ${days} days x ${perDay.toLocaleString('en-US')} trips (2025 average day) from the real sample rows, station list and hourly shares`, store, path, empty, loadS, {
    trips_per_day_2025: perDay, note: `${days} Seoul (KST) days span ${days + 1} UTC-day partitions`,
  }, days);
}

console.log(describeMachine());
const empty = await emptyStoreBytes();
const results: Measured[] = [];
try {
  results.push(await bayWheels(empty));
  results.push(await bayWheelsFullSnapshots(empty));
  results.push(await seoulTrips(empty));
} finally {
  await fs.rm(work, { recursive: true, force: true });
}
const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
for (const r of results) {
  console.log(`\n${r.dataset} (${r.how})`);
  console.log(`  rows ${r.rows.toLocaleString('en-US')} over ${r.system_days} system-days = ${r.rows_per_system_day.toLocaleString('en-US')} rows per system-day`);
  console.log(`  DuckDB store: ${mb(r.duckdb_bytes)} = ${mb(r.duckdb_bytes_per_system_day)} per system-day, ${r.duckdb_bytes_per_row} B/row`);
  console.log(`  Parquet:      ${mb(r.parquet_bytes)} in ${r.parquet_files} files = ${mb(r.parquet_bytes_per_system_day)} per system-day, ${r.parquet_bytes_per_row} B/row (Parquet/DuckDB ${r.parquet_vs_duckdb})`);
  console.log(`  load ${r.load_s} s, export ${r.export_s} s`);
  if (r['source_gzip_csv_bytes']) {
    console.log(`  baseline: source gzip CSV ${mb(r['source_gzip_csv_bytes'] as number)} (Parquet/gzip CSV ${round2(r.parquet_bytes / (r['source_gzip_csv_bytes'] as number))}); DuckDB read_csv of it ${r['duckdb_read_csv_s']} s (export/read_csv ${round2(r.export_s / (r['duckdb_read_csv_s'] as number))})`);
    console.log(`  full snapshots instead of a change log: ${(r['full_snapshot_rows_per_day_at_feed_interval'] as number).toLocaleString('en-US')} rows/day at the feed's interval, ${(r['full_snapshot_rows_per_day_at_1_min'] as number).toLocaleString('en-US')} at 1-minute polling`);
    console.log(`  2023-03-06: ${JSON.stringify(r['day_2023_03_06'])}`);
  }
}
console.log(`\npeak RSS ${peakRssMiB()} MiB`);
console.log(`results: ${saveResults('scale', { empty_store_bytes: empty, results, peak_rss_mib: peakRssMiB() })}`);

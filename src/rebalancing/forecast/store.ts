// The forecast stage's edge to DuckDB: read the panel (hourly_flows, stations, weather) and write
// named forecast runs. Everything else in this folder is pure.
import { asStationId } from '../../platform/ids.ts';
import { DuckDBTimestampTZValue, type DuckDBResult } from '@duckdb/node-api';
import type { CitySeries } from './city.ts';
import type { SavedModel } from './model-io.ts';
import type { ForecastRow } from './predict.ts';
import type { Store } from '../../platform/store/connection.ts';
import { UserError } from '../../platform/errors.ts';
import { hourCalendar, HOUR_MS } from './calendar.ts';
import type { Flow, FlowPanel, Stock, Weather } from './panel.ts';
import { DEFAULT_FLOW_OPTIONS } from '../../platform/flows/options.ts';
import type { MonthlyPanel } from './monthly.ts';

export interface SystemInfo {
  system_id: string;
  timezone: string;
  country: string | null;
}

export async function systemInfo(store: Store, system: string): Promise<SystemInfo> {
  const rows = await store.all<{ system_id: string; timezone: string; country: string | null }>(
    'SELECT system_id, timezone, country FROM systems WHERE system_id = ?', [system],
  );
  if (rows.length === 0) {
    const known = (await store.all<{ system_id: string }>('SELECT system_id FROM systems ORDER BY 1')).map((r) => r.system_id);
    throw new UserError(`unknown system '${system}' (the store has: ${known.join(', ') || 'none'})`);
  }
  return rows[0]!;
}

export interface PanelQuery {
  /** Hours at or after this instant only (ms). */
  from?: number;
  /** Hours before this instant only (ms). */
  to?: number;
  /** Add empty hours after the data (for predicting ahead). */
  extendHours?: number;
}

/** Minutes of an hour that must be observed for the hour to count. */
export const MIN_OBSERVED_MINUTES = 30;

/** The hours a panel covers: [start, start + hours h); status rows at or after `until` are not read. */
export interface PanelWindow {
  start: number;
  hours: number;
  until: number;
}

export async function loadPanel(store: Store, system: string, q: PanelQuery = {}): Promise<FlowPanel> {
  return readPanel(store, system, await panelWindow(store, system, q));
}

/** Which hours a query's panel covers (two small reads: the system's span of flows). */
export async function panelWindow(store: Store, system: string, q: PanelQuery = {}): Promise<PanelWindow> {
  await systemInfo(store, system);
  const span = await store.all<{ a: number | null; b: number | null }>(
    `SELECT epoch_ms(min(hour)) a, epoch_ms(max(hour)) b FROM hourly_flows WHERE system_id = ?`, [system],
  );
  if (span[0]?.a == null || span[0].b == null) throw new UserError(`system '${system}' has no hourly flows: import its status history first (urbanlab import gbfs-history ...)`);
  const first = Math.max(span[0].a, q.from ?? -Infinity);
  if (q.to !== undefined && q.to <= first) throw new UserError(`no hourly flows for '${system}' before ${new Date(q.to).toISOString()}`);
  const start = Math.floor(first / HOUR_MS) * HOUR_MS;
  // With an explicit end the axis runs exactly to it (a forecast origin may lie past the data).
  const end = q.to !== undefined ? Math.floor(q.to / HOUR_MS) * HOUR_MS : Math.floor(span[0].b / HOUR_MS) * HOUR_MS + HOUR_MS;
  const hours = Math.floor((end - start) / HOUR_MS) + (q.extendHours ?? 0);
  if (hours <= 0) throw new UserError(`no hourly flows for '${system}' in the requested window`);
  return { start, hours, until: Math.min(end, start + hours * HOUR_MS) };
}

/** The panel of a window: every station's flows, its stock at each hour, the weather and calendar. */
export async function readPanel(store: Store, system: string, w: PanelWindow): Promise<FlowPanel> {
  const { start, hours } = w;
  const info = await systemInfo(store, system);
  const stationRows = await store.all<{ station_id: string; lat: number | null; lon: number | null }>(
    `SELECT f.station_id, s.lat, s.lon FROM (SELECT DISTINCT station_id FROM hourly_flows WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3) f
     LEFT JOIN stations s ON s.system_id = $1 AND s.station_id = f.station_id ORDER BY f.station_id`,
    [system, start, start + hours * HOUR_MS],
  );
  const stations = stationRows.map((r) => asStationId(r.station_id));
  const S = stations.length;
  const n = S * hours;
  const pickups = new Float32Array(n).fill(Number.NaN);
  const returns = new Float32Array(n).fill(Number.NaN);
  const emptyShare = new Float32Array(n);
  const fullShare = new Float32Array(n);
  // Read column-wise through DuckDB's reader: far faster than row objects for millions of hours.
  // Read column-wise with the station as an integer index (its rank in the id order used above):
  // far faster than row objects or strings, and it works on a read-only store.
  const reader = await store.connection.run(
    `WITH idx AS (SELECT station_id, CAST(row_number() OVER (ORDER BY station_id) - 1 AS INTEGER) s
                  FROM (SELECT DISTINCT station_id FROM hourly_flows WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3))
     SELECT x.s, CAST((epoch_ms(f.hour) - ${start}) / ${HOUR_MS} AS INTEGER) t, f.pickups, f.returns, f.minutes_observed, f.minutes_empty, f.minutes_full
     FROM hourly_flows f JOIN idx x USING (station_id)
     WHERE f.system_id = $1 AND epoch_ms(f.hour) >= $2 AND epoch_ms(f.hour) < $3`,
    [system, start, start + hours * HOUR_MS],
  );
  const [sid, tt, pk, rt, mo, me, mf] = await numericColumnsOf(reader, 7) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let k = 0; k < sid.length; k++) {
    const s = sid[k]!;
    const t = tt[k]!;
    if (t < 0 || t >= hours) continue;
    const obs = mo[k]!;
    if (!(obs >= MIN_OBSERVED_MINUTES)) continue;
    const i = s * hours + t;
    pickups[i] = pk[k]!;
    returns[i] = rt[k]!;
    emptyShare[i] = Math.min(1, me[k]! / obs);
    fullShare[i] = Math.min(1, mf[k]! / obs);
  }
  const lat = Float64Array.from(stationRows, (r) => (r.lat == null ? Number.NaN : r.lat));
  const lon = Float64Array.from(stationRows, (r) => (r.lon == null ? Number.NaN : r.lon));
  const hasCoords = stationRows.some((r) => r.lat != null);
  return {
    stations, start, hours, pickups, returns, emptyShare, fullShare,
    lat: hasCoords ? lat : null, lon: hasCoords ? lon : null,
    calendar: hourCalendar(start, hours, info.timezone, info.country),
    weather: await loadWeather(store, system, start, hours),
    stock: await loadStock(store, system, S, start, hours, w.until),
  };
}

/**
 * The rows readPanel reads for a window, copied into a new store file (`file`, which must not exist):
 * the system's row, its stations, its flows and weather in the window, and its status from the stock's
 * lookback to `until`. readPanel on that file gives the same panel as on the store. The service's
 * compute worker reads its panel so, off the thread that serves the API (DuckDB lets one process
 * open a store file once: a second instance on the same file in the same process does not share
 * the first one's writes or its locks). `store` should be a reader (Store.reader): the copy is one
 * read transaction, a consistent state of the store.
 */
export async function snapshotPanel(store: Store, system: string, w: PanelWindow, file: string): Promise<void> {
  const end = w.start + w.hours * HOUR_MS;
  const alias = `panel_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  await store.run(`ATTACH '${file.replaceAll("'", "''")}' AS ${alias}`);
  try {
    await store.transaction(async (tx) => {
      await tx.run(`CREATE TABLE ${alias}.systems AS SELECT * FROM systems WHERE system_id = $1`, [system]);
      await tx.run(`CREATE TABLE ${alias}.stations AS SELECT * FROM stations WHERE system_id = $1`, [system]);
      await tx.run(`CREATE TABLE ${alias}.hourly_flows AS SELECT * FROM hourly_flows WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3`, [system, w.start, end]);
      await tx.run(`CREATE TABLE ${alias}.weather_hourly AS SELECT * FROM weather_hourly WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3`, [system, w.start, end]);
      await tx.run(`CREATE TABLE ${alias}.status AS SELECT * FROM status WHERE system_id = $1 AND epoch_ms(observed_at) >= $2 AND epoch_ms(observed_at) < $3`,
        [system, w.start - STOCK_LOOKBACK_MS, w.until]);
    });
  } finally {
    await store.run(`DETACH ${alias}`);
  }
}

/** How far before the panel's first hour a station's last status is looked for. */
const STOCK_LOOKBACK_MS = 14 * 24 * HOUR_MS;

/**
 * Bikes, e-bikes and docks available at the start of each panel hour: the last status row strictly
 * before the hour (the change log holds a state until the next row), carried forward. Null if the
 * system has no status history (e.g. trip-based flows only). Rows at or after `until` (the end of
 * the data asked for) are not read, so hours past a forecast origin carry the origin's stock.
 */
export async function loadStock(store: Store, system: string, S: number, start: number, hours: number, until: number): Promise<Stock | null> {
  const end = start + hours * HOUR_MS;
  // Station ids to indices as loadPanel numbers them (rank among the window's stations), so the read stays numeric.
  const reader = await store.connection.run(
    `WITH idx AS (SELECT station_id, CAST(row_number() OVER (ORDER BY station_id) - 1 AS INTEGER) s
                  FROM (SELECT DISTINCT station_id FROM hourly_flows WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3))
     SELECT x.s, epoch_ms(st.observed_at) ms, st.bikes_available, st.ebikes_available, st.docks_available
     FROM status st JOIN idx x USING (station_id)
     WHERE st.system_id = $1 AND epoch_ms(st.observed_at) >= $4 AND epoch_ms(st.observed_at) < $5
     ORDER BY x.s, st.observed_at`,
    [system, start, end, start - STOCK_LOOKBACK_MS, until],
  );
  const [sid, ms, bk, eb, dk] = await numericColumnsOf(reader, 5) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  if (sid.length === 0) return null;
  const mk = () => new Float32Array(S * hours).fill(Number.NaN);
  const stock: Stock = { bikes: mk(), ebikes: mk(), docks: mk() };
  let k = 0;
  while (k < sid.length) {
    const s = sid[k]!;
    let last = -1;
    for (let t = 0; t < hours; t++) {
      const at = start + t * HOUR_MS;
      while (k < sid.length && sid[k] === s && ms[k]! < at) last = k++;
      if (last < 0) continue;
      const i = s * hours + t;
      stock.bikes[i] = bk[last]!;
      stock.ebikes[i] = eb[last]!;
      stock.docks[i] = dk[last]!;
    }
    while (k < sid.length && sid[k] === s) k++; // rows after the last hour start
  }
  return stock;
}

/** Stations below this mean flow per hour give the batch law: coincident riders are rare there. */
export const QUIET_RATE = 0.2;

/**
 * How many bikes move together: counts of demand moves (a change of 1 .. truckThreshold - 1 docked
 * bikes between consecutive status rows, the moves hourly_flows counts as pickups or returns) by
 * size, in [from, to) ms, at stations whose mean flow there is below QUIET_RATE per hour. At such
 * stations two independent riders rarely share one ~10 min snapshot, so a move of 2+ is mostly a
 * group (or a small truck move, which no demand model foresees either). Null without status rows.
 */
export async function loadBatchLaw(store: Store, system: string, from: number, to: number, truckThreshold = DEFAULT_FLOW_OPTIONS.truckThreshold): Promise<Record<Flow, number[]> | null> {
  const rows = await store.all<{ flow: Flow; size: number; n: number }>(`
    WITH w AS (
      SELECT station_id, observed_at, bikes_available + coalesce(bikes_disabled, 0) AS docked,
        lag(bikes_available + coalesce(bikes_disabled, 0)) OVER (PARTITION BY station_id ORDER BY observed_at) AS prev
      FROM status WHERE system_id = $1 AND epoch_ms(observed_at) >= $2 - 86400000 AND epoch_ms(observed_at) < $3),
    m AS (
      SELECT station_id, CASE WHEN docked < prev THEN 'pickups' ELSE 'returns' END AS flow, abs(docked - prev) AS size FROM w
      WHERE prev IS NOT NULL AND docked <> prev AND abs(docked - prev) < $4 AND epoch_ms(observed_at) >= $2),
    lvl AS (
      SELECT station_id, avg(pickups) AS pickups, avg(returns) AS returns FROM hourly_flows
      WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3 AND minutes_observed >= ${MIN_OBSERVED_MINUTES} GROUP BY station_id)
    SELECT flow, size, count(*) AS n FROM m JOIN lvl USING (station_id)
    WHERE (flow = 'pickups' AND lvl.pickups < $5) OR (flow = 'returns' AND lvl.returns < $5)
    GROUP BY ALL ORDER BY flow, size`, [system, from, to, truckThreshold, QUIET_RATE]);
  if (rows.length === 0) return null;
  const out = { pickups: new Array<number>(truckThreshold - 1).fill(0), returns: new Array<number>(truckThreshold - 1).fill(0) };
  for (const r of rows) out[r.flow][r.size - 1] = Number(r.n);
  return out.pickups.some((v) => v > 0) && out.returns.some((v) => v > 0) ? out : null;
}

/** Hourly weather of the system (the first weather station if several), or null if none. */
export async function loadWeather(store: Store, system: string, start: number, hours: number): Promise<Weather | null> {
  const reader = await store.connection.runAndReadAll(
    `SELECT CAST((epoch_ms(hour) - ${start}) / ${HOUR_MS} AS INTEGER) t, avg(temperature_c) te, avg(precipitation_mm) pr, avg(wind_ms) wi, avg(humidity_pct) hu
     FROM weather_hourly WHERE system_id = $1 AND epoch_ms(hour) >= $2 AND epoch_ms(hour) < $3 GROUP BY 1`,
    [system, start, start + hours * HOUR_MS],
  );
  const cols = reader.getColumnsJS() as (number | null)[][];
  if (cols.length === 0 || cols[0]!.length === 0) return null;
  const mk = () => new Float32Array(hours).fill(Number.NaN);
  const w: Weather = { temperature: mk(), precipitation: mk(), wind: mk(), humidity: mk() };
  const arrays = [w.temperature, w.precipitation, w.wind, w.humidity];
  for (let k = 0; k < cols[0]!.length; k++) {
    const t = cols[0]![k]!;
    for (let j = 0; j < 4; j++) {
      const v = cols[j + 1]![k];
      arrays[j]![t] = v == null ? Number.NaN : v;
    }
  }
  return w;
}

/** All-numeric result columns as Float64Arrays (NULL -> NaN), read chunk by chunk without per-row objects. */
export async function numericColumnsOf(result: DuckDBResult, width: number): Promise<Float64Array[]> {
  const parts: Float64Array[][] = Array.from({ length: width }, () => []);
  let total = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let c = 0; c < width; c++) {
      const v = chunk.getColumnVector(c);
      const a = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const x = v.getItem(j);
        a[j] = x === null ? Number.NaN : Number(x);
      }
      parts[c]!.push(a);
    }
    total += n;
  }
  return parts.map((ps) => {
    const out = new Float64Array(total);
    let o = 0;
    for (const p of ps) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });
}

export async function saveFittedModel(store: Store, system: string, saved: SavedModel): Promise<string> {
  const modelId = `${system}-${saved.name}-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  await store.run(
    `INSERT OR REPLACE INTO forecast_models VALUES ($1, $2, $3, now(), make_timestamptz($4::BIGINT * 1000), make_timestamptz($5::BIGINT * 1000), $6, $7)`,
    [modelId, system, saved.name, saved.dataFrom, saved.cutoff, saved.stations.length, JSON.stringify(saved)],
  );
  return modelId;
}

export async function latestModel(store: Store, system: string): Promise<{ modelId: string; saved: SavedModel } | null> {
  const rows = await store.all<{ model_id: string; params: string }>(
    'SELECT model_id, params::VARCHAR AS params FROM forecast_models WHERE system_id = ? ORDER BY fitted_at DESC LIMIT 1', [system],
  );
  if (rows.length === 0) return null;
  return { modelId: rows[0]!.model_id, saved: JSON.parse(rows[0]!.params) as SavedModel };
}

/** Store a prediction run (replacing a run of the same name) inside one transaction. */
export async function saveRun(store: Store, run: { runId: string; system: string; modelId: string; model: string; origin: number; hours: number; stations: number }, rows: readonly ForecastRow[]): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM forecasts WHERE run_id = ?', [run.runId]);
    await tx.run('DELETE FROM forecast_runs WHERE run_id = ?', [run.runId]);
    await tx.run(`INSERT INTO forecast_runs VALUES ($1, $2, $3, $4, now(), make_timestamptz($5::BIGINT * 1000), $6, $7)`, [
      run.runId, run.system, run.modelId, run.model, run.origin, run.hours, run.stations,
    ]);
    const app = await tx.connection.createAppender('forecasts');
    for (const r of rows) {
      app.appendVarchar(run.runId);
      app.appendVarchar(r.unique_id);
      app.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt(r.ds) * 1000n));
      app.appendVarchar(r.flow);
      app.appendInteger(r.horizon_h);
      app.appendDouble(r.y);
      app.appendDouble(r['lo-80']);
      app.appendDouble(r['hi-80']);
      app.appendDouble(r['lo-95']);
      app.appendDouble(r['hi-95']);
      app.appendVarchar(r.distribution);
      app.appendDouble(r.mu);
      app.appendDouble(r.size);
      app.endRow();
    }
    app.closeSync();
  });
}

/** The city-wide hourly series of one source with its weather (same source's weather station). */
export async function loadCitySeries(store: Store, system: string, source: string): Promise<CitySeries> {
  const station = source === 'uci' ? 'UCI' : source;
  const res = await store.connection.run(
    `SELECT epoch_ms(h.hour), h.rentals, CASE WHEN h.functioning_day = false THEN 1 ELSE 0 END,
       w.temperature_c, w.humidity_pct, w.wind_ms, w.visibility_m, w.dewpoint_c, w.solar_mj, w.precipitation_mm, w.snow_cm
     FROM system_hourly h LEFT JOIN weather_hourly w ON w.system_id = h.system_id AND w.hour = h.hour AND w.station = $3
     WHERE h.system_id = $1 AND h.source = $2 ORDER BY h.hour`,
    [system, source, station],
  );
  const c = await numericColumnsOf(res, 11);
  if (c[0]!.length === 0) throw new UserError(`no city-level hourly series '${source}' for system '${system}' (import uci-seoul or seoul-hourly first)`);
  return {
    hour: c[0]!, rentals: c[1]!, notFunctioning: Uint8Array.from(c[2]!),
    weather: { temperature: c[3]!, humidity: c[4]!, wind: c[5]!, visibility: c[6]!, dewpoint: c[7]!, solar: c[8]!, precipitation: c[9]!, snow: c[10]! },
  };
}

/** Station-month rentals and returns (`station_monthly`, from `import seoul-usage`) on a consecutive month axis. */
export async function loadMonthlyPanel(store: Store, system: string): Promise<MonthlyPanel> {
  await systemInfo(store, system);
  const rows = await store.all<{ station_id: string; month: string; rentals: number | null; returns: number | null }>(
    `SELECT station_id, strftime(month, '%Y-%m') AS month, rentals, returns FROM station_monthly WHERE system_id = ? ORDER BY station_id, month`, [system],
  );
  if (rows.length === 0) throw new UserError(`system '${system}' has no station-month usage: import it first (urbanlab import seoul-usage <file>)`);
  const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    const k = monthIndex(r.month);
    lo = Math.min(lo, k);
    hi = Math.max(hi, k);
  }
  const M = hi - lo + 1;
  const months = Array.from({ length: M }, (_, i) => `${Math.floor((lo + i) / 12)}-${String(((lo + i) % 12) + 1).padStart(2, '0')}`);
  const stations = [...new Set(rows.map((r) => r.station_id))].sort();
  const at = new Map(stations.map((s, i) => [s, i]));
  const rentals = new Float64Array(stations.length * M).fill(Number.NaN);
  const returns = new Float64Array(stations.length * M).fill(Number.NaN);
  for (const r of rows) {
    const k = at.get(r.station_id)! * M + monthIndex(r.month) - lo;
    if (r.rentals != null) rentals[k] = Number(r.rentals);
    if (r.returns != null) returns[k] = Number(r.returns);
  }
  const coords = await store.all<{ station_id: string; lat: number | null; lon: number | null }>(
    'SELECT station_id, lat, lon FROM stations WHERE system_id = ?', [system],
  );
  const lat = new Float64Array(stations.length).fill(Number.NaN);
  const lon = new Float64Array(stations.length).fill(Number.NaN);
  for (const c of coords) {
    const i = at.get(c.station_id);
    if (i === undefined || c.lat == null || c.lon == null) continue;
    lat[i] = c.lat;
    lon[i] = c.lon;
  }
  return { stations, months, rentals, returns, lat: coords.length ? lat : null, lon: coords.length ? lon : null };
}

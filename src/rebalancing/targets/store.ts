// The targets stage's edge to DuckDB: reads stations, the status at a time, hourly flows, stored
// forecasts and the status change log; writes target runs. Everything else in this folder is pure.
import type { StationId } from '../../platform/ids.ts';
import { UserError } from '../../platform/errors.ts';
import type { Store } from '../../platform/store/connection.ts';
import { alignPanel, restoreModel, saveModel, type SavedModel } from '../forecast/model-io.ts';
import { fitStationModel, type StationModel } from '../forecast/models/station-gbdt.ts';
import { loadPanel, numericColumnsOf } from '../forecast/store.ts';
import type { HourlyGrid } from './historical-rates.ts';
import type { StationTarget } from './station-targets.ts';
import type { ClassRatios } from './classify.ts';

const HOUR_S = 3600;

export type StationRow = {
  station_id: StationId;
  name: string | null;
  district: string | null;
  /** Racks/docks: the stations table, else the largest bikes + docks the status ever showed. */
  racks: number | null;
  lat: number | null;
  lon: number | null;
};

export async function assertSystem(store: Store, system: string): Promise<void> {
  const rows = await store.all<{ n: number }>('SELECT count(*) AS n FROM systems WHERE system_id = $1', [system]);
  if (!rows[0]?.n) {
    const known = (await store.all<{ system_id: string }>('SELECT system_id FROM systems ORDER BY 1')).map((r) => r.system_id);
    throw new UserError(`unknown system '${system}' (the store has: ${known.join(', ') || 'none'})`);
  }
}

/** Every station known from the station list or the status log, with its racks. */
export async function loadStations(store: Store, system: string): Promise<StationRow[]> {
  return store.all<StationRow>(
    `WITH st AS (SELECT station_id, max(coalesce(capacity, bikes_available + coalesce(bikes_disabled, 0) + coalesce(docks_available, 0) + coalesce(docks_disabled, 0))) AS seen
                 FROM status WHERE system_id = $1 GROUP BY station_id),
          ids AS (SELECT station_id FROM stations WHERE system_id = $1 AND valid_to IS NULL UNION SELECT station_id FROM st)
     SELECT ids.station_id, s.name, s.district, CAST(coalesce(s.capacity, st.seen) AS INTEGER) AS racks, s.lat, s.lon
     FROM ids LEFT JOIN stations s ON s.system_id = $1 AND s.station_id = ids.station_id
     LEFT JOIN st ON st.station_id = ids.station_id
     ORDER BY ids.station_id`,
    [system],
  );
}

/**
 * Bikes at each station at `atS` (epoch seconds): its last status row at or before then, with the
 * racks it reports and the bikes it can hold then (`usable`: bikes + free docks; null without docks).
 */
export async function loadCurrent(store: Store, system: string, atS: number): Promise<Map<string, { bikes: number; observed: number; racks: number | null; usable: number | null }>> {
  const rows = await store.all<{ station_id: string; bikes: number; t: number; racks: number | null; usable: number | null }>(
    `SELECT station_id, arg_max(bikes_available, observed_at) AS bikes, epoch(max(observed_at)) AS t,
            arg_max(bikes_available + docks_available, observed_at) AS usable,
            arg_max(coalesce(capacity, bikes_available + coalesce(bikes_disabled, 0) + coalesce(docks_available, 0) + coalesce(docks_disabled, 0)), observed_at) AS racks
     FROM status WHERE system_id = $1 AND observed_at <= to_timestamp($2) AND bikes_available IS NOT NULL GROUP BY station_id`,
    [system, atS],
  );
  return new Map(rows.map((r) => [r.station_id, { bikes: r.bikes, observed: r.t, racks: r.racks, usable: r.usable }]));
}

export interface GridSet {
  /** Epoch seconds of index 0. */
  start: number;
  hours: number;
  grids: Map<string, HourlyGrid>;
}

/** Hourly flows of every station for hours [fromS, toS) on one grid. */
export async function loadHourlyGrids(store: Store, system: string, fromS: number, toS: number): Promise<GridSet> {
  const start = Math.floor(fromS / HOUR_S) * HOUR_S;
  const hours = Math.ceil((toS - start) / HOUR_S);
  const ids = (await store.all<{ station_id: string }>(
    'SELECT DISTINCT station_id FROM hourly_flows WHERE system_id = $1 AND hour >= to_timestamp($2) AND hour < to_timestamp($3) ORDER BY 1', [system, start, start + hours * HOUR_S],
  )).map((r) => r.station_id);
  const grids = new Map<string, HourlyGrid>();
  ids.forEach((id) => {
    grids.set(id, { pickups: new Float64Array(hours), returns: new Float64Array(hours), observed: new Float64Array(hours), empty: new Float64Array(hours), full: new Float64Array(hours) });
  });
  if (ids.length === 0) return { start, hours, grids };
  // Station index by rank in SQL (the same order as `ids`), so that a read-only store works too.
  const reader = await store.connection.run(
    `SELECT CAST(dense_rank() OVER (ORDER BY station_id) - 1 AS INTEGER) s, CAST((epoch(hour) - ${start}) / ${HOUR_S} AS INTEGER) t,
            pickups, returns, minutes_observed, minutes_empty, minutes_full
     FROM hourly_flows WHERE system_id = $1 AND hour >= to_timestamp($2) AND hour < to_timestamp($3)`,
    [system, start, start + hours * HOUR_S],
  );
  const [s, t, pk, rt, mo, me, mf] = (await numericColumnsOf(reader, 7)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (let k = 0; k < s.length; k++) {
    const g = grids.get(ids[s[k]!]!)!;
    const i = t[k]!;
    if (i < 0 || i >= hours) continue;
    g.pickups[i] = pk[k]!; g.returns[i] = rt[k]!;
    g.observed[i] = mo[k]!; g.empty[i] = me[k]!; g.full[i] = mf[k]!;
  }
  return { start, hours, grids };
}

export interface EventSet {
  times: Float64Array;
  /** Change of the bikes at each status row (0 for the first row and for rows before the window). */
  deltas: Int32Array;
  /**
   * Bikes + free docks after each row (the bikes the station can hold then: disabled bikes and
   * disabled docks take no part), -1 where the feed gives no docks (Seoul).
   */
  usable: Int32Array;
}

/**
 * Each station's status rows in (fromS, toS] with the change of bikes, preceded by its rows of the
 * two days before (delta 0) so that the state at fromS is known.
 */
export async function loadStatusEvents(store: Store, system: string, fromS: number, toS: number): Promise<Map<string, EventSet>> {
  const reader = await store.connection.run(
    `WITH r AS (
       SELECT station_id, observed_at, bikes_available,
              bikes_available - lag(bikes_available) OVER (PARTITION BY station_id ORDER BY observed_at) AS d,
              bikes_available + docks_available AS usable
       FROM status WHERE system_id = $1 AND bikes_available IS NOT NULL
         AND observed_at > to_timestamp($2) - INTERVAL 2 DAY AND observed_at <= to_timestamp($3))
     SELECT station_id, epoch(observed_at) AS t, CASE WHEN observed_at > to_timestamp($2) THEN coalesce(d, 0) ELSE 0 END AS d, coalesce(usable, -1) AS usable
     FROM r ORDER BY station_id, observed_at`,
    [system, fromS, toS],
  );
  const out = new Map<string, EventSet>();
  let curId: string | null = null;
  let ts: number[] = [], ds: number[] = [], us: number[] = [];
  const flush = () => { if (curId !== null) out.set(curId, { times: Float64Array.from(ts), deltas: Int32Array.from(ds), usable: Int32Array.from(us) }); };
  for (;;) {
    const chunk = await reader.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const ids = chunk.getColumnVector(0), tv = chunk.getColumnVector(1), dv = chunk.getColumnVector(2), uv = chunk.getColumnVector(3);
    for (let j = 0; j < chunk.rowCount; j++) {
      const id = String(ids.getItem(j));
      if (id !== curId) { flush(); curId = id; ts = []; ds = []; us = []; }
      ts.push(Number(tv.getItem(j)));
      ds.push(Number(dv.getItem(j)));
      us.push(Number(uv.getItem(j)));
    }
  }
  flush();
  return out;
}

export interface ForecastRates {
  runId: string;
  /** Epoch seconds of the first hour. */
  start: number;
  hours: number;
  stations: Map<string, { pickups: Float64Array; returns: Float64Array; pickupSize: Float64Array; returnSize: Float64Array }>;
}

/**
 * The newest stored forecast run whose hours cover [fromS, fromS + hours h) and whose origin is at
 * or before fromS; null when none does (the caller falls back to the historical average).
 */
export async function loadForecastRates(store: Store, system: string, fromS: number, hours: number): Promise<ForecastRates | null> {
  const have = await store.all<{ n: number }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'forecast_runs'");
  if (!have[0]?.n) return null;
  const start = Math.floor(fromS / HOUR_S) * HOUR_S;
  const runs = await store.all<{ run_id: string }>(
    `SELECT run_id FROM forecast_runs WHERE system_id = $1 AND origin <= to_timestamp($2)
       AND origin + hours * INTERVAL 1 HOUR >= to_timestamp($3) ORDER BY created_at DESC LIMIT 1`,
    [system, start, start + hours * HOUR_S],
  );
  const runId = runs[0]?.run_id;
  if (!runId) return null;
  const rows = await store.all<{ station_id: string; t: number; flow: string; mean: number; size: number }>(
    `SELECT station_id, CAST((epoch(hour) - $2) / 3600 AS INTEGER) AS t, flow, mean, size FROM forecasts
     WHERE run_id = $1 AND hour >= to_timestamp($2) AND hour < to_timestamp($3)`,
    [runId, start, start + hours * HOUR_S],
  );
  const stations: ForecastRates['stations'] = new Map();
  for (const r of rows) {
    let s = stations.get(r.station_id);
    if (!s) stations.set(r.station_id, (s = { pickups: new Float64Array(hours), returns: new Float64Array(hours), pickupSize: new Float64Array(hours).fill(Infinity), returnSize: new Float64Array(hours).fill(Infinity) }));
    if (r.t < 0 || r.t >= hours) continue;
    if (r.flow === 'pickups') { s.pickups[r.t] = r.mean; s.pickupSize[r.t] = r.size; }
    else if (r.flow === 'returns') { s.returns[r.t] = r.mean; s.returnSize[r.t] = r.size; }
  }
  return { runId, start, hours, stations };
}

export interface TargetRunMeta {
  runId: string;
  system: string;
  atS: number;
  horizonMinutes: number;
  stepMinutes: number;
  service: number;
  rates: string;
  capacityPolicy: string;
  summary: { system: ClassRatios; districts: Record<string, ClassRatios> };
}

/** Stores a run (replacing one of the same id) in one transaction. */
export async function saveTargetRun(store: Store, meta: TargetRunMeta, targets: readonly (StationTarget & { racks: number | null })[]): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM targets WHERE run_id = $1', [meta.runId]);
    await tx.run('DELETE FROM target_runs WHERE run_id = $1', [meta.runId]);
    await tx.run(
      `INSERT INTO target_runs VALUES ($1, $2, now(), to_timestamp($3), $4, $5, $6, $7, $8, $9, $10)`,
      [meta.runId, meta.system, meta.atS, meta.horizonMinutes, meta.stepMinutes, meta.service, meta.rates, meta.capacityPolicy, targets.length, JSON.stringify(meta.summary)],
    );
    const app = await tx.connection.createAppender('targets');
    const round = (x: number) => Number(x.toPrecision(6));
    for (const t of targets) {
      app.appendVarchar(meta.runId);
      app.appendVarchar(t.station_id);
      if (t.district === null) app.appendNull(); else app.appendVarchar(t.district);
      if (t.racks === null) app.appendNull(); else app.appendInteger(t.racks);
      app.appendInteger(t.capacity);
      if (t.current === null) app.appendNull(); else app.appendInteger(t.current);
      app.appendInteger(t.min);
      app.appendInteger(t.max);
      app.appendBoolean(t.feasible);
      if (t.class === null) app.appendNull(); else app.appendVarchar(t.class);
      app.appendInteger(t.bring);
      app.appendInteger(t.take);
      if (t.expected_failures === null) app.appendNull(); else app.appendDouble(t.expected_failures);
      if (t.risk_at_current === null) app.appendNull(); else app.appendDouble(t.risk_at_current);
      app.appendVarchar(JSON.stringify(t.curve.rentals.map(round)));
      app.appendVarchar(JSON.stringify(t.curve.returns.map(round)));
      app.appendVarchar(JSON.stringify(t.p_empty.map(round)));
      app.appendVarchar(JSON.stringify(t.p_full.map(round)));
      app.endRow();
    }
    app.closeSync();
  });
}

/**
 * The newest fitted stage-2 model of the system whose cut-off is at or before `fromS` (so it has
 * seen nothing of the replayed period), attached to the hourly flows from 15 days before `fromS`
 * (the history its features read) to `toS`. Null when no such model is stored.
 */
export async function loadForecastModelBefore(store: Store, system: string, fromS: number, toS: number): Promise<{ modelId: string; cutoff: number; model: StationModel } | null> {
  const have = await store.all<{ n: number }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'forecast_models'");
  if (!have[0]?.n) return null;
  const rows = await store.all<{ model_id: string; params: string }>(
    `SELECT model_id, params::VARCHAR AS params FROM forecast_models WHERE system_id = $1 AND data_to <= to_timestamp($2) ORDER BY data_to DESC, fitted_at DESC LIMIT 1`,
    [system, fromS],
  );
  if (rows.length === 0) return null;
  const saved = JSON.parse(rows[0]!.params) as SavedModel;
  const raw = await loadPanel(store, system, { from: (fromS - FEATURE_HISTORY_DAYS * 86_400) * 1000, to: toS * 1000 });
  const { panel } = alignPanel(raw, saved.stations);
  return { modelId: rows[0]!.model_id, cutoff: saved.cutoff / 1000, model: restoreModel(saved, panel) };
}

/** Days of flows before an origin that the stage-2 features read (weekly lags, 168 h level). */
const FEATURE_HISTORY_DAYS = 15;

/**
 * A stage-2 model fitted now on the flows before `cutS` only, as production refits it, attached
 * (like a stored model) to the flows from 15 days before `cutS` to `toS`. For `targets replay
 * --refit-hours`; nothing is stored.
 */
export async function fitForecastModelAt(store: Store, system: string, cutS: number, toS: number, maxTrainRows: number): Promise<StationModel> {
  const train = await loadPanel(store, system, { to: cutS * 1000 });
  const saved = saveModel(fitStationModel(train, train.hours, { maxTrainRows }));
  const raw = await loadPanel(store, system, { from: (cutS - FEATURE_HISTORY_DAYS * 86_400) * 1000, to: toS * 1000 });
  return restoreModel(saved, alignPanel(raw, saved.stations).panel);
}

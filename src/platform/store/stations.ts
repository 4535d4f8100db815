// The one writer of the `stations` table: the GBFS importers, Seoul's station lists and the live
// collector all upsert through it, so a station written by two sources merges by one rule:
// - a field the new row gives replaces the stored one; a field it lacks (null) keeps the stored one;
// - valid_from keeps the earliest first-seen time known;
// - valid_to (removed from the feed) is written only by sources that know which stations are
//   present now (a feed: `presence`), and then is the new row's (null = present again); a station
//   list file leaves it as stored;
// - source and import_id say who wrote last.
import type { Store } from './connection.ts';

export interface StationRow {
  stationId: string;
  shortName?: string | null;
  name?: string | null;
  district?: string | null;
  address?: string | null;
  lat?: number | null;
  lon?: number | null;
  capacity?: number | null;
  /** Local date 'YYYY-MM-DD'. */
  installedOn?: string | null;
  /** Epoch seconds the station was first seen. */
  validFrom?: number | null;
  /** Epoch seconds the station left the feed; null while it is in it. Read only with `presence`. */
  validTo?: number | null;
}

export interface StationSource {
  /** Written to stations.source, e.g. 'gbfs-history' or 'seoul-stations: <layout>'. */
  source: string;
  importId: number | null;
  /** The rows come from a feed that lists the stations present now: valid_to is theirs. */
  presence: boolean;
}

const FIELDS = ['shortName', 'name', 'district', 'address', 'lat', 'lon', 'capacity', 'installedOn', 'validFrom', 'validTo'] as const;

let stageCounter = 0;

/** Upsert `rows` of one system (within the caller's transaction, if any). */
export async function upsertStations(store: Store, systemId: string, rows: readonly StationRow[], from: StationSource): Promise<void> {
  if (rows.length === 0) return;
  const merged = mergeRepeats(rows);
  const stage = `stage_stations_${process.pid}_${++stageCounter}`;
  await store.run(`CREATE TEMP TABLE ${stage} (station_id VARCHAR, short_name VARCHAR, name VARCHAR, district VARCHAR, address VARCHAR,
    lat DOUBLE, lon DOUBLE, capacity INTEGER, installed_on VARCHAR, valid_from DOUBLE, valid_to DOUBLE)`);
  try {
    // The appender: thousands of stations bind far faster than VALUES lists of parameters.
    const a = await store.connection.createAppender(stage, 'main', 'temp');
    const text = (v: string | null | undefined) => (v == null ? a.appendNull() : a.appendVarchar(v));
    const real = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? a.appendNull() : a.appendDouble(v));
    for (const r of merged) {
      a.appendVarchar(r.stationId);
      text(r.shortName); text(r.name); text(r.district); text(r.address);
      real(r.lat); real(r.lon);
      if (r.capacity == null || !Number.isFinite(r.capacity)) a.appendNull(); else a.appendInteger(Math.trunc(r.capacity));
      text(r.installedOn); real(r.validFrom); real(r.validTo);
      a.endRow();
    }
    a.flushSync();
    a.closeSync();
    await store.run(
      `INSERT INTO stations (system_id, station_id, short_name, name, district, address, lat, lon, capacity, installed_on, valid_from, valid_to, source, import_id)
       SELECT $1, station_id, short_name, name, district, address, lat, lon, capacity, installed_on::DATE, to_timestamp(valid_from),
              CASE WHEN $4 THEN to_timestamp(valid_to) END, $2, $3
       FROM ${stage}
       ON CONFLICT (system_id, station_id) DO UPDATE SET
         short_name = coalesce(excluded.short_name, stations.short_name),
         name = coalesce(excluded.name, stations.name),
         district = coalesce(excluded.district, stations.district),
         address = coalesce(excluded.address, stations.address),
         lat = coalesce(excluded.lat, stations.lat),
         lon = coalesce(excluded.lon, stations.lon),
         capacity = coalesce(excluded.capacity, stations.capacity),
         installed_on = coalesce(excluded.installed_on, stations.installed_on),
         valid_from = least(stations.valid_from, excluded.valid_from),
         valid_to = CASE WHEN $4 THEN excluded.valid_to ELSE stations.valid_to END,
         source = excluded.source,
         import_id = excluded.import_id`,
      [systemId, from.source, from.importId, from.presence],
    );
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${stage}`);
  }
}

/**
 * One row per station (DuckDB refuses to update one key twice in a statement): a later row of the
 * same station merges into the earlier by the table's rule (given fields win, first seen kept,
 * the latest presence).
 */
function mergeRepeats(rows: readonly StationRow[]): StationRow[] {
  const byId = new Map<string, StationRow>();
  for (const r of rows) {
    const prev = byId.get(r.stationId);
    if (!prev) { byId.set(r.stationId, r); continue; }
    const m: StationRow = { ...prev };
    for (const f of FIELDS) {
      const v = r[f];
      if (v == null) continue;
      if (f === 'validFrom') m.validFrom = prev.validFrom == null ? v as number : Math.min(prev.validFrom, v as number);
      else (m as unknown as Record<string, unknown>)[f] = v;
    }
    if ('validTo' in r) m.validTo = r.validTo ?? null;
    byId.set(r.stationId, m);
  }
  return [...byId.values()];
}

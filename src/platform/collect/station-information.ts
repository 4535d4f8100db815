// GBFS station_information -> the stations a status feed may name, with their capacity, and their
// upsert into `stations`.
import { parseStationInformation as readStationInformation } from '../gbfs/feeds.ts';
import type { Store } from '../store/connection.ts';

export interface StationInfo {
  stationId: string;
  name: string | null;
  shortName: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
}

/**
 * The stations of a station_information document, through the importers' GBFS reader (gbfs/feeds.ts:
 * v1.1-v3.0, localized names); entries it rejects (no position) are left out of the live list too.
 */
export function parseStationInformation(doc: unknown): StationInfo[] {
  return readStationInformation(doc).items.map((s) => ({
    stationId: s.stationId, name: s.name ?? null, shortName: s.shortName ?? null, lat: s.lat, lon: s.lon, capacity: s.capacity ?? null,
  }));
}

/** Upsert the stations a live feed lists (latest attributes win; first seen kept). */
export async function upsertStations(store: Store, system: string, stations: readonly StationInfo[], seenAt: Date, source: string): Promise<void> {
  if (stations.length === 0) return;
  await store.transaction(async (tx) => {
    await tx.run('CREATE TEMP TABLE IF NOT EXISTS _live_stations (station_id VARCHAR, short_name VARCHAR, name VARCHAR, lat DOUBLE, lon DOUBLE, capacity INTEGER)');
    await tx.run('DELETE FROM _live_stations');
    const appender = await tx.connection.createAppender('_live_stations', 'main', 'temp');
    for (const s of stations) {
      appender.appendVarchar(s.stationId);
      if (s.shortName === null) appender.appendNull(); else appender.appendVarchar(s.shortName);
      if (s.name === null) appender.appendNull(); else appender.appendVarchar(s.name);
      if (s.lat === null) appender.appendNull(); else appender.appendDouble(s.lat);
      if (s.lon === null) appender.appendNull(); else appender.appendDouble(s.lon);
      if (s.capacity === null) appender.appendNull(); else appender.appendInteger(s.capacity);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    await tx.run(
      `INSERT INTO stations (system_id, station_id, short_name, name, lat, lon, capacity, valid_from, source)
       SELECT $1, station_id, short_name, name, lat, lon, capacity, $2::TIMESTAMPTZ, $3 FROM _live_stations
       ON CONFLICT (system_id, station_id) DO UPDATE SET
         short_name = coalesce(excluded.short_name, stations.short_name), name = coalesce(excluded.name, stations.name),
         lat = coalesce(excluded.lat, stations.lat), lon = coalesce(excluded.lon, stations.lon),
         capacity = coalesce(excluded.capacity, stations.capacity), valid_to = NULL`,
      [system, seenAt.toISOString(), source],
    );
  });
}

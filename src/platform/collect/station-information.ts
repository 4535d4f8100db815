// GBFS station_information -> the stations a status feed may name, with their capacity.
// v2.x gives `name` as a string; v3.0 as [{text, language}].
import type { Store } from '../store/connection.ts';

export interface StationInfo {
  stationId: string;
  name: string | null;
  shortName: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const first = v.find((t) => t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') as { text: string } | undefined;
    return first?.text ?? null;
  }
  return null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

export function parseStationInformation(doc: unknown): StationInfo[] {
  const list = (doc as { data?: { stations?: unknown } } | null)?.data?.stations;
  if (!Array.isArray(list)) throw new Error('station_information: data.stations is missing or not an array');
  const out: StationInfo[] = [];
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    const id = typeof r['station_id'] === 'string' ? r['station_id'] : typeof r['station_id'] === 'number' ? String(r['station_id']) : undefined;
    if (!id) continue;
    const capacity = num(r['capacity']);
    out.push({ stationId: id, name: text(r['name']), shortName: text(r['short_name']), lat: num(r['lat']), lon: num(r['lon']), capacity: capacity === null ? null : Math.trunc(capacity) });
  }
  return out;
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

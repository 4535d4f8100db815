// GBFS station_information -> the stations a status feed may name, with their capacity, and their
// upsert into `stations`.
import { parseStationInformation as readStationInformation } from '../gbfs/feeds.ts';
import type { Store } from '../store/connection.ts';
import { upsertStations as writeStations } from '../store/stations.ts';

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

/** Upsert the stations a live feed lists (latest attributes win; first seen kept; all present). */
export async function upsertStations(store: Store, system: string, stations: readonly StationInfo[], seenAt: Date, source: string): Promise<void> {
  const validFrom = seenAt.getTime() / 1000;
  await store.transaction((tx) => writeStations(tx, system, stations.map((s) => ({ ...s, validFrom, validTo: null })), { source, importId: null, presence: true }));
}

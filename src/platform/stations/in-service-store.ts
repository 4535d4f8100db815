// The store's edge of the in-service rule (./in-service.ts): reads the station list's versions
// (`station_versions`, else the `stations` table's first-seen / removed times) and each station's
// freshest report at or before an instant, and applies the rule.
import type { Store } from '../store/connection.ts';
import { stationsInService, STALE_HOURS, type InService, type Listing, type Report } from './in-service.ts';

export interface InServiceQuery {
  /** Stale after this many hours without a report (default STALE_HOURS). */
  staleHours?: number;
}

/** The station list's versions of `system`: station_versions when imported, else the stations table. */
export async function loadListings(store: Store, system: string): Promise<Listing[]> {
  const versions = await store.all<{ station_id: string; f: number; t: number | null; lat: number | null; lon: number | null }>(
    'SELECT station_id, epoch(valid_from) AS f, epoch(valid_to) AS t, lat, lon FROM station_versions WHERE system_id = $1', [system]);
  if (versions.length) return versions.map((v) => ({ stationId: v.station_id, from: v.f, to: v.t, lat: v.lat, lon: v.lon }));
  // A list without history (a station file, one snapshot): its first-seen and removed times, with
  // first-seen read as "from before" since such a file says what exists, not since when.
  const rows = await store.all<{ station_id: string; t: number | null; lat: number | null; lon: number | null }>(
    'SELECT station_id, epoch(valid_to) AS t, lat, lon FROM stations WHERE system_id = $1', [system]);
  return rows.map((r) => ({ stationId: r.station_id, from: null, to: r.t, lat: r.lat, lon: r.lon }));
}

/**
 * Each station's freshest report at or before `atS`, and the system's last status row then. The
 * freshest over all rows, not the last row's: Bay Wheels now and then republishes a station's cached
 * record (last_reported months old, not renting) between fresh ones. A report time after the row's
 * own time (a clock ahead) counts as the row's.
 */
export async function loadReports(store: Store, system: string, atS: number): Promise<{ reports: Report[]; systemLast: number | null }> {
  const reports = await store.all<{ station_id: string; t: number; w: number }>(
    `SELECT station_id, epoch(max(least(coalesce(last_reported, observed_at), observed_at))) AS t, epoch(max(observed_at)) AS w
     FROM status WHERE system_id = $1 AND observed_at <= to_timestamp($2) GROUP BY station_id`, [system, atS]);
  let systemLast: number | null = null;
  for (const r of reports) if (systemLast === null || r.w > systemLast) systemLast = r.w;
  return { reports: reports.map((r) => ({ stationId: r.station_id, at: r.t })), systemLast };
}

/** The stations of `system` in service at `atS` (epoch seconds). */
export async function loadStationsInService(store: Store, system: string, atS: number, q: InServiceQuery = {}): Promise<InService> {
  const [listings, { reports, systemLast }] = await Promise.all([loadListings(store, system), loadReports(store, system, atS)]);
  return stationsInService(listings, reports, atS, systemLast, { staleS: (q.staleHours ?? STALE_HOURS) * 3600 });
}

// Demand read from a status change log in the store: each station's docked-bike changes between
// consecutive rows, by the flows' own rule (src/platform/flows/hourly.ts changeSeen, FlowOptions): a
// change of truckThreshold bikes or more is the operator's truck, not riders, and is taken out; a change that
// shows at the end of a feed gap is a net change across the gap, spread over it. The log cannot see
// riders who came to an empty station and left: that demand is not in it.
import type { Store } from '../platform/store/connection.ts';
import { changeSeen } from '../platform/flows/hourly.ts';
import { DEFAULT_FLOW_OPTIONS } from '../platform/flows/options.ts';
import { UserError } from '../platform/errors.ts';
import { loadStationsInService } from '../platform/stations/in-service-store.ts';
import type { DemandChange } from './demand.ts';
import { stationsOf, type Stations } from './world.ts';

/** A change log with no change at a station for this long before the start means it is out of service (issue 19). */
export const STALE_S = 86400;

/** A snapshot interval this long or longer is a feed gap to the simulator (issue 21: "25 minutes or more"). */
export const GAP_S = 25 * 60;

/** Sorted spans merged where they overlap or touch. */
export function mergeSpans(spans: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export interface StatusDemand {
  stations: Stations;
  changes: DemandChange[];
  gaps: Array<[number, number]>;
  /** Stations left out at the start: stale (no status in the day before), or installed no more / no racks. */
  stale: string[];
  /** The real operator, as the log shows it: bikes its detected truck moves handled. */
  operatorBikesMoved: number;
  /** Each station's real (bikes, docks) rows in [from, to), for the observed row's station-minutes. */
  observed: Array<{ station: number; t: number; bikes: number; docks: number }>;
  /** Net changes across gaps too large for riders (>= threshold), left out. */
  gapChangesLeftOut: number;
}

export async function loadStatusDemand(store: Store, systemId: string, from: number, to: number, truckThreshold = DEFAULT_FLOW_OPTIONS.truckThreshold): Promise<StatusDemand> {
  // The one in-service rule (src/platform/stations/in-service.ts): in the station list at `from` and
  // reporting in the day before it; the simulator also needs a station that can hold a bike.
  const inService = await loadStationsInService(store, systemId, from, { staleHours: STALE_S / 3600 });
  const inServiceIds = new Set<string>(inService.ids);
  const start = await store.all<{ station_id: string; lat: number; lon: number; bikes: number; docks: number; installed: boolean }>(
    `WITH last AS (
       SELECT station_id, arg_max(bikes_available, observed_at) AS bikes, arg_max(docks_available, observed_at) AS docks,
         arg_max(coalesce(is_installed, true), observed_at) AS installed
       FROM status WHERE system_id = $1 AND observed_at <= to_timestamp($2) GROUP BY station_id)
     SELECT l.station_id, s.lat, s.lon, l.bikes, l.docks, l.installed
     FROM last l JOIN stations s ON s.system_id = $1 AND s.station_id = l.station_id
     WHERE l.bikes IS NOT NULL AND l.docks IS NOT NULL ORDER BY l.station_id`,
    [systemId, from],
  );
  if (start.length === 0) throw new UserError(`no status for system '${systemId}' at or before ${new Date(from * 1000).toISOString()}: import its status history first, or replay its trip records with --demand trips`);
  const stale: string[] = [...inService.stale];
  const live = start.filter((r) => {
    if (!inServiceIds.has(r.station_id)) return false;
    const ok = r.installed && r.bikes + r.docks > 0;
    if (!ok) stale.push(r.station_id);
    return ok;
  });
  const stations = stationsOf(live.map((r) => ({ id: r.station_id, lat: r.lat, lon: r.lon, capacity: r.bikes + r.docks, bikes: r.bikes })));
  const index = new Map(stations.ids.map((id, i) => [id, i]));
  // Gaps: the store's feed outages and every snapshot interval of GAP_S or more (the Bay Wheels
  // feed's 25-30 minute intervals are regular enough to stay out of the outage table, yet a change
  // across one is a net change over half an hour).
  const spans = (await store.all<{ s: number; e: number; outage: boolean }>(
    `WITH snaps AS (
       SELECT observed_at AS t, lag(observed_at) OVER (ORDER BY observed_at) AS p FROM snapshots
       WHERE system_id = $1 AND observed_at > to_timestamp($2) - INTERVAL 1 DAY AND observed_at < to_timestamp($3) + INTERVAL 1 DAY)
     SELECT epoch(p) AS s, epoch(t) AS e, false AS outage FROM snaps WHERE p IS NOT NULL AND epoch(t) - epoch(p) >= $4 AND t > to_timestamp($2) AND p < to_timestamp($3)
     UNION ALL
     SELECT epoch(gap_start), epoch(gap_end), true FROM gaps WHERE system_id = $1 AND gap_end > to_timestamp($2) AND gap_start < to_timestamp($3)
     ORDER BY 1, 2`,
    [systemId, from, to, GAP_S],
  ));
  const gapStartOf = new Map<number, number>();
  for (const g of spans) gapStartOf.set(g.e, Math.min(g.s, gapStartOf.get(g.e) ?? g.s));
  // A truck-size change after an outage is left out, as the flows leave it; after a 25-30 minute
  // interval the flows' rule still reads it as the operator's truck (hourly.ts), and so does this.
  const outageEnds = new Set(spans.filter((g) => g.outage).map((g) => g.e));
  const gaps = mergeSpans(spans.map((g): [number, number] => [g.s, g.e]));
  // Each station's rows in [from, to), preceded by its last row before `from` (the change into the
  // first row in the window is measured from it).
  const rows = await store.all<{ station_id: string; t: number; bikes: number | null; disabled: number | null; docks: number | null; installed: boolean }>(
    `WITH carry AS (SELECT station_id, max(observed_at) AS observed_at FROM status WHERE system_id = $1 AND observed_at < to_timestamp($2) GROUP BY station_id)
     SELECT station_id, epoch(observed_at) AS t, bikes_available AS bikes, bikes_disabled AS disabled, docks_available AS docks, coalesce(is_installed, true) AS installed
     FROM status WHERE system_id = $1 AND observed_at < to_timestamp($3)
       AND (observed_at >= to_timestamp($2) OR (station_id, observed_at) IN (SELECT station_id, observed_at FROM carry))
     ORDER BY observed_at, station_id`,
    [systemId, from, to],
  );
  const changes: DemandChange[] = [];
  const observed: StatusDemand['observed'] = [];
  let operatorBikesMoved = 0;
  let gapChangesLeftOut = 0;
  const prevOf = new Map<string, { bikes: number; disabled: number | undefined; installed: boolean }>();
  for (const r of rows) {
    const prev = prevOf.get(r.station_id);
    const cur = { bikes: r.bikes ?? 0, disabled: r.disabled ?? undefined, installed: r.installed && r.bikes !== null };
    prevOf.set(r.station_id, cur);
    const s = index.get(r.station_id);
    if (s === undefined || r.t < from) continue;
    if (r.bikes !== null && r.docks !== null) observed.push({ station: s, t: r.t, bikes: r.bikes, docks: r.docks });
    // The flows' rule (src/platform/flows/hourly.ts changeSeen): what changed, and whether a truck did it.
    const change = prev ? changeSeen(prev, cur, truckThreshold) : null;
    if (!change) continue;
    const gapStart = gapStartOf.get(r.t);
    if (change.truck) {
      if (!outageEnds.has(r.t)) operatorBikesMoved += Math.abs(change.bikes);
      else gapChangesLeftOut++;
      continue;
    }
    changes.push(gapStart === undefined ? { station: s, t: r.t, n: change.bikes } : { station: s, t: r.t, n: change.bikes, gapStart: Math.max(gapStart, from) });
  }
  return { stations, changes, gaps, stale, operatorBikesMoved, observed, gapChangesLeftOut };
}

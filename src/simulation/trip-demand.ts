// Rider demand from trip records (GBFS trip files, Seoul trips): each trip a pickup at its start
// station and time and a return at its end station and time, the two linked so that a rider who
// finds the start empty (a failed rental) does not return a bike either. Exact times: no gaps.
//
// Where the trips come from the stations do too, but the state at the start usually does not: the
// bundled trip files (Ford GoBike 2019-02, Divvy 2020-01, Seoul 2017-08) have no status history in
// the store. A station starts from its real status where the store has one at --from (no older
// than a day); otherwise from a stated assumption: capacity from the station list (Seoul's soft
// capacity as in stage 3), or, where the list has none (stations known only from trip files), the
// median listed capacity of the system (DEFAULT_CAPACITY where none is listed), and bikes = the
// starting fill x capacity. The loader says how many stations took each.
import type { Store } from '../platform/store/connection.ts';
import { UserError } from '../platform/errors.ts';
import { defaultCapacityPolicy, effectiveCapacity } from '../rebalancing/targets/capacity.ts';
import type { RiderEvents } from './demand.ts';
import { STALE_S } from './status-demand.ts';
import { stationsOf, type Stations } from './world.ts';

/** Docks assumed for a station whose capacity nobody lists, when the system lists none either. */
export const DEFAULT_CAPACITY = 15;
/** Default share of the docks holding bikes at the start where no status says. */
export const DEFAULT_START_FILL = 0.5;
/** Trips started this long before --from whose return falls inside the window are replayed as returns. */
const OPEN_TRIPS_S = 86400;

export interface TripRecord {
  start: string;
  end: string;
  /** Epoch seconds. */
  startedAt: number;
  endedAt: number;
}

export interface StartState {
  /** Stations whose bikes and docks at --from are the real status. */
  fromStatus: number;
  /** Stations whose capacity is the station list's (racks, soft for Seoul), bikes = fill x capacity. */
  listedCapacity: number;
  /** Stations whose capacity is assumed (`assumedCapacity`), bikes = fill x capacity. */
  assumed: number;
  assumedCapacity: number;
  fill: number;
}

export interface TripDemand {
  stations: Stations;
  events: RiderEvents;
  trips: number;
  /** Trips started before --from still riding at it: only their return is replayed. */
  openAtStart: number;
  /** Trips left out because a station has no known position. */
  unplaced: number;
  start: StartState;
}

/**
 * Trips to sorted events with the pickup -> return link. Trips starting before `from` give their
 * return only; trips naming a station not in `index` are counted and left out.
 */
export function eventsFromTrips(trips: readonly TripRecord[], index: ReadonlyMap<string, number>, from: number): { events: RiderEvents; trips: number; openAtStart: number; unplaced: number } {
  type Ev = { t: number; station: number; delta: number; trip: number };
  const evs: Ev[] = [];
  let n = 0;
  let open = 0;
  let unplaced = 0;
  for (const tr of trips) {
    const a = index.get(tr.start);
    const b = index.get(tr.end);
    if (a === undefined || b === undefined) { unplaced++; continue; }
    if (tr.startedAt >= from) {
      evs.push({ t: tr.startedAt, station: a, delta: -1, trip: n });
      n++;
    } else open++;
    evs.push({ t: Math.max(tr.endedAt, tr.startedAt), station: b, delta: 1, trip: tr.startedAt >= from ? n - 1 : -1 });
  }
  // The same order rule as status demand (demand.ts): time, returns first, then station; then the trip.
  evs.sort((x, y) => x.t - y.t || y.delta - x.delta || x.station - y.station || x.trip - y.trip);
  const returnAt = new Int32Array(n).fill(-1);
  evs.forEach((e, k) => { if (e.delta > 0 && e.trip >= 0) returnAt[e.trip] = k; });
  return {
    events: {
      t: Float64Array.from(evs, (e) => e.t),
      station: Int32Array.from(evs, (e) => e.station),
      delta: Int8Array.from(evs, (e) => e.delta),
      fromGap: new Uint8Array(evs.length),
      pair: Int32Array.from(evs, (e) => (e.delta < 0 ? returnAt[e.trip]! : -1)),
    },
    trips: n,
    openAtStart: open,
    unplaced,
  };
}

export async function loadTripDemand(store: Store, systemId: string, from: number, to: number, fill = DEFAULT_START_FILL): Promise<TripDemand> {
  const trips = await store.all<{ s: string; e: string; a: number; b: number }>(
    `SELECT start_station_id AS s, end_station_id AS e, epoch(started_at) AS a, epoch(ended_at) AS b FROM trips
     WHERE system_id = $1 AND started_at < to_timestamp($3) AND started_at >= to_timestamp($2) - INTERVAL ${OPEN_TRIPS_S} SECOND
       AND (started_at >= to_timestamp($2) OR ended_at >= to_timestamp($2))
     ORDER BY started_at, start_station_id`,
    [systemId, from, to],
  );
  if (!trips.some((t) => t.a >= from)) {
    const span = (await store.all<{ a: string | null; b: string | null }>(
      'SELECT min(started_at)::VARCHAR AS a, max(started_at)::VARCHAR AS b FROM trips WHERE system_id = $1', [systemId]))[0];
    throw new UserError(`--demand trips: no trips of '${systemId}' start in the window${span?.a ? ` (the store has trips from ${span.a} to ${span.b})` : ' (the store has none: import a trip file first)'}`);
  }
  // Stations: those the window's trips name, and every other station in service at --from (a
  // rider who finds a station full may ride to any of them): first seen or installed by then, not
  // removed (Seoul's lists carry install dates: a 2017 day does not get the 2,000 stations built since).
  const named = new Set<string>();
  for (const t of trips) { named.add(t.s); named.add(t.e); }
  const rows = await store.all<{ station_id: string; lat: number | null; lon: number | null; capacity: number | null; live: boolean }>(
    `SELECT station_id, lat, lon, capacity,
       (valid_from IS NULL OR valid_from <= to_timestamp($2)) AND (valid_to IS NULL OR valid_to >= to_timestamp($2))
         AND (installed_on IS NULL OR installed_on <= to_timestamp($2)) AS live
     FROM stations WHERE system_id = $1 ORDER BY station_id`,
    [systemId, from],
  );
  const chosen = rows.filter((r) => r.lat != null && r.lon != null && (r.live || named.has(r.station_id)));
  const status = new Map((await store.all<{ station_id: string; bikes: number; docks: number; t: number }>(
    `SELECT station_id, arg_max(bikes_available, observed_at) AS bikes, arg_max(docks_available, observed_at) AS docks, epoch(max(observed_at)) AS t
     FROM status WHERE system_id = $1 AND observed_at <= to_timestamp($2) AND observed_at > to_timestamp($2) - INTERVAL ${STALE_S} SECOND GROUP BY station_id`,
    [systemId, from],
  )).map((r) => [r.station_id, r]));
  const policy = defaultCapacityPolicy(systemId);
  const listed = rows.map((r) => r.capacity).filter((c): c is number => c != null && c > 0).sort((a, b) => a - b);
  const assumedCapacity = listed.length ? effectiveCapacity(listed[Math.floor(listed.length / 2)]!, policy) : DEFAULT_CAPACITY;
  const start: StartState = { fromStatus: 0, listedCapacity: 0, assumed: 0, assumedCapacity, fill };
  const stations = stationsOf(chosen.map((r) => {
    const st = status.get(r.station_id);
    if (st && st.bikes != null && st.docks != null && st.bikes + st.docks > 0) {
      start.fromStatus++;
      return { id: r.station_id, lat: r.lat!, lon: r.lon!, capacity: st.bikes + st.docks, bikes: st.bikes };
    }
    let capacity: number;
    if (r.capacity != null && r.capacity > 0) { capacity = effectiveCapacity(r.capacity, policy); start.listedCapacity++; }
    else { capacity = assumedCapacity; start.assumed++; }
    // The fill applies to the racks (a soft capacity's overflow starts empty).
    const racks = r.capacity != null && r.capacity > 0 ? r.capacity : capacity;
    return { id: r.station_id, lat: r.lat!, lon: r.lon!, capacity, bikes: Math.round(fill * Math.min(racks, capacity)) };
  }));
  const index = new Map(stations.ids.map((id, i) => [id, i]));
  const built = eventsFromTrips(trips.map((t) => ({ start: t.s, end: t.e, startedAt: t.a, endedAt: t.b })), index, from);
  // Most trips unplaced: the stations have no position in the store (a trip file imported before
  // the importer recorded the stations it names): a replay of the few left would mislead.
  if (built.unplaced > built.trips + built.openAtStart) {
    throw new UserError(`--demand trips: ${built.unplaced} of ${built.unplaced + built.trips + built.openAtStart} trips of '${systemId}' in the window name a station the store cannot place (no position in its station list); a trip file imported before its stations were recorded from it: import it again into a fresh store`);
  }
  return { stations, events: built.events, trips: built.trips, openAtStart: built.openAtStart, unplaced: built.unplaced, start };
}

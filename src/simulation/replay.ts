// The replay: rider events in time order against the live station state, trucks driving between
// them. Riders are a sorted typed-array stream; trucks are few (tens), so the next truck event is a
// linear scan rather than a heap. A rider who finds the station empty is a failed rental, one who
// finds it full a failed return (the status log does not say where the bike went instead).
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import type { RiderEvents } from './demand.ts';
import type { EventLog } from './event-log.ts';
import { SpellMeter, type SpellTotals } from './metrics.ts';
import type { Policy, WorldView } from './policies/policy.ts';
import { driveSeconds, roadKm, trucksAtStart, type TruckState } from './trucks.ts';
import type { Stations } from './world.ts';

export interface ReplayInput {
  stations: Stations;
  events: RiderEvents;
  from: number;
  to: number;
  /** 06:00-22:00 local windows and feed gaps (sorted [start, end) epoch seconds). */
  dayWindows: ReadonlyArray<[number, number]>;
  gaps: ReadonlyArray<[number, number]>;
  fleet: Fleet;
  /** Each local day's shift start (epoch s), ascending; empty: trucks never work. */
  shiftStarts: readonly number[];
  policy: Policy;
  log?: EventLog;
}

export interface ReplayResult extends SpellTotals {
  policy: string;
  failedRentals: number;
  failedReturns: number;
  /** Failures caused by events spread over feed gaps. */
  failuresFromGaps: number;
  eventsFromGaps: number;
  events: number;
  bikesMoved: number;
  truckKm: number;
  truckHours: number;
  replans: number;
  /** Stops where the truck moved fewer bikes than it meant to (what was there or fitted differed). */
  shortStops: number;
  /** Failures by hour since `from`. */
  failuresByHour: Int32Array;
  /** Failures by station. */
  failuresByStation: Int32Array;
}

const WAIT_S = 300;

export function replay(input: ReplayInput): ReplayResult {
  const { stations, events, from, to, fleet, policy, log } = input;
  const cap = stations.capacity;
  const bikes = Int32Array.from(stations.bikes);
  const meter = new SpellMeter(input.dayWindows, input.gaps, bikes.length);
  meter.start(from, bikes, cap);
  const hours = Math.max(1, Math.ceil((to - from) / 3600));
  const byHour = new Int32Array(hours);
  const byStation = new Int32Array(bikes.length);
  const shifts = input.shiftStarts.filter((s) => s + 1 > from - 86400);
  const nextShift = (t: number) => shifts.find((s) => s >= t) ?? Infinity;
  const first = nextShift(from);
  const trucks: TruckState[] = trucksAtStart(fleet, first);
  if (first === Infinity || !policy.usesTrucks) for (const tr of trucks) tr.nextAt = Infinity;
  const shiftS = fleet.trucks.map((t) => t.shiftMinutes * 60);
  const view: WorldView & { t: number } = { t: from, stations, bikes, trucks, fleet };
  let failedRentals = 0;
  let failedReturns = 0;
  let failuresFromGaps = 0;
  let bikesMoved = 0;
  let shortStops = 0;
  const n = events.t.length;
  const et = events.t;
  const es = events.station;
  const ed = events.delta;
  let i = 0;
  while (i < n && et[i]! < from) i++;
  let eventsRun = 0;
  let eventsFromGaps = 0;
  for (;;) {
    let ti = -1;
    let tt = Infinity;
    for (let k = 0; k < trucks.length; k++) if (trucks[k]!.nextAt < tt) { tt = trucks[k]!.nextAt; ti = k; }
    const tr = i < n ? et[i]! : Infinity;
    if (tr <= tt) {
      if (tr >= to) break;
      // A rider.
      const s = es[i]!;
      eventsRun++;
      if (events.fromGap[i]) eventsFromGaps++;
      if (ed[i]! < 0) {
        if (bikes[s]! <= 0) {
          failedRentals++;
          byHour[Math.floor((tr - from) / 3600)]!++;
          byStation[s]!++;
          if (events.fromGap[i]) failuresFromGaps++;
          log?.write({ t: tr, type: 'failed_rental', station: stations.ids[s]! });
        } else meter.update(s, tr, --bikes[s]!, cap[s]!);
      } else if (bikes[s]! >= cap[s]!) {
        failedReturns++;
        byHour[Math.floor((tr - from) / 3600)]!++;
        byStation[s]!++;
        if (events.fromGap[i]) failuresFromGaps++;
        log?.write({ t: tr, type: 'failed_return', station: stations.ids[s]! });
      } else meter.update(s, tr, ++bikes[s]!, cap[s]!);
      i++;
      continue;
    }
    if (tt >= to) break;
    // A truck.
    const truck = trucks[ti]!;
    view.t = tt;
    if (truck.heading >= 0) {
      const s = truck.heading;
      // What is really there and fits, not what the plan assumed.
      const want = truck.planned;
      const q = want > 0 ? Math.min(want, bikes[s]!, truck.capacity - truck.load) : -Math.min(-want, truck.load, cap[s]! - bikes[s]!);
      if (q !== want) shortStops++;
      if (q !== 0) {
        bikes[s]! -= q;
        truck.load += q;
        bikesMoved += Math.abs(q);
        meter.update(s, tt, bikes[s]!, cap[s]!);
        log?.write({ t: tt, type: q > 0 ? 'load' : 'drop', truck: truck.id, station: stations.ids[s]!, bikes: Math.abs(q), planned: Math.abs(want), truck_load: truck.load, station_bikes: bikes[s]! });
      }
      const service = fleet.stopMinutes * 60 + fleet.handlingSPerBike * Math.abs(q);
      truck.heading = -1;
      truck.planned = 0;
      truck.nextAt = tt + service;
      truck.workS += service;
      continue;
    }
    const job = tt < truck.shiftEnd ? policy.dispatch(ti, view) : null;
    if (job) {
      const dest = { lat: stations.lat[job.station]!, lon: stations.lon[job.station]! };
      const km = roadKm(fleet, truck.pos, dest);
      const drive = driveSeconds(fleet, km);
      truck.km += km;
      truck.workS += drive;
      truck.pos = dest;
      truck.heading = job.station;
      truck.planned = job.bikes;
      truck.nextAt = tt + drive;
      log?.write({ t: truck.nextAt, type: 'arrive', truck: truck.id, station: stations.ids[job.station]!, km: round(km) });
    } else if (tt + WAIT_S < truck.shiftEnd) {
      truck.nextAt = tt + WAIT_S;
      truck.workS += WAIT_S;
    } else {
      // Shift over: home to the depot, out again at the next shift start.
      const km = roadKm(fleet, truck.pos, fleet.depot);
      truck.km += km;
      truck.pos = fleet.depot;
      if (km > 0) log?.write({ t: tt + driveSeconds(fleet, km), type: 'arrive', truck: truck.id, station: 'depot', km: round(km) });
      const next = nextShift(tt + 1);
      truck.nextAt = next;
      truck.shiftEnd = next + shiftS[ti]!;
    }
  }
  meter.finish(to);
  return {
    policy: policy.name,
    ...meter.totals,
    failedRentals,
    failedReturns,
    failuresFromGaps,
    eventsFromGaps,
    events: eventsRun,
    bikesMoved,
    truckKm: trucks.reduce((a, t) => a + t.km, 0),
    truckHours: trucks.reduce((a, t) => a + t.workS, 0) / 3600,
    replans: policy.replans,
    shortStops,
    failuresByHour: byHour,
    failuresByStation: byStation,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

// The replay: rider events in time order against the live station state, trucks driving between
// them. Riders are a sorted typed-array stream; trucks are few (tens), so the next truck event is a
// linear scan rather than a heap. A rider who finds the station empty is a failed rental, one who
// finds it full a failed return: with status demand that is all (the log does not say where the
// bike went instead); with trip demand (`riders`) the rider then rides on to the nearest station
// with a free dock, and a rider whose rental failed returns no bike.
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import type { RiderEvents } from './demand.ts';
import type { EventLog } from './event-log.ts';
import { SpellMeter, type SpellTotals } from './metrics.ts';
import type { Policy, WorldView } from './policies/policy.ts';
import { haversineKm } from '../rebalancing/planning/travel.ts';
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
  /** Riders who find a station full ride on to the nearest with a free dock (trip demand). */
  riders?: RiderRules;
  /** Called as the simulated clock passes each hour (progress lines for long runs). */
  progress?: (t: number) => void;
}

export interface RiderRules {
  speedKmh: number;
  /** Road distance over the straight line. */
  detour: number;
}

/** A rider's pace on a detour, and the road factor: a relaxed urban ride. */
export const RIDER_RULES: RiderRules = { speedKmh: 12, detour: 1.3 };

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
  /** Trip demand: riders who found a station full and rode on (each counted once, also a failed return). */
  detours: number;
  /** Their extra km, every leg to the station where they finally returned. */
  detourKm: number;
  /** Trip demand: returns not replayed because the trip's rental failed. */
  returnsCancelled: number;
}

const WAIT_S = 300;
/** Every station's bikes go into the log this often: riders are not logged one by one, and a replayer draws the day's fill from these. */
export const BIKES_LINE_S = 600;

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
  const riders = input.riders;
  const pair = events.pair;
  const cancelled = pair ? new Uint8Array(n) : null;
  let returnsCancelled = 0;
  // Riders riding on from a full station, by arrival time (few: a sorted array).
  const onward: Array<{ t: number; station: number; leg: number }> = [];
  let detours = 0;
  let detourKm = 0;
  let nextHour = from + 3600;
  let nextBikes = Math.ceil(from / BIKES_LINE_S) * BIKES_LINE_S;
  const ticks = policy.usesTrucks && policy.nextTickAt && policy.tick ? policy : null;
  for (;;) {
    let ti = -1;
    let tt = Infinity;
    for (let k = 0; k < trucks.length; k++) if (trucks[k]!.nextAt < tt) { tt = trucks[k]!.nextAt; ti = k; }
    while (cancelled && i < n && cancelled[i]) i++;
    const fromLog = i < n ? et[i]! : Infinity;
    const fromOnward = onward.length ? onward[0]!.t : Infinity;
    const tr = Math.min(fromLog, fromOnward);
    const tk = ticks ? ticks.nextTickAt!() : Infinity;
    // The bikes at each whole 10 minutes, before anything of that instant happens.
    if (log) {
      const next = Math.min(tk, tt, tr, to);
      while (nextBikes <= next && nextBikes < to) { log.write({ t: nextBikes, type: 'bikes', bikes: Array.from(bikes) }); nextBikes += BIKES_LINE_S; }
    }
    if (tk <= tt && tk <= tr) {
      if (tk >= to) break;
      // The policy's clock: it re-plans on the state now (riders of this very instant not yet in),
      // then the trucks that were waiting for work ask it again at once.
      view.t = tk;
      ticks!.tick!(view);
      for (const truck of trucks) {
        if (truck.waiting && truck.nextAt > tk && tk < truck.shiftEnd) {
          truck.workS -= truck.nextAt - tk;
          truck.nextAt = tk;
        }
      }
      continue;
    }
    if (tr <= tt) {
      if (tr >= to) break;
      if (tr >= nextHour) {
        input.progress?.(tr);
        while (nextHour <= tr) nextHour += 3600;
      }
      if (fromOnward < fromLog) {
        // A rider arriving on a detour: returns if a dock is free now, else rides on again.
        const { station: s, leg } = onward.shift()!;
        if (bikes[s]! >= cap[s]!) detourKm += Math.max(0, rideOn(stations, bikes, riders!, onward, s, tr, leg + 1, log));
        else meter.update(s, tr, ++bikes[s]!, cap[s]!);
        continue;
      }
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
          const back = pair?.[i] ?? -1;
          if (back >= 0) { cancelled![back] = 1; if (et[back]! < to) returnsCancelled++; }
        } else meter.update(s, tr, --bikes[s]!, cap[s]!);
      } else if (bikes[s]! >= cap[s]!) {
        failedReturns++;
        byHour[Math.floor((tr - from) / 3600)]!++;
        byStation[s]!++;
        if (events.fromGap[i]) failuresFromGaps++;
        log?.write({ t: tr, type: 'failed_return', station: stations.ids[s]! });
        if (riders) {
          const km = rideOn(stations, bikes, riders, onward, s, tr, 1, log);
          if (km >= 0) { detours++; detourKm += km; }
        }
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
      const want = policy.arrivalMove ? policy.arrivalMove(ti, view) : truck.planned;
      const q = want > 0 ? Math.min(want, bikes[s]!, truck.capacity - truck.load) : -Math.min(-want, truck.load, cap[s]! - bikes[s]!);
      if (q !== want) shortStops++;
      if (q !== 0) {
        bikes[s]! -= q;
        truck.load += q;
        bikesMoved += Math.abs(q);
        meter.update(s, tt, bikes[s]!, cap[s]!);
        log?.write({ t: tt, type: q > 0 ? 'load' : 'drop', truck: truck.id, station: stations.ids[s]!, bikes: Math.abs(q), planned: Math.abs(want), truck_load: truck.load, station_bikes: bikes[s]! });
      }
      // A stop a re-plan emptied while the truck drove there costs no stop time.
      const service = want === 0 ? 0 : fleet.stopMinutes * 60 + fleet.handlingSPerBike * Math.abs(q);
      truck.heading = -1;
      truck.planned = 0;
      truck.nextAt = tt + service;
      truck.workS += service;
      continue;
    }
    truck.waiting = false;
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
      log?.write({ t: truck.nextAt, type: 'arrive', truck: truck.id, station: stations.ids[job.station]!, km: round(km), depart: tt });
    } else if (tt + WAIT_S < truck.shiftEnd) {
      truck.nextAt = tt + WAIT_S;
      truck.workS += WAIT_S;
      truck.waiting = true;
    } else {
      // Shift over: home to the depot, out again at the next shift start.
      const km = roadKm(fleet, truck.pos, fleet.depot);
      truck.km += km;
      truck.pos = fleet.depot;
      if (km > 0) log?.write({ t: tt + driveSeconds(fleet, km), type: 'arrive', truck: truck.id, station: 'depot', km: round(km), depart: tt });
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
    detours,
    detourKm,
    returnsCancelled,
  };
}

/**
 * A rider at full station `s` at `t` rides on to the nearest station with a free dock then; the
 * arrival joins `onward` in time order. Returns the leg's km, -1 when no station has a free dock.
 * Kept outside replay(): a closure there would move the loop's hot arrays into its context.
 */
function rideOn(stations: Stations, bikes: Int32Array, riders: RiderRules, onward: Array<{ t: number; station: number; leg: number }>, s: number, t: number, leg: number, log: EventLog | undefined): number {
  const cap = stations.capacity;
  const here = { lat: stations.lat[s]!, lon: stations.lon[s]! };
  let best = -1;
  let bestKm = Infinity;
  for (let k = 0; k < bikes.length; k++) {
    if (k === s || bikes[k]! >= cap[k]!) continue;
    const km = haversineKm(here, { lat: stations.lat[k]!, lon: stations.lon[k]! }) * riders.detour;
    if (km < bestKm) { bestKm = km; best = k; }
  }
  if (best < 0) return -1;
  const at = t + (bestKm / riders.speedKmh) * 3600;
  let j = onward.length;
  while (j > 0 && onward[j - 1]!.t > at) j--;
  onward.splice(j, 0, { t: at, station: best, leg });
  log?.write({ t, type: 'detour', station: stations.ids[s]!, to: stations.ids[best]!, km: round(bestKm), arrive: at, leg });
  return bestKm;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

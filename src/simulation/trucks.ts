// The trucks as they drive: where each is, what it carries, when it is next free, its shift. A truck
// works one shift a day from the local shift start, leaves from the depot and ends there.
import type { Fleet } from '../rebalancing/planning/fleet.ts';
import { haversineKm } from '../rebalancing/planning/travel.ts';
import type { LatLon } from '../rebalancing/planning/plan.ts';

export interface TruckState {
  readonly id: string;
  readonly capacity: number;
  load: number;
  /** Where it is now (or last was, while driving). */
  pos: LatLon;
  /** The station it is driving to, -1 when none. */
  heading: number;
  /** Bikes it means to move there: > 0 collect, < 0 drop. */
  planned: number;
  /** When its next event happens: arrival when heading, else when it is free to be dispatched. */
  nextAt: number;
  /** Free, with nothing to do: it asks again at nextAt (a policy's re-plan wakes it sooner). */
  waiting: boolean;
  shiftEnd: number;
  km: number;
  /** Seconds on shift so far. */
  workS: number;
}

/** Road km between two places (the fleet's straight line x detour). */
export function roadKm(fleet: Fleet, a: LatLon, b: LatLon): number {
  return haversineKm(a, b) * fleet.detour;
}

export function driveSeconds(fleet: Fleet, km: number): number {
  return (km / fleet.speedKmh) * 3600;
}

/** Shift starts (epoch s) for each local day of the run, from `shiftStartS(dayIndex)`. */
export function trucksAtStart(fleet: Fleet, firstShiftStart: number): TruckState[] {
  return fleet.trucks.map((t) => ({
    id: t.id,
    capacity: t.capacity,
    load: t.startLoad,
    pos: fleet.depot,
    heading: -1,
    planned: 0,
    nextAt: firstShiftStart,
    waiting: false,
    shiftEnd: firstShiftStart + t.shiftMinutes * 60,
    km: 0,
    workS: 0,
  }));
}

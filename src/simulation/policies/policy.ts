// What a policy is: something that, when a truck is free, says where it goes next and what it means
// to move there. It sees the world only through `WorldView`: the stations' bikes at this instant and
// the trucks, never the demand to come.
import type { Fleet } from '../../rebalancing/planning/fleet.ts';
import type { TruckState } from '../trucks.ts';
import type { Stations } from '../world.ts';

export interface WorldView {
  /** The simulated instant. */
  readonly t: number;
  readonly stations: Stations;
  /** Bikes at each station now (read only: a policy moves bikes by sending trucks). */
  readonly bikes: Readonly<Int32Array>;
  readonly trucks: readonly Readonly<TruckState>[];
  readonly fleet: Fleet;
}

/** Go to `station` and move `bikes` there (> 0 collect, < 0 drop); null: nothing worth doing now. */
export type Job = { station: number; bikes: number } | null;

export interface Policy {
  readonly name: string;
  /** False for `none`: its trucks stay at the depot and count no hours. */
  readonly usesTrucks: boolean;
  /** Truck `truck` (index) is free at `view.t` with time until its shift end. */
  dispatch(truck: number, view: WorldView): Job;
  /** Re-plan cycles run so far. */
  readonly replans: number;
  /**
   * A policy on a clock (rolling, oracle): the next instant it wants to re-plan at (Infinity: none
   * now). The replay calls `tick` then, before any rider event of the same instant, and wakes the
   * trucks that were waiting for work.
   */
  nextTickAt?(): number;
  tick?(view: WorldView): void;
  /**
   * What truck `truck` moves at the station it has just reached (> 0 collect, < 0 drop), asked at
   * its arrival: a re-plan while it drove may have changed it. Absent: what dispatch said.
   */
  arrivalMove?(truck: number, view: WorldView): number;
}

// The operational plan (issue 9): what each truck does, in the shape the `route plan --json` contract
// prints. The planner (plan solver, greedy dispatcher) produces it; the writers (JSON, GeoJSON, CSV,
// HTML sheet) and the zone report only read it. Field names are the contract's (snake_case) so the
// JSON output is this value as it is.
import type { StationId } from '../../platform/ids.ts';

export interface LatLon {
  lat: number;
  lon: number;
}

/** One visit: exactly one of `collect` / `drop` is set (a positive count). */
export interface PlanStop {
  station_id: StationId;
  /** Display name and the operator's station number where the store has them (Seoul: 대여소 번호). */
  name: string | null;
  number: string | null;
  lat: number;
  lon: number;
  collect?: number;
  drop?: number;
  /** ISO 8601 with the system's offset, e.g. 2025-06-02T08:14:00+09:00. */
  arrival: string;
  /** Bikes on the truck after the stop. */
  load_after: number;
  /** Bikes at the station before and after the stop (as planned at --at; null where unknown). */
  bikes_before: number | null;
  bikes_after: number | null;
  /** Expected failures at this station over the horizon without / with this stop. */
  failures_before: number;
  failures_after: number;
}

export interface PlanRoute {
  truck: string;
  /** Where the truck starts (the depot or its own `start`) and with how many bikes. */
  start: LatLon;
  start_load: number;
  stops: PlanStop[];
  /** When the truck is back at the depot (ISO 8601); the shift limit is checked against it. */
  end: string;
  driving_minutes: number;
  handling_minutes: number;
  zone?: string;
}

export interface Plan {
  system: string;
  /** --at, ISO 8601. */
  at: string;
  /** The target run the plan was made from. */
  target_run: string;
  horizon_minutes: number;
  routes: PlanRoute[];
  expected_failures_before: number;
  expected_failures_after: number;
  /** The greedy dispatcher's result with the same fleet and time (the comparison baseline). */
  greedy_failures_after: number;
  /** What the fleet could not do (stations left short or over, with how many bikes), in words. */
  undone: string[];
}

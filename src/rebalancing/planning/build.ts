// From a stored target run and a fleet to the planner's problem: which stations can be planned (a
// known bike count now and a place), their failure curves (failed rentals + failed returns by bikes
// at the start), the depot and trucks' starts, and the travel times. Pure.
import { UserError } from '../../platform/errors.ts';
import type { StationMeta } from './assemble.ts';
import type { Fleet } from './fleet.ts';
import type { LatLon } from './plan.ts';
import type { PlanProblem, PlanStation } from '../routing/prize-instance.ts';
import type { TargetStationRow } from './store.ts';
import { DEPOT_KEY, haversineTravel, matrixTravel, startKey, type MatrixFile } from './travel.ts';

/** Default weight on driving time: expected failures one hour of driving is worth. */
export const DEFAULT_DRIVE_WEIGHT = 0.5;

export interface BuiltProblem {
  problem: PlanProblem;
  meta: StationMeta[];
  starts: LatLon[];
  /** Stations of the run left out, by reason. */
  skipped: { no_current: number; no_place: number; not_in_matrix: number };
}

/**
 * A station as the planner reads it: a stored target run's row, or a caller's own state (the
 * simulator) whose curves are arrays already rather than the store's JSON text.
 */
export type PlanStationRow = Omit<TargetStationRow, 'failed_rentals' | 'failed_returns'> & {
  failed_rentals: string | readonly number[];
  failed_returns: string | readonly number[];
};

function curve(text: string | readonly number[], what: string): readonly number[] {
  const v = (typeof text === 'string' ? JSON.parse(text) : text) as unknown;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new UserError(`${what}: the stored curve is not an array of numbers`);
  return v as readonly number[];
}

export function buildProblem(rows: readonly PlanStationRow[], fleet: Fleet, opts: { matrix?: MatrixFile; driveWeightPerHour: number; runId: string }): BuiltProblem {
  const stations: PlanStation[] = [];
  const meta: StationMeta[] = [];
  const skipped = { no_current: 0, no_place: 0, not_in_matrix: 0 };
  for (const r of rows) {
    if (r.current === null) { skipped.no_current++; continue; }
    if (r.lat === null || r.lon === null) { skipped.no_place++; continue; }
    if (opts.matrix && !opts.matrix.index.has(r.station_id)) { skipped.not_in_matrix++; continue; }
    const what = `target run ${opts.runId}, station '${r.station_id}'`;
    const rentals = curve(r.failed_rentals, what);
    const returns = curve(r.failed_returns, what);
    if (rentals.length !== r.capacity + 1 || returns.length !== r.capacity + 1) throw new UserError(`${what}: curves of ${rentals.length} and ${returns.length} values for capacity ${r.capacity} (expected ${r.capacity + 1})`);
    stations.push({ id: r.station_id, bikes: Math.max(0, r.current), capacity: r.capacity, failures: Float64Array.from(rentals, (x, i) => x + returns[i]!) });
    meta.push({ name: r.name, number: r.number, lat: r.lat, lon: r.lon });
  }
  const S = stations.length;
  const points: LatLon[] = meta.map((m) => ({ lat: m.lat, lon: m.lon }));
  const keys: string[] = stations.map((s) => s.id);
  points.push(fleet.depot);
  keys.push(DEPOT_KEY);
  const stationIndex = new Map(stations.map((s, i) => [s.id, i]));
  const trucks = fleet.trucks.map((t) => {
    let start = S;
    if (t.headingTo) {
      // The truck's plan starts where it is going, when it gets there: that stop stays first.
      const i = stationIndex.get(t.headingTo.stationId);
      if (i === undefined) throw new UserError(`truck '${t.id}': heading_to station '${t.headingTo.stationId}' is not among the ${S} stations planned from target run ${opts.runId}`);
      return { id: t.id, capacity: t.capacity, shiftS: t.shiftMinutes * 60, startLoad: t.startLoad, start: i, readyS: t.headingTo.minutes * 60 };
    }
    if (t.ownStart) {
      start = points.length;
      points.push(t.start);
      keys.push(startKey(t.id));
    }
    // A truck finishing a stop leaves from where it is once the stop is done.
    return { id: t.id, capacity: t.capacity, shiftS: t.shiftMinutes * 60, startLoad: t.startLoad, start, ...(t.readyMinutes ? { readyS: t.readyMinutes * 60 } : {}) };
  });
  const travel = opts.matrix ? matrixTravel(opts.matrix, keys) : haversineTravel(points, fleet.speedKmh, fleet.detour);
  return {
    problem: { stations, depot: S, trucks, travel, handlingS: fleet.handlingSPerBike, stopS: fleet.stopMinutes * 60, minMove: fleet.minMove, driveWeightPerHour: opts.driveWeightPerHour },
    meta,
    starts: fleet.trucks.map((t, i) => (t.headingTo ? { lat: meta[trucks[i]!.start]!.lat, lon: meta[trucks[i]!.start]!.lon } : t.start)),
    skipped,
  };
}

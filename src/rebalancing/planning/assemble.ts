// Turns solver routes (station indices and signed quantities) into the `Plan` value of the CLI
// contract: stop by stop with station numbers and names, arrival times in the system's time zone,
// loads, bikes before and after, and the expected failures before and after.
import { isoInZone } from '../../platform/time/index.ts';
import type { Plan, PlanRoute, PlanStop, LatLon } from './plan.ts';
import { expectedFailuresBefore, failuresAt, gainOf, routeGain, routeTiming, upperBikes, type PlanProblem, type TruckRoute } from '../routing/prize-instance.ts';

export interface StationMeta {
  name: string | null;
  number: string | null;
  lat: number;
  lon: number;
}

export interface PlanContext {
  system: string;
  /** --at, epoch seconds. */
  atS: number;
  timeZone: string;
  targetRun: string;
  horizonMinutes: number;
  /** By station index of the problem. */
  meta: readonly StationMeta[];
  /** Where each truck starts (by truck index). */
  starts: readonly LatLon[];
}

/** ISO 8601 to the second, in the system's local time with its offset (src/platform/time). */
export function isoLocal(epochS: number, timeZone: string): string {
  return isoInZone(timeZone, Math.round(epochS) * 1000);
}

const round = (x: number, d = 4) => Number(x.toFixed(d));

export function assemblePlan(p: PlanProblem, routes: readonly TruckRoute[], ctx: PlanContext, greedyAfter: number): Plan {
  const before = expectedFailuresBefore(p);
  let gain = 0;
  const out: PlanRoute[] = routes.map((r) => {
    const t = p.trucks[r.truck]!;
    const timing = routeTiming(p, r);
    gain += routeGain(p, r);
    let load = t.startLoad;
    const stops: PlanStop[] = r.visits.map((v, k) => {
      const s = p.stations[v]!;
      const q = r.qty[k]!;
      load += q;
      const m = ctx.meta[v]!;
      return {
        station_id: s.id, name: m.name, number: m.number, lat: m.lat, lon: m.lon,
        ...(q > 0 ? { collect: q } : { drop: -q }),
        arrival: isoLocal(ctx.atS + timing.arrival[k]!, ctx.timeZone),
        load_after: load,
        bikes_before: s.bikes,
        bikes_after: s.bikes - q,
        failures_before: round(failuresAt(s, s.bikes)),
        failures_after: round(failuresAt(s, s.bikes - q)),
      };
    });
    return {
      truck: t.id, start: ctx.starts[r.truck]!, start_load: t.startLoad, stops,
      end: isoLocal(ctx.atS + timing.endS, ctx.timeZone),
      driving_minutes: round(timing.driveS / 60, 2), handling_minutes: round(timing.handlingS / 60, 2),
    };
  });
  return {
    system: ctx.system, at: isoLocal(ctx.atS, ctx.timeZone), target_run: ctx.targetRun, horizon_minutes: ctx.horizonMinutes,
    routes: out,
    expected_failures_before: round(before),
    expected_failures_after: round(before - gain),
    greedy_failures_after: round(greedyAfter),
    undone: undoneOf(p, routes),
  };
}

/** Stations a truck would help (by at least 0.05 expected failures) that the plan leaves alone. */
export function undoneOf(p: PlanProblem, routes: readonly TruckRoute[]): string[] {
  const visited = new Set(routes.flatMap((r) => r.visits));
  let short = 0, shortBikes = 0, over = 0, overBikes = 0, worth = 0;
  p.stations.forEach((s, i) => {
    if (visited.has(i)) return;
    let best = 0, bestG = 0;
    for (let q = s.bikes - upperBikes(s); q <= s.bikes; q++) {
      const g = gainOf(s, q);
      if (g > bestG + 1e-12) { bestG = g; best = q; }
    }
    if (bestG < 0.05) return;
    worth += bestG;
    if (best < 0) { short++; shortBikes -= best; } else { over++; overBikes += best; }
  });
  if (short + over === 0) return [];
  return [`${short} stations short of bikes (${shortBikes} bikes to their best level) and ${over} with too many (${overBikes} bikes) were not reached by the fleet: fixing them would avoid ${worth.toFixed(1)} more expected failures`];
}

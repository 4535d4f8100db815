// Planning by zones: the fleet split over a stored zone set (trucks per zone), each zone planned on
// its own with only its stations and its trucks, the zone plans put back together as one plan.
// What it costs against one city-wide plan is what the zones report measures (bench/zones.ts):
// a truck may no longer cross into the next zone, where a better stop may be.
//
// A zone's problem is a view of the city-wide one: its stations renumbered 0..S_z-1, then the
// depot, then its trucks' own starts; travel times are the city-wide ones read through the
// renumbering. Pure.
import { allocateTrucks } from './zones/trucks.ts';
import { isoLocal, type PlanContext } from './assemble.ts';
import type { Plan } from './plan.ts';
import { makePlan, verified, type PlannerResult, type SolveOptions } from './planner.ts';
import { expectedFailuresBefore, type PlanProblem, type PlanTruck, type TruckRoute } from '../routing/prize-instance.ts';

export interface ZoneSplitInput {
  name: string;
  zones: readonly { zone: string; trucks: number; stations: readonly string[] }[];
}

export interface ZoneProblem {
  zone: string;
  problem: PlanProblem;
  ctx: PlanContext;
  /** Parent truck index of each of the zone's trucks. */
  truckOf: number[];
  /** Parent station index of each of the zone's stations. */
  stationOf: number[];
}

export interface ZoneSplit {
  zones: ZoneProblem[];
  /** Stations of the problem that no zone holds (planned by no truck). */
  outside: number;
  /** Trucks per zone as used (the set's, or re-apportioned when the fleet differs). */
  trucks: number[];
  notes: string[];
}

export function splitByZones(p: PlanProblem, ctx: PlanContext, set: ZoneSplitInput): ZoneSplit {
  const notes: string[] = [];
  const zoneOfStation = new Map<string, number>();
  set.zones.forEach((z, k) => z.stations.forEach((id) => zoneOfStation.set(id, k)));
  const members: number[][] = set.zones.map(() => []);
  let outside = 0;
  p.stations.forEach((s, i) => {
    const k = zoneOfStation.get(s.id);
    if (k === undefined) outside++;
    else members[k]!.push(i);
  });
  if (outside) notes.push(`${outside} stations of the target run are in no zone of '${set.name}' and are not planned`);

  // Trucks per zone: the set's when the fleet matches it, else the fleet re-apportioned in the
  // same proportions (Sainte-Laguë on the set's trucks, every zone that had a truck keeping one).
  const fleet = p.trucks.length;
  const setTrucks = set.zones.map((z) => z.trucks);
  let trucks = setTrucks;
  if (setTrucks.reduce((a, b) => a + b, 0) !== fleet) {
    const withTrucks = setTrucks.filter((t) => t > 0).length;
    trucks = withTrucks <= fleet ? allocateTrucks(setTrucks, fleet) : allocateTrucks(setTrucks.map((t, k) => (t > 0 ? members[k]!.length : 0)), fleet);
    notes.push(`zone set '${set.name}' was made for ${setTrucks.reduce((a, b) => a + b, 0)} trucks, the fleet has ${fleet}: trucks re-apportioned (${trucks.join(', ')})`);
  }

  // Which truck to which zone: trucks with their own start first, each to the free zone whose
  // stations' centre is nearest to it; trucks at the depot fill the rest in fleet order.
  const centre = members.map((m) => {
    let lat = 0, lon = 0;
    for (const i of m) { lat += ctx.meta[i]!.lat / m.length; lon += ctx.meta[i]!.lon / m.length; }
    return { lat, lon };
  });
  const free = [...trucks];
  const zoneOfTruck = new Array<number>(fleet).fill(-1);
  const order = [...p.trucks.keys()].sort((a, b) => Number(p.trucks[a]!.start === p.depot) - Number(p.trucks[b]!.start === p.depot) || a - b);
  for (const t of order) {
    const own = p.trucks[t]!.start !== p.depot;
    let best = -1;
    let bestD = Infinity;
    free.forEach((f, k) => {
      if (f <= 0) return;
      const s = ctx.starts[t]!;
      const d = own ? (centre[k]!.lat - s.lat) ** 2 + ((centre[k]!.lon - s.lon) * Math.cos((s.lat * Math.PI) / 180)) ** 2 : k;
      if (best < 0 || d < bestD) { best = k; bestD = d; }
    });
    zoneOfTruck[t] = best;
    if (best >= 0) free[best]! -= 1;
  }

  // A station a truck is driving to is planned only in that truck's zone (where it stays the
  // truck's start, so its first stop): no truck of another zone may stop there.
  const headedBy = new Map<number, number>();
  p.trucks.forEach((t, i) => { if (t.start < p.stations.length) headedBy.set(t.start, i); });
  const zones: ZoneProblem[] = set.zones.map((z, k) => {
    const idx = members[k]!.filter((i) => { const t = headedBy.get(i); return t === undefined || zoneOfTruck[t] === k; });
    const truckOf = p.trucks.map((_, t) => t).filter((t) => zoneOfTruck[t] === k);
    // Places: the zone's stations, the depot, then own starts.
    const places = [...idx, p.depot];
    const subTrucks: PlanTruck[] = truckOf.map((t) => {
      const tr = p.trucks[t]!;
      let start = idx.length;
      const at = tr.start < p.stations.length ? idx.indexOf(tr.start) : -1;
      if (at >= 0) start = at;
      else if (tr.start !== p.depot) { start = places.length; places.push(tr.start); }
      return { ...tr, start };
    });
    const parent = p.travel;
    const problem: PlanProblem = {
      stations: idx.map((i) => p.stations[i]!),
      depot: idx.length,
      trucks: subTrucks,
      travel: { n: places.length, source: parent.source, seconds: (a: number, b: number) => parent.seconds(places[a]!, places[b]!) },
      handlingS: p.handlingS,
      stopS: p.stopS,
      minMove: p.minMove,
      driveWeightPerHour: p.driveWeightPerHour,
    };
    return { zone: z.zone, problem, truckOf, stationOf: idx, ctx: { ...ctx, meta: idx.map((i) => ctx.meta[i]!), starts: truckOf.map((t) => ctx.starts[t]!) } };
  });
  return { zones, outside, trucks, notes };
}

export interface ZonePlanResult {
  plan: Plan;
  greedy: Plan;
  zones: { zone: string; trucks: number; stations: number; seconds: number; failures_before: number; failures_after: number }[];
  seconds: number;
  iterations: number;
  greedySeconds: number;
  notes: string[];
}

/**
 * Plans each zone with its own trucks; the time budget is shared in proportion to the zones'
 * trucks. Expected failures before/after are over all stations of the problem (a station in no
 * zone keeps its failures); the greedy comparison is the greedy dispatcher run zone by zone.
 */
export function planByZones(p: PlanProblem, ctx: PlanContext, set: ZoneSplitInput, opts: SolveOptions): ZonePlanResult {
  const split = splitByZones(p, ctx, set);
  const before = expectedFailuresBefore(p);
  const fleet = p.trucks.length;
  const results: (PlannerResult | null)[] = [];
  const zones: ZonePlanResult['zones'] = [];
  let gain = 0, greedyGain = 0, seconds = 0, iterations = 0, greedySeconds = 0;
  // The whole call keeps to opts.timeLimitS: each zone gets its trucks' share of what is left (so
  // time one zone's set-up or checking took is not spent twice), never of the initial budget.
  const started = performance.now();
  let trucksLeft = split.zones.reduce((a, z) => a + (z.problem.stations.length > 0 ? z.problem.trucks.length : 0), 0);
  for (const z of split.zones) {
    if (z.problem.trucks.length === 0 || z.problem.stations.length === 0) {
      results.push(null);
      const fb = expectedFailuresBefore(z.problem);
      zones.push({ zone: z.zone, trucks: z.problem.trucks.length, stations: z.problem.stations.length, seconds: 0, failures_before: fb, failures_after: fb });
      continue;
    }
    const left = Math.max(0, opts.timeLimitS - (performance.now() - started) / 1000);
    const initial = opts.initial ? zoneRoutes(opts.initial, z) : undefined;
    const r = makePlan(z.problem, z.ctx, { ...opts, initial, timeLimitS: (left * z.problem.trucks.length) / Math.max(1, trucksLeft) });
    trucksLeft -= z.problem.trucks.length;
    results.push(r);
    gain += r.plan.expected_failures_before - r.plan.expected_failures_after;
    greedyGain += r.plan.expected_failures_before - r.plan.greedy_failures_after;
    seconds += r.solve.seconds;
    iterations += r.solve.iterations;
    greedySeconds += r.greedySeconds;
    zones.push({ zone: z.zone, trucks: z.problem.trucks.length, stations: z.problem.stations.length, seconds: r.solve.seconds, failures_before: r.plan.expected_failures_before, failures_after: r.plan.expected_failures_after });
  }
  const round = (x: number) => Number(x.toFixed(4));
  // Routes back in the fleet's order, each marked with its zone.
  const merge = (which: 'plan' | 'greedy'): Plan => {
    const routes = new Array<Plan['routes'][number]>(fleet);
    split.zones.forEach((z, k) => {
      const r = results[k];
      z.truckOf.forEach((t) => {
        const route = r?.[which].routes.find((x) => x.truck === p.trucks[t]!.id) ?? idleRoute(p, ctx, t);
        routes[t] = { ...route, zone: z.zone };
      });
    });
    // A truck no zone took (a fleet larger than the zones' slots cannot happen; kept for safety).
    for (let t = 0; t < fleet; t++) if (!routes[t]) routes[t] = idleRoute(p, ctx, t);
    const first = results.find((r) => r !== null);
    return {
      system: ctx.system,
      at: isoLocal(ctx.atS, ctx.timeZone),
      target_run: ctx.targetRun,
      horizon_minutes: ctx.horizonMinutes,
      routes,
      expected_failures_before: round(before),
      // The greedy plan's own after: what its stops take off (its greedy_failures_after says the same).
      expected_failures_after: round(before - (which === 'plan' ? gain : greedyGain)),
      greedy_failures_after: round(before - greedyGain),
      undone: [...split.notes, ...results.flatMap((r, k) => (r ? r[which].undone.map((u) => `zone ${split.zones[k]!.zone}: ${u}`) : []))],
    };
  };
  // The merged plans are checked against the whole problem too (a truck's own start, loads, shifts).
  const plan = verified(merge('plan'), p, 'planner by zones');
  const greedy = verified(merge('greedy'), p, 'greedy dispatcher by zones');
  return { plan, greedy, zones, seconds, iterations, greedySeconds, notes: split.notes };
}

/** Warm-start routes (the whole problem's indices) in a zone's: its trucks, its stations only. */
function zoneRoutes(routes: readonly TruckRoute[], z: ZoneProblem): TruckRoute[] {
  const local = new Map(z.stationOf.map((g, l) => [g, l]));
  return z.truckOf.map((parent, truck) => {
    const r = routes.find((x) => x.truck === parent);
    const visits: number[] = [];
    const qty: number[] = [];
    r?.visits.forEach((v, k) => {
      const l = local.get(v);
      if (l !== undefined) { visits.push(l); qty.push(r.qty[k]!); }
    });
    return { truck, visits, qty };
  });
}

function idleRoute(p: PlanProblem, ctx: PlanContext, t: number): Plan['routes'][number] {
  return { truck: p.trucks[t]!.id, start: ctx.starts[t]!, start_load: p.trucks[t]!.startLoad, stops: [], end: isoLocal(ctx.atS, ctx.timeZone), driving_minutes: 0, handling_minutes: 0 };
}

export interface PlanFigures {
  expected_failures_after: number;
  /** Cut in expected failures: before - after. */
  cut: number;
  driving_hours: number;
  stops: number;
  seconds: number;
}

export interface ZoneCost {
  expected_failures_before: number;
  city: PlanFigures;
  zones: PlanFigures;
  /** Share of the city-wide plan's cut that planning by zones loses (negative: zones did better). */
  cut_lost: number;
  time_limit_s: number;
}

const figures = (plan: Plan, seconds: number): PlanFigures => ({
  expected_failures_after: plan.expected_failures_after,
  cut: Number((plan.expected_failures_before - plan.expected_failures_after).toFixed(4)),
  driving_hours: Number((plan.routes.reduce((a, r) => a + r.driving_minutes, 0) / 60).toFixed(2)),
  stops: plan.routes.reduce((a, r) => a + r.stops.length, 0),
  seconds: Number(seconds.toFixed(2)),
});

/** What planning by zones costs: the same problem planned city-wide and zone by zone, same budget. */
export function zoneCost(p: PlanProblem, ctx: PlanContext, set: ZoneSplitInput, opts: SolveOptions): ZoneCost {
  const t0 = performance.now();
  const city = makePlan(p, ctx, opts).plan;
  const t1 = performance.now();
  const zoned = planByZones(p, ctx, set, opts).plan;
  const t2 = performance.now();
  const c = figures(city, (t1 - t0) / 1000);
  const z = figures(zoned, (t2 - t1) / 1000);
  return {
    expected_failures_before: city.expected_failures_before,
    city: c,
    zones: z,
    cut_lost: c.cut > 0 ? Number(((c.cut - z.cut) / c.cut).toFixed(4)) : 0,
    time_limit_s: opts.timeLimitS,
  };
}

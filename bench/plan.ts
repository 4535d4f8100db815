// Operational planning benchmark (issue 9): a plan for Seoul-sized rebalancing in under 60 s, and
// its cut in expected failures against the greedy dispatcher's (goal: >= 1.2x), same fleet, same time.
//
// Data. Stations: the REAL Seoul station list (the city API's stationInfo, May 2025: id, number,
// name, district, racks, lat/lon), every station with racks and a place. Seoul publishes no live
// status or hourly station flows we hold, so the targets stage runs on rates made as follows:
//  - each station's level of rentals and of returns: its REAL share of all rentals / returns over
//    June 2018 - May 2019 (station monthly usage file, matched by station number) times the REAL 2025
//    system total (37.4 M trips) per day; stations opened since (no usage rows) draw a level from
//    the matched stations' levels (seeded bootstrap);
//  - the hours 08:00-11:00: the REAL 2025 share of trips in each hour (hourly usage aggregate);
//  - a SYNTHETIC morning tilt per station (seeded, normal, sd 0.3): pickups x (1 + tilt), returns
//    x (1 - tilt) (residential stations empty, office stations fill);
//  - gamma spread shapes 2..5 (seeded), as the targets bench.
// Bikes now are SYNTHETIC (seeded): 15% of stations empty, 10% over their racks (1.2-1.5x, common in
// Seoul), the rest uniform in 10-110% of racks. Capacity is soft: racks + 50% (Seoul's default).
// The targets stage (networkTargets: the model `urbanlab targets` runs) gives each station's curves;
// the planner reads them the way `route plan` reads a stored run. Fleet: examples/fleet-seoul-30.json
// (30 trucks of 20 bikes, 180-minute shifts, one depot at City Hall, 20 km/h, detour 1.3, 30 s/bike).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { buildProblem, DEFAULT_DRIVE_WEIGHT } from '../src/rebalancing/planning/build.ts';
import { areaOf, parseFleet } from '../src/rebalancing/planning/fleet.ts';
import { makePlan } from '../src/rebalancing/planning/planner.ts';
import type { Plan } from '../src/rebalancing/planning/plan.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';
import { seoulPlanData } from './lib/seoul-plan-data.ts';

console.log(describeMachine());
const SECONDS = Number(process.env['BENCH_PLAN_SECONDS'] ?? 30);
// The Seoul stations, their rates and targets (bench/lib/seoul-plan-data.ts says what is real).
const { list, matched, targetsS, rows } = seoulPlanData();

// 4. The plan and the greedy dispatcher.
const fleetFile = join(repoRoot(), 'examples', 'fleet-seoul-30.json');
const fleet = parseFleet(readFileSync(fleetFile, 'utf8'), 'examples/fleet-seoul-30.json', areaOf(rows.map((r) => ({ lat: r.lat!, lon: r.lon! }))));
const load = machine().load_1m;
const p0 = performance.now();
const built = buildProblem(rows, fleet, { driveWeightPerHour: DEFAULT_DRIVE_WEIGHT, runId: 'bench' });
const atS = Date.parse('2025-06-02T08:00:00+09:00') / 1000;
const res = makePlan(built.problem, { system: 'seoul', atS, timeZone: 'Asia/Seoul', targetRun: 'bench', horizonMinutes: 180, meta: built.meta, starts: built.starts }, { seed: 1, timeLimitS: SECONDS });
const planS = (performance.now() - p0) / 1000;

const stats = (p: Plan) => {
  const stops = p.routes.flatMap((r) => r.stops);
  return {
    failures_after: p.expected_failures_after, cut: p.expected_failures_before - p.expected_failures_after, stops: stops.length,
    bikes_collected: stops.reduce((a, s) => a + (s.collect ?? 0), 0), bikes_dropped: stops.reduce((a, s) => a + (s.drop ?? 0), 0),
    driving_hours: p.routes.reduce((a, r) => a + r.driving_minutes, 0) / 60, handling_hours: p.routes.reduce((a, r) => a + r.handling_minutes, 0) / 60,
  };
};
const plan = stats(res.plan);
const greedy = stats(res.greedy);
const before = res.plan.expected_failures_before;
const ratio = plan.cut / greedy.cut;
// Objective = failures after + drive weight x driving hours; the construction's, and the final one.
const finalObjective = plan.failures_after + DEFAULT_DRIVE_WEIGHT * plan.driving_hours;
console.log(`fleet: ${fleet.trucks.length} trucks of ${fleet.trucks[0]!.capacity} bikes, ${fleet.trucks[0]!.shiftMinutes}-minute shifts, ${built.problem.travel.source}, ${fleet.handlingSPerBike} s per bike; drive weight ${DEFAULT_DRIVE_WEIGHT} failures/h`);
console.log(`planning: ${planS.toFixed(1)} s in all (time limit ${SECONDS} s; greedy ${res.greedySeconds.toFixed(2)} s; ${res.solve.candidates} candidate stations; construction ${res.solve.constructionSeconds.toFixed(1)} s, then ${res.solve.iterations} ruin-recreate iterations; load ${load} at start) (goal < 60 s: ${planS < 60 ? 'met' : 'NOT met'})`);
console.log(`expected failures over 3 h: ${before.toFixed(1)} before; plan ${plan.failures_after.toFixed(1)} (cut ${plan.cut.toFixed(1)}, ${(100 * plan.cut / before).toFixed(1)}%); greedy ${greedy.failures_after.toFixed(1)} (cut ${greedy.cut.toFixed(1)}, ${(100 * greedy.cut / before).toFixed(1)}%)`);
console.log(`ratio of cuts plan / greedy: ${ratio.toFixed(2)}x (goal >= 1.2x: ${ratio >= 1.2 ? 'met' : 'NOT met'}); objective (failures + ${DEFAULT_DRIVE_WEIGHT} x driving hours) ${res.solve.constructed.toFixed(1)} after the construction, ${finalObjective.toFixed(1)} after ruin-recreate`);
console.log(`plan: ${plan.stops} stops, ${plan.bikes_collected} bikes collected, ${plan.bikes_dropped} dropped, ${plan.driving_hours.toFixed(1)} h driving, ${plan.handling_hours.toFixed(1)} h handling`);
console.log(`greedy: ${greedy.stops} stops, ${greedy.bikes_collected} collected, ${greedy.bikes_dropped} dropped, ${greedy.driving_hours.toFixed(1)} h driving, ${greedy.handling_hours.toFixed(1)} h handling`);
const path = saveResults('plan', {
  stations: list.length, matched_usage: matched, targets_seconds: targetsS, time_limit_s: SECONDS, planning_seconds: planS, greedy_seconds: res.greedySeconds,
  construction_seconds: res.solve.constructionSeconds, iterations: res.solve.iterations, candidates: res.solve.candidates, load_at_plan_start: load,
  expected_failures_before: before, plan, greedy, ratio_of_cuts: ratio, construction_objective: res.solve.constructed, final_objective: finalObjective,
  goals: { under_60_s: planS < 60, ratio_at_least_1_2: ratio >= 1.2 }, undone: res.plan.undone,
});
console.log(`results: ${path}`);

// Re-planning benchmark (issue 18 §2, issue 21's rolling policy): a plan, then the state 15 minutes
// later (the trucks part-way through it, the stations moved on), re-planned warm from the previous
// plan with a fifth of the budget and cold with the whole budget. Goal: the warm re-plan at a fifth
// of the time is at least as good as the cold one (objective = expected failures after + drive
// weight x driving hours). Also issue 19's figures: the Bay Wheels morning with and without the
// fixed stop time and minimum move.
//
// Data. Seoul: the planning bench's problem (bench/lib/seoul-plan-data.ts says what is real: the
// station list and usage levels; SYNTHETIC bikes now and morning tilt), examples/fleet-seoul-30.json.
// Bay Wheels: the demo store's target run for 07:00 local 2023-05-31 (REAL status history, the
// model's forecast), examples/fleet-baywheels-4.json; BENCH_DB names the store (default
// ./urbanlab.duckdb, a copy of what `npm run demo` builds); skipped when there is none.
// The 15 minutes: each truck has made the stops the plan reached by then (their bikes moved at the
// stations), its load is what the plan says after them, and it is driving to its next stop (kept
// first); SYNTHETIC demand: 30% of stations (seeded) gain or lose one bike.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { DEFAULT_DRIVE_WEIGHT, type PlanStationRow } from '../src/rebalancing/planning/build.ts';
import { areaOf, parseFleet, type Fleet } from '../src/rebalancing/planning/fleet.ts';
import { planFleet, type PlanFleetInput, type PlanFleetResult } from '../src/rebalancing/planning/plan-fleet.ts';
import { planObjective } from '../src/rebalancing/routing/prize-instance.ts';
import { latestTargetRun, loadRunStations } from '../src/rebalancing/planning/store.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';
import { later, STEP_S } from './lib/replan-state.ts';
import { seoulPlanData } from './lib/seoul-plan-data.ts';

console.log(describeMachine());

interface Figures { seconds: number; failures_after: number; objective: number; stops: number; checked: boolean }
const figures = (r: PlanFleetResult): Figures => ({
  seconds: Number(r.seconds.toFixed(2)),
  failures_after: r.plan.expected_failures_after,
  objective: Number(planObjective(r.built.problem, r.routes).objective.toFixed(4)),
  stops: r.plan.routes.reduce((a, x) => a + x.stops.length, 0),
  checked: true, // planFleet returns only plans the independent checker accepted
});
const show = (what: string, f: Figures) => console.log(`  ${what.padEnd(34)} ${f.seconds.toFixed(1).padStart(5)} s  failures after ${f.failures_after.toFixed(2).padStart(8)}  objective ${f.objective.toFixed(2).padStart(8)}  stops ${f.stops}`);

const SEEDS = Array.from({ length: Number(process.env['BENCH_REPLAN_SEEDS'] ?? 3) }, (_, i) => i + 2);
const mean = (xs: readonly Figures[], k: 'objective' | 'failures_after') => xs.reduce((a, x) => a + x[k], 0) / xs.length;

function replan(name: string, input: PlanFleetInput, fleet: Fleet, budgetS: number) {
  console.log(`\n${name}: ${input.stations.length} stations, ${fleet.trucks.length} trucks, stop ${fleet.stopMinutes} min, min move ${fleet.minMove}; budget ${budgetS} s cold, ${budgetS / 5} s warm; re-plan seeds ${SEEDS.join(', ')}`);
  const first = planFleet(input, fleet, { timeLimitS: budgetS, seed: 1 });
  show('plan at t', figures(first));
  const s2 = later(first.plan, input.stations, fleet, input.atS, 7);
  const input2 = { ...input, atS: input.atS + STEP_S, stations: s2.stations };
  const runs = { warm: [] as Figures[], cold_short: [] as Figures[], cold: [] as Figures[] };
  for (const seed of SEEDS) {
    runs.warm.push(figures(planFleet(input2, s2.fleet, { timeLimitS: budgetS / 5, seed, warmStart: first.plan })));
    runs.cold_short.push(figures(planFleet(input2, s2.fleet, { timeLimitS: budgetS / 5, seed })));
    runs.cold.push(figures(planFleet(input2, s2.fleet, { timeLimitS: budgetS, seed })));
    show(`t+15 min, seed ${seed}: warm, ${budgetS / 5} s`, runs.warm.at(-1)!);
    show(`t+15 min, seed ${seed}: cold, ${budgetS / 5} s`, runs.cold_short.at(-1)!);
    show(`t+15 min, seed ${seed}: cold, ${budgetS} s`, runs.cold.at(-1)!);
  }
  const w = mean(runs.warm, 'objective'), c = mean(runs.cold, 'objective'), cs = mean(runs.cold_short, 'objective');
  const met = w <= c + 1e-9;
  console.log(`  mean objective over the seeds: warm ${budgetS / 5} s ${w.toFixed(3)}, cold ${budgetS / 5} s ${cs.toFixed(3)}, cold ${budgetS} s ${c.toFixed(3)}; mean failures after: warm ${mean(runs.warm, 'failures_after').toFixed(3)}, cold ${mean(runs.cold, 'failures_after').toFixed(3)}`);
  console.log(`  goal (warm at 1/5 of the time at least as good as cold): ${met ? 'met' : 'NOT met'}`);
  return { first: figures(first), seeds: SEEDS, ...runs, mean_objective: { warm: w, cold_short: cs, cold: c }, goal_met: met };
}

const results: Record<string, unknown> = { load_at_start: machine().load_1m };

// Bay Wheels morning: issue 19's before/after, then the re-plan.
const db = process.env['BENCH_DB'] ?? 'urbanlab.duckdb';
if (existsSync(db)) {
  const store = await openStore(db, { readOnly: true });
  try {
    const atS = Date.parse('2023-05-31T07:00:00-07:00') / 1000;
    const run = await latestTargetRun(store, 'baywheels', atS);
    const rows = await loadRunStations(store, 'baywheels', run.runId);
    const text = readFileSync(join(repoRoot(), 'examples', 'fleet-baywheels-4.json'), 'utf8');
    const fleet = parseFleet(text, 'examples/fleet-baywheels-4.json', areaOf(rows.filter((r) => r.lat !== null).map((r) => ({ lat: r.lat!, lon: r.lon! }))));
    const input: PlanFleetInput = { system: 'baywheels', atS, timeZone: run.timeZone, targetRun: run.runId, horizonMinutes: run.horizonMinutes, stations: rows };
    const budget = Number(process.env['BENCH_REPLAN_BW_SECONDS'] ?? 10);
    console.log(`\nBay Wheels, target run ${run.runId}, examples/fleet-baywheels-4.json, ${budget} s: the stop time and the minimum move (issue 19)`);
    const perTruck = (r: PlanFleetResult) => r.plan.routes.map((x) => `${x.truck} ${x.stops.length}`).join(', ');
    const small = (r: PlanFleetResult) => r.plan.routes.flatMap((x) => x.stops).filter((s) => (s.collect ?? s.drop!) <= 2).length;
    const without = planFleet(input, { ...fleet, stopMinutes: 0, minMove: 1 }, { timeLimitS: budget, seed: 1 });
    const withStops = planFleet(input, fleet, { timeLimitS: budget, seed: 1 });
    for (const [what, r] of [['without (stop 0 min, min move 1)', without], [`with (stop ${fleet.stopMinutes} min, min move ${fleet.minMove})`, withStops]] as const) {
      console.log(`  ${what}: expected failures ${r.plan.expected_failures_before.toFixed(2)} -> ${r.plan.expected_failures_after.toFixed(2)} (greedy ${r.plan.greedy_failures_after.toFixed(2)}); stops per truck ${perTruck(r)}; stops of <= 2 bikes ${small(r)}`);
    }
    // Issue 19's bound: no more stops per truck than shift / (fixed stop time + driving per stop).
    for (const x of withStops.plan.routes) {
      if (x.stops.length === 0) continue;
      const bound = Math.floor((fleet.trucks.find((t) => t.id === x.truck)!.shiftMinutes) / (fleet.stopMinutes + x.driving_minutes / x.stops.length));
      console.log(`  ${x.truck}: ${x.stops.length} stops <= shift / (stop time + driving per stop) = ${bound}: ${x.stops.length <= bound ? 'yes' : 'NO'}`);
    }
    results['baywheels_stop_time'] = {
      target_run: run.runId, time_limit_s: budget,
      without: { failures_before: without.plan.expected_failures_before, failures_after: without.plan.expected_failures_after, stops: without.plan.routes.map((x) => x.stops.length), small_stops: small(without) },
      with: { stop_minutes: fleet.stopMinutes, min_move: fleet.minMove, failures_after: withStops.plan.expected_failures_after, stops: withStops.plan.routes.map((x) => x.stops.length), small_stops: small(withStops) },
    };
    results['baywheels_replan'] = replan('Bay Wheels morning', input, fleet, budget);
  } finally {
    await store.close();
  }
} else console.log(`\nBay Wheels: skipped (no store at ${db}; copy the demo store there or set BENCH_DB)`);

// Seoul size.
{
  const { rows } = seoulPlanData();
  const fleet = parseFleet(readFileSync(join(repoRoot(), 'examples', 'fleet-seoul-30.json'), 'utf8'), 'examples/fleet-seoul-30.json', areaOf(rows.map((r) => ({ lat: r.lat!, lon: r.lon! }))));
  const atS = Date.parse('2025-06-02T08:00:00+09:00') / 1000;
  const input: PlanFleetInput = { system: 'seoul', atS, timeZone: 'Asia/Seoul', targetRun: 'bench', horizonMinutes: 180, stations: rows, driveWeightPerHour: DEFAULT_DRIVE_WEIGHT };
  results['seoul_replan'] = replan('Seoul size', input, fleet, Number(process.env['BENCH_REPLAN_SEOUL_SECONDS'] ?? 30));
}
console.log(`results: ${saveResults('replan', results)}`);

// The operational planner on the same problems and budgets as when it replaced the planner's own
// search (issue 18 §2): planFleet, the routing engine's prize-collecting form (routing/prize-search.ts).
// The planner it replaced ('legacy', planning/solver.ts) was removed in the commit after 21a52fc,
// where this bench ran both in one run, alternately, at the same CPU budget; its means there are
// printed beside the engine's as recorded figures (LEGACY_RECORDED), and the greedy dispatcher on the
// same problem is the baseline measured in this run. Printed for each plan: expected failures after
// the plan, the objective (failures + drive weight x driving hours), stops, the independent checker's
// verdict (planFleet returns only plans it accepted; the bench checks them again) and the time.
//
// Data. Bay Wheels: the demo store's target run for the demo's morning (07:00 local of the last
// day with status, REAL status history, the model's forecast), examples/fleet-baywheels-4.json;
// BENCH_DB names the store (default ./urbanlab.duckdb, a copy of what `npm run demo` builds);
// skipped when there is none. Seoul size: the planning bench's problem (bench/lib/seoul-plan-data.ts
// says what is real: the 3,107 stations and usage levels; SYNTHETIC bikes now and morning tilt),
// examples/fleet-seoul-30.json (30 trucks).
// Budgets: BENCH_COMPARE_BW_SECONDS (default 10, the demo's), BENCH_COMPARE_SEOUL_SECONDS (30, the
// plan bench's); seeds BENCH_COMPARE_SEEDS (default 3). BENCH_COMPARE_CLOCK=cpu measures the budgets
// in this process's CPU time instead of wall-clock time: on a machine shared with other work (load
// 25 on 2 cores gives a process a tenth of a core) a wall-clock budget is a lottery of how much of
// the Seoul construction gets done; a CPU budget gives both planners the same work. BENCH_COMPARE_SETS
// (default 'baywheels,seoul'), BENCH_COMPARE_REPLAN=0 leaves out the re-plans.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { DEFAULT_DRIVE_WEIGHT } from '../src/rebalancing/planning/build.ts';
import { checkPlan } from '../src/rebalancing/planning/check.ts';
import { areaOf, parseFleet, type Fleet } from '../src/rebalancing/planning/fleet.ts';
import { planFleet, type PlanFleetInput } from '../src/rebalancing/planning/plan-fleet.ts';
import { checkInputOf } from '../src/rebalancing/planning/planner.ts';
import { planObjective } from '../src/rebalancing/routing/prize-instance.ts';
import { latestTargetRun, loadRunStations } from '../src/rebalancing/planning/store.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';
import { later, STEP_S } from './lib/replan-state.ts';
import { seoulPlanData } from './lib/seoul-plan-data.ts';

console.log(describeMachine());
const SEEDS = Array.from({ length: Number(process.env['BENCH_COMPARE_SEEDS'] ?? 3) }, (_, i) => i + Number(process.env['BENCH_COMPARE_FIRST_SEED'] ?? 1));
const PLANNERS = ['engine'] as const;
/** Mean expected failures after the plan of the removed planner, measured by this bench at 21a52fc
 *  (CPU budgets, load 24-47): Bay Wheels 10 s seeds 1-6 (engine 49.506 there), Seoul 30 s seeds 1-2 (engine 3,988.32). */
const LEGACY_RECORDED: Record<string, number> = { baywheels: 49.565, seoul: 3992.44 };
const CPU = process.env['BENCH_COMPARE_CLOCK'] === 'cpu';
const clock = CPU ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; } : undefined;
const SETS = (process.env['BENCH_COMPARE_SETS'] ?? 'baywheels,seoul').split(',');
const REPLAN = process.env['BENCH_COMPARE_REPLAN'] !== '0';
console.log(`budgets in ${CPU ? 'CPU time of this process' : 'wall-clock time'}`);
type Planner = (typeof PLANNERS)[number];

interface Run { seed: number; seconds: number; failures_after: number; greedy_after: number; objective: number; stops: number; checker: 'accepted' | 'rejected'; load: number }

function compare(set: string, name: string, input: PlanFleetInput, fleet: Fleet, budgetS: number) {
  console.log(`\n${name}: ${input.stations.length} stations, ${fleet.trucks.length} trucks; ${budgetS} s per plan; seeds ${SEEDS.join(', ')}`);
  const runs: Record<Planner, Run[]> = { engine: [] };
  let before = 0;
  for (const seed of SEEDS) {
    // Alternate which planner goes first, so that neither always meets the same moment of load.
    const order = seed % 2 ? PLANNERS : [...PLANNERS].reverse();
    for (const planner of order) {
      const load = machine().load_1m;
      const r = planFleet(input, fleet, { timeLimitS: budgetS, seed, planner, clock });
      const check = checkPlan(r.plan, checkInputOf(r.built.problem));
      before = r.plan.expected_failures_before;
      const run: Run = {
        seed, seconds: Number(r.seconds.toFixed(2)), failures_after: Number(r.plan.expected_failures_after.toFixed(4)), greedy_after: Number(r.greedy.expected_failures_after.toFixed(4)),
        objective: Number(planObjective(r.built.problem, r.routes).objective.toFixed(4)),
        stops: r.plan.routes.reduce((a, x) => a + x.stops.length, 0), checker: check.ok ? 'accepted' : 'rejected', load,
      };
      runs[planner].push(run);
      console.log(`  seed ${seed} ${planner.padEnd(6)} ${run.seconds.toFixed(1).padStart(5)} s  failures ${before.toFixed(2)} -> ${run.failures_after.toFixed(2).padStart(8)}  objective ${run.objective.toFixed(2).padStart(8)}  (greedy ${run.greedy_after.toFixed(2)})  stops ${String(run.stops).padStart(4)}  checker ${run.checker}  (load ${load})`);
    }
  }
  const mean = (p: Planner, k: 'failures_after' | 'greedy_after' | 'objective' | 'stops' | 'seconds') => runs[p].reduce((a, x) => a + x[k], 0) / runs[p].length;
  for (const p of PLANNERS) console.log(`  mean ${p.padEnd(6)}: failures after ${mean(p, 'failures_after').toFixed(3)}, objective ${mean(p, 'objective').toFixed(3)}, stops ${mean(p, 'stops').toFixed(1)}, ${mean(p, 'seconds').toFixed(1)} s; checker accepted ${runs[p].filter((x) => x.checker === 'accepted').length}/${runs[p].length}`);
  const legacy = LEGACY_RECORDED[set];
  const noWorse = legacy === undefined ? null : mean('engine', 'failures_after') <= legacy + 1e-9;
  console.log(`  greedy dispatcher (this run): failures after ${mean('engine', 'greedy_after').toFixed(3)}; removed planner (recorded at 21a52fc): ${legacy ?? 'none'}; engine no worse than it: ${noWorse === null ? '-' : noWorse ? 'yes' : 'NO'}`);
  // The re-plan 15 minutes on (bench/lib/replan-state.ts), warm from each planner's own seed-1 plan
  // at a fifth of the budget against cold at the whole budget (goal: warm at least as good).
  const replan: Record<string, unknown> = {};
  for (const planner of REPLAN ? PLANNERS : []) {
    const first = planFleet(input, fleet, { timeLimitS: budgetS, seed: 1, planner, clock });
    const s2 = later(first.plan, input.stations, fleet, input.atS, 7);
    const input2 = { ...input, atS: input.atS + STEP_S, stations: s2.stations };
    const warm: number[] = [], cold: number[] = [], warmS: number[] = [], coldS: number[] = [];
    for (const seed of SEEDS) {
      const w = planFleet(input2, s2.fleet, { timeLimitS: budgetS / 5, seed: seed + 1, planner, warmStart: first.plan, clock });
      const c = planFleet(input2, s2.fleet, { timeLimitS: budgetS, seed: seed + 1, planner, clock });
      for (const [r, xs, ts] of [[w, warm, warmS], [c, cold, coldS]] as const) {
        if (!checkPlan(r.plan, checkInputOf(r.built.problem)).ok) throw new Error(`${planner}: a re-plan the checker rejects`);
        xs.push(planObjective(r.built.problem, r.routes).objective);
        ts.push(r.seconds);
      }
    }
    const m = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    const met = m(warm) <= m(cold) + 1e-9;
    console.log(`  re-plan 15 min on, ${planner.padEnd(6)}: warm ${(budgetS / 5).toFixed(0)} s mean objective ${m(warm).toFixed(3)} (${m(warmS).toFixed(1)} s), cold ${budgetS} s ${m(cold).toFixed(3)} (${m(coldS).toFixed(1)} s); warm at a fifth of the time at least as good: ${met ? 'met' : 'NOT met'}`);
    replan[planner] = { warm_objective: warm, cold_objective: cold, warm_seconds: warmS, cold_seconds: coldS, goal_met: met };
  }
  return {
    replan, stations: input.stations.length, trucks: fleet.trucks.length, budget_s: budgetS, failures_before: before, runs, mean: Object.fromEntries(PLANNERS.map((p) => [p, { failures_after: mean(p, 'failures_after'), objective: mean(p, 'objective'), stops: mean(p, 'stops'), seconds: mean(p, 'seconds') }])), legacy_recorded: legacy ?? null, engine_no_worse: noWorse };
}

const results: Record<string, unknown> = { load_at_start: machine().load_1m, clock: CPU ? 'cpu' : 'wall' };

const db = process.env['BENCH_DB'] ?? 'urbanlab.duckdb';
if (!SETS.includes('baywheels')) console.log('\nBay Wheels: not asked for (BENCH_COMPARE_SETS)');
else if (existsSync(db)) {
  const store = await openStore(db, { readOnly: true });
  try {
    // The demo's morning: its target run, the store's newest (src/rebalancing/demo.ts).
    const run = await latestTargetRun(store, 'baywheels', null);
    const atS = run.atS;
    const rows = await loadRunStations(store, 'baywheels', run.runId);
    const fleet = parseFleet(readFileSync(join(repoRoot(), 'examples', 'fleet-baywheels-4.json'), 'utf8'), 'examples/fleet-baywheels-4.json', areaOf(rows.filter((r) => r.lat !== null).map((r) => ({ lat: r.lat!, lon: r.lon! }))));
    const input: PlanFleetInput = { system: 'baywheels', atS, timeZone: run.timeZone, targetRun: run.runId, horizonMinutes: run.horizonMinutes, stations: rows };
    results['baywheels'] = { target_run: run.runId, ...compare('baywheels', `Bay Wheels morning (target run ${run.runId})`, input, fleet, Number(process.env['BENCH_COMPARE_BW_SECONDS'] ?? 10)) };
  } finally {
    await store.close();
  }
} else console.log(`\nBay Wheels: skipped (no store at ${db}; copy the demo store there or set BENCH_DB)`);

if (SETS.includes('seoul')) {
  const { rows } = seoulPlanData();
  const fleet = parseFleet(readFileSync(join(repoRoot(), 'examples', 'fleet-seoul-30.json'), 'utf8'), 'examples/fleet-seoul-30.json', areaOf(rows.map((r) => ({ lat: r.lat!, lon: r.lon! }))));
  const atS = Date.parse('2025-06-02T08:00:00+09:00') / 1000;
  const input: PlanFleetInput = { system: 'seoul', atS, timeZone: 'Asia/Seoul', targetRun: 'bench', horizonMinutes: 180, stations: rows, driveWeightPerHour: DEFAULT_DRIVE_WEIGHT };
  results['seoul'] = compare('seoul', 'Seoul size', input, fleet, Number(process.env['BENCH_COMPARE_SEOUL_SECONDS'] ?? 30));
}
console.log(`results: ${saveResults(SETS.length === 1 ? `planner-compare-${SETS[0]}` : 'planner-compare', results)}`);

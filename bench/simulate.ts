// The simulator's benchmark (issue 21's goals): every policy on REAL Bay Wheels demand of April-May
// 2023 (the status change log of the demo store), the same fleet, the rolling policy's forecast
// model fitted once on the months before April 2023 (its cut-off 2023-04-01 local), and the speed
// figures. BENCH_DB names the store (default ./urbanlab.duckdb, what `npm run demo` builds; a copy:
// DuckDB lets one process hold it); skipped when there is none.
//
// Days: a day takes minutes of CPU for rolling and oracle (a re-plan every 15 minutes for 14 hours),
// so the bench replays a SAMPLE fixed before any result was seen: every BENCH_SIM_STEP-th day (default
// 8) from 2023-04-03, which walks through every weekday, BENCH_SIM_DAYS of them at most (default 8).
// The replay of `none` alone runs over all 61 days (the speed figure).
//
// Fleet: examples/fleet-baywheels-5.json (5 trucks of 20 bikes, 07:00-21:00: two driver shifts).
// The operator-sized fleet: as many of those trucks as keep rolling's bikes moved per day at most
// the real operator's (its detected truck moves in the log over the same days).
//
// Splitting a long run (a shared machine): BENCH_SIM_DATES=2023-04-03,2023-04-11 names the days
// instead; BENCH_SIM_SKIP=seoul,replay,operator leaves those parts out; BENCH_SIM_OPERATOR_TRUCKS=k
// fixes the operator-sized fleet at k trucks (and BENCH_SIM_POLICIES=none picks the policies of
// the main table, e.g. `none` alone when only the operator-sized verdict is wanted);
// BENCH_SIM_NAME names the results file (default simulate).
//
// Seoul size: one re-plan cycle (targets + a warm re-plan of 30 trucks 15 minutes into a plan) on
// the REAL station list with GENERATED demand (bench/lib/seoul-plan-data.ts: real usage shares and
// hourly profile, synthetic bikes and morning tilt).
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { asStationId } from '../src/platform/ids.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { instantOfLocalTime } from '../src/platform/time/index.ts';
import { parseFleet, type Fleet } from '../src/rebalancing/planning/fleet.ts';
import { replanFleet } from '../src/rebalancing/realtime/replan.ts';
import { fitForecastModelAt } from '../src/rebalancing/targets/store.ts';
import { modelHorizonMinutes, simulate, PLANNED_DEFAULTS, type PolicyName } from '../src/simulation/simulate.ts';
import { later } from './lib/replan-state.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';
import { seoulPlanData } from './lib/seoul-plan-data.ts';

console.log(describeMachine());
const load = () => (existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : 'n/a');
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
const results: Record<string, unknown> = { machine: machine(), planned: PLANNED_DEFAULTS };
const skip = new Set((process.env['BENCH_SIM_SKIP'] ?? '').split(',').filter(Boolean));
const resultsName = process.env['BENCH_SIM_NAME'] ?? 'simulate';

// ---- Seoul size: one re-plan cycle (GENERATED demand) ------------------------------------------
if (!skip.has('seoul')) {
  const d = seoulPlanData();
  const fleet = parseFleet(readFileSync(join(repoRoot(), 'examples', 'fleet-seoul-30.json'), 'utf8'), 'examples/fleet-seoul-30.json');
  const atS = Math.floor(instantOfLocalTime('Asia/Seoul', '2025-06-02', 8 * 60) / 1000);
  const stations = d.inputs.map((s) => ({ station_id: s.stationId, name: s.meta.RENT_NM, district: s.meta.STA_LOC, racks: Number(s.meta.HOLD_NUM), lat: Number(s.meta.STA_LAT), lon: Number(s.meta.STA_LONG) }));
  // The generated hourly rates (the steps of seoul-plan-data back to hours), the same from any instant.
  const byId = new Map(d.inputs.map((s) => [s.stationId as string, s]));
  const rates = (id: string, hours: number) => {
    const s = byId.get(id);
    if (!s) return null;
    const hourOf = (a: Float64Array, h: number) => a[Math.min(h, 2) * 4]! ;
    return {
      pickups: Float64Array.from({ length: hours }, (_, h) => hourOf(s.rates.pickups as Float64Array, h)),
      returns: Float64Array.from({ length: hours }, (_, h) => hourOf(s.rates.returns as Float64Array, h)),
      pickupShape: s.pickupShape, returnShape: s.returnShape,
    };
  };
  const state = new Map(d.inputs.map((s) => [s.stationId as string, { bikes: s.current ?? 0, racks: Number(s.meta.HOLD_NUM), usable: null }]));
  // Iteration budgets, not wall-clock limits: on a shared, loaded machine a wall-clock limit cuts the
  // search to nothing; the wall and CPU seconds are printed beside.
  const opts = { policy: { kind: 'soft', overflow: { percent: 50 } } as const, timeLimitS: 300, maxIterations: 1500, seed: 1 };
  const c0 = cpu(), w0 = performance.now();
  const first = replanFleet({ system: 'seoul', timeZone: 'Asia/Seoul', atS, stations, state, rates, fleet }, opts);
  const coldS = (performance.now() - w0) / 1000, coldCpu = cpu() - c0;
  // 15 minutes on: trucks part-way through the plan, driving to their next stop (bench/lib/replan-state.ts).
  const rows = first.targets.map((t) => ({ station_id: t.station_id, current: t.current, capacity: t.capacity, failed_rentals: t.curve.rentals, failed_returns: t.curve.returns, name: null, number: null, district: null, lat: 0, lon: 0 }));
  const s2 = later(first.plan, rows, fleet, atS, 7);
  const state2 = new Map(state);
  for (const r of s2.stations) if (r.current !== null) state2.set(r.station_id, { ...state.get(r.station_id)!, bikes: r.current });
  const c1 = cpu(), w1 = performance.now();
  const warm = replanFleet({ system: 'seoul', timeZone: 'Asia/Seoul', atS: atS + 900, stations, state: state2, rates, fleet: s2.fleet, previous: first.plan }, { ...opts, maxIterations: 300 });
  const warmS = (performance.now() - w1) / 1000, warmCpu = cpu() - c1;
  console.log(`\nSeoul size (GENERATED demand, real station list): ${stations.length} stations, ${fleet.trucks.length} trucks`);
  console.log(`  first cycle: ${coldS.toFixed(1)} s wall (${coldCpu.toFixed(1)} s CPU): targets ${first.seconds.targets.toFixed(2)} s, plan ${first.seconds.plan.toFixed(2)} s; failures ${first.plan.expected_failures_before.toFixed(1)} -> ${first.plan.expected_failures_after.toFixed(1)}`);
  console.log(`  re-plan cycle 15 min on (warm): ${warmS.toFixed(1)} s wall (${warmCpu.toFixed(1)} s CPU): targets ${warm.seconds.targets.toFixed(2)} s, plan ${warm.seconds.plan.toFixed(2)} s; failures ${warm.plan.expected_failures_before.toFixed(1)} -> ${warm.plan.expected_failures_after.toFixed(1)}; goal < 30 s: ${warmS < 30 ? 'met' : 'MISSED'}; load ${load()}`);
  results.seoul_cycle = { generated_demand: true, stations: stations.length, trucks: fleet.trucks.length, first_s: coldS, first_cpu_s: coldCpu, replan_s: warmS, replan_cpu_s: warmCpu, targets_s: warm.seconds.targets, plan_s: warm.seconds.plan, load: load() };
}

// ---- Bay Wheels April-May 2023 (REAL demand) -----------------------------------------------------
if (process.env['BENCH_SIM_ONLY'] === 'seoul') { saveResults('simulate-seoul', results); process.exit(0); }
console.log(`planned policies' settings: ${JSON.stringify(PLANNED_DEFAULTS)}`);
const src = process.env['BENCH_DB'] ?? join(repoRoot(), 'urbanlab.duckdb');
if (!existsSync(src)) {
  console.log(`\nBay Wheels: skipped (no store at ${src}; run \`npm run demo\` or set BENCH_DB)`);
  saveResults(resultsName, results);
  process.exit(0);
}
const db = join(tmpdir(), `bench-simulate-${process.pid}.duckdb`);
copyFileSync(src, db);
const store = await openStore(db, { readOnly: true });
try {
  const zone = 'America/Los_Angeles';
  const day = (date: string) => Math.floor(instantOfLocalTime(zone, date, 0) / 1000);
  const fleetFile = join(repoRoot(), 'examples', 'fleet-baywheels-5.json');
  const fleet = parseFleet(readFileSync(fleetFile, 'utf8'), fleetFile);
  const step = Number(process.env['BENCH_SIM_STEP'] ?? 8);
  const maxDays = Number(process.env['BENCH_SIM_DAYS'] ?? 8);
  const days: string[] = [];
  if (process.env['BENCH_SIM_DATES']) days.push(...process.env['BENCH_SIM_DATES'].split(','));
  else for (let t = Date.parse('2023-04-03T12:00:00Z'); t < Date.parse('2023-06-01T00:00:00Z') && days.length < maxDays; t += step * 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  console.log(`\nBay Wheels, REAL status-log demand; days ${days.join(', ')} (every ${step}th day of April-May 2023); fleet ${fleet.trucks.length} x ${fleet.trucks[0]!.capacity} bikes, 07:00-${7 + fleet.trucks[0]!.shiftMinutes / 60}:00`);

  // The speed of the replay alone: `none` over all of April-May.
  if (!skip.has('replay')) {
    const out = await simulate(store, { systemId: 'baywheels', from: day('2023-04-01'), to: day('2023-06-01'), fleet, policies: ['none'], demand: 'status', seed: 1, shiftStartMinutes: 420 });
    const r = out.results[0]!;
    const secs = out.runs[0]!.seconds;
    console.log(`  replay of none, April-May (61 days): ${r.events.toLocaleString('en-US')} events in ${secs.toFixed(3)} s = ${(r.events / secs / 1e6).toFixed(2)} M events/s (goal 1 M/s: ${r.events / secs >= 1e6 ? 'met' : 'MISSED'}); load ${load()}`);
    results.replay_none = { days: 61, events: r.events, seconds: secs, events_per_s: r.events / secs, load: load() };
  }

  // The model: fitted once, on the hours before April 2023 (local), attached to the flows to June.
  const c0 = cpu(), w0 = performance.now();
  const model = !(process.env['BENCH_SIM_POLICIES'] ?? 'rolling').split(',').some((p) => p === 'rolling' || p === 'static') && skip.has('operator') ? null : await fitForecastModelAt(store, 'baywheels', day('2023-04-01'), day('2023-06-01') + (modelHorizonMinutes(PLANNED_DEFAULTS, fleet) / 60 + 3) * 3600, PLANNED_DEFAULTS.fitRows);
  console.log(`  forecast model fitted on the hours before 2023-04-01 local: ${((performance.now() - w0) / 1000).toFixed(0)} s wall, ${(cpu() - c0).toFixed(0)} s CPU`);

  const policies = (process.env['BENCH_SIM_POLICIES'] ?? 'none,static,reactive,rolling,oracle').split(',') as PolicyName[];
  type Tot = { failures: number; rentals: number; returns: number; moved: number; km: number; emptyDay: number; fullDay: number; outages: number; seconds: number; cpu: number; replans: number };
  const tot = new Map<string, Tot>(policies.map((p) => [p, { failures: 0, rentals: 0, returns: 0, moved: 0, km: 0, emptyDay: 0, fullDay: 0, outages: 0, seconds: 0, cpu: 0, replans: 0 }]));
  const observed = { emptyDay: 0, fullDay: 0, moved: 0 };
  const perDay: unknown[] = [];
  for (const date of days) {
    const from = day(date);
    const to = from + 86400;
    const cpuOf = new Map<string, number>();
    let mark = cpu();
    // One policy at a time (the day's demand read again for each, the same events): a long run on a
    // loaded machine shows each policy's figures as soon as it is done.
    const parts = [];
    for (const p of policies) {
      const part = await simulate(store, {
        systemId: 'baywheels', from, to, fleet, policies: [p], demand: 'status', seed: 1, shiftStartMinutes: 420, ...(model ? { model } : {}),
        progress: (line) => { if (line.endsWith('replaying')) mark = cpu(); const m = /simulate: (\w+): done/.exec(line); if (m) cpuOf.set(m[1]!, cpu() - mark); },
      });
      const r = part.runs[0]!;
      console.log(`  ${date} ${p}: ${r.failed_rentals} + ${r.failed_returns} failures, ${r.bikes_moved} moved, empty + full 06-22 ${(r.empty_minutes_day + r.full_minutes_day).toFixed(0)}, ${r.seconds.toFixed(0)} s (${(cpuOf.get(p) ?? 0).toFixed(0)} s CPU); load ${load()}`);
      parts.push(part);
    }
    const out = { runs: parts.flatMap((x) => x.runs), observed: parts[0]!.observed };
    const row: Record<string, unknown> = { date };
    for (const r of out.runs) {
      const t = tot.get(r.policy)!;
      t.rentals += r.failed_rentals; t.returns += r.failed_returns; t.failures += r.failed_rentals + r.failed_returns;
      t.moved += r.bikes_moved; t.km += r.truck_km; t.emptyDay += r.empty_minutes_day; t.fullDay += r.full_minutes_day; t.outages += r.outages_over_10min;
      t.seconds += r.seconds; t.cpu += cpuOf.get(r.policy) ?? 0; t.replans += r.replans;
      row[r.policy] = { failures: r.failed_rentals + r.failed_returns, moved: r.bikes_moved, s: r.seconds };
    }
    const ob = out.observed as { empty_minutes_day: number; full_minutes_day: number; bikes_moved: number };
    observed.emptyDay += ob.empty_minutes_day; observed.fullDay += ob.full_minutes_day; observed.moved += ob.bikes_moved;
    perDay.push(row);
    console.log(`  ${date}: ${out.runs.map((r) => `${r.policy} ${r.failed_rentals + r.failed_returns} (${r.bikes_moved} moved, ${r.seconds.toFixed(0)} s)`).join('; ')}; observed moved ${ob.bikes_moved}; load ${load()}`);
  }
  const n = days.length;
  const T = (p: string) => tot.get(p)!;
  const cut = (a: string, b: string) => 1 - T(a).failures / T(b).failures;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`\n  ${n} days, per policy: failed rentals + returns, bikes moved, failures avoided per bike moved (vs none), empty/full station-minutes 06-22, outages > 10 min, re-plans, replay seconds (CPU)`);
  for (const p of policies) {
    const t = T(p);
    const avoided = T('none').failures - t.failures;
    console.log(`  ${p.padEnd(9)} ${String(t.failures).padStart(6)} (${t.rentals} + ${t.returns})  moved ${String(t.moved).padStart(6)}  avoided/bike ${t.moved ? (avoided / t.moved).toFixed(3) : '-'}  empty ${t.emptyDay.toFixed(0)} full ${t.fullDay.toFixed(0)}  outages ${t.outages}  re-plans ${t.replans}  ${t.seconds.toFixed(0)} s (${t.cpu.toFixed(0)} s CPU)`);
  }
  console.log(`  observed  empty ${observed.emptyDay.toFixed(0)} full ${observed.fullDay.toFixed(0)}  moved ${observed.moved} (the real operator's detected truck moves)`);
  const all = ['none', 'static', 'reactive', 'rolling', 'oracle'].every((p) => tot.has(p));
  const goals = !all ? null : {
    cut_vs_none: cut('rolling', 'none'), cut_vs_static: cut('rolling', 'static'), cut_vs_reactive: cut('rolling', 'reactive'),
    moved_rolling: T('rolling').moved, moved_reactive: T('reactive').moved,
  };
  if (goals) console.log(`  goals: rolling cuts failures by ${pct(goals.cut_vs_none)} vs none (goal >= 60%), ${pct(goals.cut_vs_static)} vs static (>= 30%), ${pct(goals.cut_vs_reactive)} vs reactive (>= 20%); bikes moved ${goals.moved_rolling} vs reactive's ${goals.moved_reactive} (goal: no more)`);
  if (goals) console.log(`  oracle (perfect forecast bound): ${pct(cut('oracle', 'none'))} vs none`);
  const rollDay = tot.has('rolling') ? T('rolling').seconds / n : NaN;
  if (tot.has('rolling')) console.log(`  a rolling day (5 trucks, re-plan every 15 min, ${(T('rolling').replans / n).toFixed(0)} re-plans): ${rollDay.toFixed(1)} s wall, ${(T('rolling').cpu / n).toFixed(1)} s CPU (goal < 60 s: ${rollDay < 60 ? 'met' : 'MISSED'} on wall time at load ${load()})`);
  results.baywheels = { days, fleet: 'examples/fleet-baywheels-5.json', totals: Object.fromEntries(tot), observed, goals, per_day: perDay, rolling_day_s: rollDay, rolling_day_cpu_s: tot.has('rolling') ? T('rolling').cpu / n : null, load: load() };
  // (No process.exit here: the finally below removes the store's copy.)
  if (!skip.has('operator')) {

    // The operator-sized fleet: trucks cut until rolling moves no more bikes a day than the real operator.
    const opPerDay = observed.moved / n;
    const perTruck = tot.has('rolling') ? T('rolling').moved / n / fleet.trucks.length : 0;
    const k = Number(process.env['BENCH_SIM_OPERATOR_TRUCKS'] ?? Math.max(1, Math.min(fleet.trucks.length, Math.floor(opPerDay / Math.max(1, perTruck)))));
    const small: Fleet = { ...fleet, trucks: fleet.trucks.slice(0, k) };
    const o = { emptyDay: 0, fullDay: 0, moved: 0 };
    for (const date of days) {
      const out = await simulate(store, { systemId: 'baywheels', from: day(date), to: day(date) + 86400, fleet: small, policies: ['rolling'], demand: 'status', seed: 1, shiftStartMinutes: 420, ...(model ? { model } : {}) });
      const r = out.runs[0]!;
      console.log(`  operator-sized ${date}: rolling ${k} trucks moved ${r.bikes_moved}, empty + full 06-22 ${(r.empty_minutes_day + r.full_minutes_day).toFixed(0)}; load ${load()}`);
      o.emptyDay += r.empty_minutes_day; o.fullDay += r.full_minutes_day; o.moved += r.bikes_moved;
    }
    // Only a fleet that moved no more bikes a day than the operator counts; one truck may still move more.
    const sized = o.moved / n <= opPerDay;
    const better = sized && o.emptyDay + o.fullDay < observed.emptyDay + observed.fullDay;
    console.log(`  operator-sized fleet (${k} trucks): rolling moved ${(o.moved / n).toFixed(0)} bikes/day vs the operator's ${opPerDay.toFixed(0)}; empty + full station-minutes 06-22 ${(o.emptyDay + o.fullDay).toFixed(0)} vs the operator's ${(observed.emptyDay + observed.fullDay).toFixed(0)} (goal: fewer, with no more bikes moved: ${better ? 'met' : sized ? 'MISSED' : `NOT MET: ${k} truck(s) moved more bikes a day than the operator`})`);
    results.operator_sized = { trucks: k, moved_per_day: o.moved / n, operator_moved_per_day: opPerDay, empty_full_day: o.emptyDay + o.fullDay, operator_empty_full_day: observed.emptyDay + observed.fullDay, sized, met: better };
  }
} finally {
  await store.close();
  rmSync(db, { force: true });
}
console.log(`results: ${saveResults(resultsName, results)}`);

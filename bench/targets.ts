// Targets benchmark (issue 7).
// 1. Speed: targets for a Seoul-sized network (2,700 stations with the REAL racks of Seoul's API
//    station list, May 2025, +50% overflow) over 3 h in 15-minute steps. Rates are SYNTHETIC
//    (seeded): station demand levels drawn from a gamma with Seoul's mean of ~1.6 pickups and
//    returns per station-hour (37.4 M trips / 2,700 stations / 8,760 h), a different rate each
//    hour, and gamma spread shapes 2..5. Same-run baseline: the same computation with 1 quadrature
//    point (no spread), i.e. a single exact birth-death pass per station.
// 2. Replay on real demand (Bay Wheels, bundled status history) when BENCH_TARGETS_DB names a store
//    holding it (`urbanlab demo`, or `urbanlab import gbfs-history <shared/data/gbfs/baywheels>`):
//    `targets replay` over BENCH_TARGETS_FROM..BENCH_TARGETS_TO (default 2023-04-01..2023-06-01),
//    once per rate source in BENCH_TARGETS_RATES (default "historical,forecast"; the forecast one
//    needs a model fitted before FROM: `urbanlab forecast fit --system baywheels --to 2023-04-01`).
// Writes bench/results/targets.json.
import { asStationId } from '../src/platform/ids.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { dataFile } from '../src/platform/bundled-data.ts';
import { openStore } from '../src/platform/store/connection.ts';
import { effectiveCapacity } from '../src/rebalancing/targets/capacity.ts';
import { networkTargets, type StationInput } from '../src/rebalancing/targets/station-targets.ts';
import { hourlyToSteps } from '../src/rebalancing/targets/steps.ts';
import { defaultCapacityPolicy } from '../src/rebalancing/targets/capacity.ts';
import { replayPeriod } from '../src/rebalancing/targets/replay-period.ts';
import { gamma, rng } from '../test/helpers/random.ts';
import { describeMachine, saveResults } from './lib/machine.ts';

console.log(describeMachine());
const dir = dataFile('seoul', 'stations');
const racks: number[] = [];
for (const f of readdirSync(dir).filter((f) => f.startsWith('api_stationInfo_2025-05_chunk_')).sort()) {
  const rows = JSON.parse(readFileSync(join(dir, f), 'utf8')).stationInfo.row as { HOLD_NUM?: string }[];
  for (const r of rows) {
    const n = Number(r.HOLD_NUM);
    if (r.HOLD_NUM && Number.isFinite(n) && n > 0) racks.push(n);
  }
}
const N = 2700;
console.log(`data: ${racks.length} Seoul stations with racks (API list 2025-05); the first ${N} used, racks + 50% overflow`);
const u = rng(2026);
const stations: StationInput[] = racks.slice(0, N).map((r, i) => {
  const level = (gamma(u, 1.2) / 1.2) * 1.6;
  const hourly = () => [0, 1, 2].map(() => level * (0.4 + 1.2 * u()));
  const capacity = effectiveCapacity(r, { kind: 'soft', overflow: { percent: 50 } });
  return {
    stationId: asStationId(String(i)), capacity, current: Math.floor(u() * capacity),
    rates: hourlyToSteps(hourly(), hourly(), 0, 180, 15), pickupShape: 2 + 3 * u(), returnShape: 2 + 3 * u(),
  };
});
const time = (points: number) => {
  const runs: number[] = [];
  let out = networkTargets(stations, { service: 0.9, points, fullBinds: true });
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    out = networkTargets(stations, { service: 0.9, points, fullBinds: true });
    runs.push((performance.now() - t) / 1000);
  }
  return { best_s: Math.min(...runs), runs_s: runs, shortage: out.filter((o) => o.class === 'shortage').length, surplus: out.filter((o) => o.class === 'surplus').length };
};
const exact = time(3);
const baseline = time(1);
console.log(`targets, ${N} stations, 3 h in 15-min steps, 3x3 gamma quadrature: best ${exact.best_s.toFixed(3)} s of ${exact.runs_s.map((x) => x.toFixed(3)).join(', ')} (goal < 1 s: ${exact.best_s < 1 ? 'met' : 'NOT met'})`);
console.log(`baseline (no spread, 1 point): best ${baseline.best_s.toFixed(3)} s; ratio ${(exact.best_s / baseline.best_s).toFixed(2)}x`);
console.log(`classes: ${exact.shortage} shortage, ${exact.surplus} surplus (synthetic rates and currents)`);

const replays: Record<string, unknown>[] = [];
const db = process.env['BENCH_TARGETS_DB'];
if (db) {
  const from = process.env['BENCH_TARGETS_FROM'] ?? '2023-04-01';
  const to = process.env['BENCH_TARGETS_TO'] ?? '2023-06-01';
  // 'refit': stage-2 rates from a model refitted every week of the replay on the flows before it (production's cadence).
  const sources = (process.env['BENCH_TARGETS_RATES'] ?? 'historical,forecast,refit').split(',').map((x) => x.trim());
  const store = await openStore(db, { readOnly: true });
  for (const rates of sources) {
    const t = performance.now();
    let s;
    try {
      s = await replayPeriod(store, {
        system: 'baywheels', fromS: Date.parse(from) / 1000, toS: Date.parse(to) / 1000, horizonMinutes: 180, stepMinutes: 15, service: 0.9, points: 3, weeks: 8,
        truckThreshold: 8, policy: defaultCapacityPolicy('baywheels'),
        ...(rates === 'refit' ? { rates: 'forecast' as const, refitHours: 168, maxRows: 300_000 } : { rates: rates as 'historical' | 'forecast' }),
      });
    } catch (err) {
      console.log(`replay with ${rates} rates: skipped (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    const seconds = (performance.now() - t) / 1000;
    replays.push({ from, to, seconds, load_1m_after: loadavg()[0], ...s });
    const f = (x: number) => x.toFixed(3);
    console.log(`\nreplay Bay Wheels ${from}..${to}, rates ${s.rates}: ${s.station_horizons} station-horizons (${s.horizons} horizons of 3 h) in ${seconds.toFixed(1)} s`);
    console.log(`  service at the mid starts: nominal ${s.nominal}, realised ${f(s.realised)} (goal within 0.03 of nominal: ${Math.abs(s.realised - s.nominal) <= 0.03 ? 'met' : 'NOT met'}); the model predicted ${f(s.predicted)} for these starts (realised - predicted ${(s.realised - s.predicted).toFixed(4)})`);
    console.log(`  service at the interval edges (where the service level binds): min ${f(s.edges.min.realised)} (predicted ${f(s.edges.min.predicted)}), max ${f(s.edges.max.realised)} (predicted ${f(s.edges.max.predicted)})`);
    console.log(`  half full: realised ${f(s.realised_half_full)}`);
    console.log(`  failures ${s.failures} (rentals ${s.failed_rentals}, returns ${s.failed_returns}) vs ${s.failures_half_full} half full (rentals ${s.failed_rentals_half_full}, returns ${s.failed_returns_half_full}): ${(100 * s.failure_reduction).toFixed(1)}% fewer (goal >= 30%: ${s.failure_reduction >= 0.3 ? 'met' : 'NOT met'})`);
    const cal = (bins: typeof s.calibration) => bins.map((b) => `[${b.from}, ${b.to}) n=${b.station_horizons} predicted ${b.mean_predicted_risk.toFixed(4)} realised ${b.realised_risk.toFixed(4)}`).join('; ');
    console.log(`  calibration at the mid starts: ${cal(s.calibration)}`);
    console.log(`  calibration at the edge starts: ${cal(s.calibration_edges)}`);
  }
  await store.close();
} else {
  console.log('replay: skipped (set BENCH_TARGETS_DB to a store with the Bay Wheels status history; a model from `urbanlab forecast fit --to <from>` adds the forecast-rates replay)');
}
console.log(`load at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (1, 5, 15 min)`);
const path = saveResults('targets', { stations: N, horizon_minutes: 180, step_minutes: 15, exact_3x3: exact, baseline_1_point: baseline, ratio: exact.best_s / baseline.best_s, replays, load_end: loadavg() });
console.log(`results: ${path}`);

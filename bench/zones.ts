// Zones benchmark (issue 9): what planning by zones costs against one city-wide plan, on Seoul.
// Data: bench/lib/seoul-plan-data.ts (the REAL Seoul station list, districts and places; targets from
// the model on real usage shares with SYNTHETIC bikes now and morning tilt). Fleet:
// examples/fleet-seoul-30.json (30 trucks of 20 bikes, 3-hour shifts, depot at City Hall).
// For each zoning (by district, balanced): the zones (count, largest work-per-truck deviation,
// compactness, time to make), then the same problem planned city-wide (the same-run baseline) and
// zone by zone with the same budget: expected failures after, the cut lost, driving hours.
// BENCH_ZONES_SECONDS sets the budget of each plan (default 30). Writes bench/results/zones.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../src/platform/bundled-data.ts';
import { buildProblem, DEFAULT_DRIVE_WEIGHT } from '../src/rebalancing/planning/build.ts';
import { zoneCost } from '../src/rebalancing/planning/by-zones.ts';
import { areaOf, parseFleet } from '../src/rebalancing/planning/fleet.ts';
import { makeZones } from '../src/rebalancing/planning/zones/make.ts';
import type { ZoneStation } from '../src/rebalancing/planning/zones/types.ts';
import { describeMachine, machine, saveResults } from './lib/machine.ts';
import { seoulPlanData } from './lib/seoul-plan-data.ts';

console.log(describeMachine());
const SECONDS = Number(process.env['BENCH_ZONES_SECONDS'] ?? 30);
const { inputs, targets, rows } = seoulPlanData();
const stations: ZoneStation[] = targets.map((t, i) => {
  const m = inputs[i]!.meta;
  return { station_id: t.station_id, lat: Number(m.STA_LAT), lon: Number(m.STA_LONG), district: m.STA_LOC || null, bring: t.bring, take: t.take, failures: t.expected_failures ?? 0 };
});
const fleetFile = join(repoRoot(), 'examples', 'fleet-seoul-30.json');
const fleet = parseFleet(readFileSync(fleetFile, 'utf8'), 'examples/fleet-seoul-30.json', areaOf(rows.map((r) => ({ lat: r.lat!, lon: r.lon! }))));
const built = buildProblem(rows, fleet, { driveWeightPerHour: DEFAULT_DRIVE_WEIGHT, runId: 'bench' });
const ctx = { system: 'seoul', atS: Date.parse('2025-06-02T08:00:00+09:00') / 1000, timeZone: 'Asia/Seoul', targetRun: 'bench', horizonMinutes: 180, meta: built.meta, starts: built.starts };
const work = stations.reduce((a, s) => a + s.bring + s.take, 0);
console.log(`zoning ${stations.length} stations, ${work} bikes of work (bring + take), ${fleet.trucks.length} trucks; planning budget ${SECONDS} s per plan`);

const results: Record<string, unknown> = {};
for (const method of ['district', 'balanced'] as const) {
  const t0 = performance.now();
  const z = makeZones(stations, fleet.trucks.length, method);
  const zoneS = (performance.now() - t0) / 1000;
  const r = z.report;
  console.log(`${method}: ${r.zones.length} zones in ${zoneS.toFixed(2)} s; work per truck within ${(100 * r.imbalance).toFixed(1)}% of the mean; work-weighted radius ${r.mean_radius_km.toFixed(2)} km`);
  const set = { name: method, zones: z.assignment.zones.map((zone, k) => ({ zone, trucks: z.assignment.trucks[k]!, stations: stations.filter((_, i) => z.assignment.zoneOf[i] === k).map((s) => s.station_id) })) };
  const load = machine().load_1m;
  const c = zoneCost(built.problem, ctx, set, { seed: 1, timeLimitS: SECONDS });
  console.log(`  expected failures ${c.expected_failures_before.toFixed(1)} before; city-wide plan ${c.city.expected_failures_after.toFixed(1)} after (cut ${c.city.cut.toFixed(1)}, ${c.city.driving_hours.toFixed(1)} h driving, ${c.city.stops} stops, ${c.city.seconds.toFixed(1)} s); by zones ${c.zones.expected_failures_after.toFixed(1)} after (cut ${c.zones.cut.toFixed(1)}, ${c.zones.driving_hours.toFixed(1)} h driving, ${c.zones.stops} stops, ${c.zones.seconds.toFixed(1)} s)`);
  console.log(`  cut by zones / city-wide: ${(c.zones.cut / c.city.cut).toFixed(3)} (${c.cut_lost >= 0 ? `${(100 * c.cut_lost).toFixed(1)}% of the cut lost` : `${(-100 * c.cut_lost).toFixed(1)}% more cut`}); load ${load} at start`);
  results[method] = { zone_count: r.zones.length, imbalance: r.imbalance, mean_radius_km: r.mean_radius_km, zoning_seconds: zoneS, load_at_start: load, ...c };
}
const path = saveResults('zones', { stations: stations.length, work, trucks: fleet.trucks.length, time_limit_s: SECONDS, ...results });
console.log(`results: ${path}`);

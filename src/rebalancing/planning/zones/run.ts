// Zones (재배치 권역) as a stage-4 step: split a system's stations into truck territories, by
// district or by balanced clustering of the work of the latest target run at or before an instant;
// store the set under a name, draw its map when a folder is given, and with a fleet say what
// planning by these zones costs against city-wide. Typed values in (`urbanlab zones` parses flags).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../platform/errors.ts';
import type { Store } from '../../../platform/store/connection.ts';
import { STALE_HOURS, type InService } from '../../../platform/stations/in-service.ts';
import { loadStationsInService } from '../../../platform/stations/in-service-store.ts';
import { assertSystem } from '../../targets/store.ts';
import { buildProblem, DEFAULT_DRIVE_WEIGHT } from '../build.ts';
import { zoneCost, type ZoneCost, type ZoneSplitInput } from '../by-zones.ts';
import { areaOf, parseFleet } from '../fleet.ts';
import type { FleetSource } from '../run.ts';
import { latestTargetRun as planRun, loadRunStations } from '../store.ts';
import { resolveDistricts } from './district.ts';
import { makeZones, type MadeZones, type MethodChoice } from './make.ts';
import { latestTargetRun, loadDistrictShapes, loadZoneStations, saveZoneSet } from './store.ts';

export const ZONE_METHODS: MethodChoice[] = ['district', 'balanced', 'auto'];

export interface ZoneSetOptions {
  system: string;
  trucks: number;
  method: MethodChoice;
  /** Use the newest target run at or before this instant (epoch seconds); the newest when absent. */
  atS?: number;
  /** Store the zones under this name (default <method>-<trucks>). */
  name?: string;
  /** Balanced: number of zones. */
  count?: number;
  /** Balanced: seed of the k-means start. */
  seed: number;
  /** Draw the zone map (SVG and PNG) there. */
  outDir?: string;
  /** Also plan the run city-wide and zone by zone with this fleet, each with `timeLimitS`. */
  fleet?: FleetSource;
  timeLimitS: number;
  /** Stations in service only (at the target run's instant, else `atS`, else the data's end): stale after this many hours. */
  staleHours?: number;
}

export interface ZonesResult {
  name: string;
  target_run: string | null;
  made: MadeZones;
  files: string[];
  resolved: { byShape: number; byNeighbour: number };
  unplaced: number;
  cost: ZoneCost | null;
  /** Which stations were in service at the instant the zones were made for. */
  inService: InService;
}

export async function makeZoneSet(store: Store, opts: ZoneSetOptions): Promise<ZonesResult> {
  const { trucks, method, count, seed, atS } = opts;
  await assertSystem(store, opts.system);
  const run = await latestTargetRun(store, opts.system, atS);
  if (!run && method !== 'district') throw new UserError(`no target run for '${opts.system}'${atS !== undefined ? ` at or before ${new Date(atS * 1000).toISOString()}` : ''}: run \`urbanlab targets\` first (only --method district works without one)`);
  // Zones cover the stations in service when the work was measured (issue 19), not every id ever listed.
  const inService = await loadStationsInService(store, opts.system, run?.at ?? atS ?? Date.now() / 1000, { staleHours: opts.staleHours ?? STALE_HOURS });
  const live = new Set<string>(inService.ids);
  const loaded = await loadZoneStations(store, opts.system, run?.run_id ?? null);
  if (inService.judged) loaded.stations = loaded.stations.filter((s) => live.has(s.station_id));
  if (loaded.stations.length === 0) throw new UserError(`system '${opts.system}' has no stations with coordinates: import its station list first`);
  const shapes = await loadDistrictShapes(store, opts.system);
  let stations = loaded.stations;
  let resolved = { byShape: 0, byNeighbour: 0 };
  if (method !== 'balanced' && stations.some((s) => s.district !== null)) {
    const r = resolveDistricts(stations, shapes);
    stations = r.stations;
    resolved = { byShape: r.byShape, byNeighbour: r.byNeighbour };
  } else if (method === 'district') {
    throw new UserError(`the stations of '${opts.system}' have no district: use --method balanced`);
  }
  let made: MadeZones;
  try {
    made = makeZones(stations, trucks, method, { count, seed });
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  const name = opts.name ?? `${made.assignment.method}-${trucks}`;
  if (!/^[\w.-]+$/.test(name)) throw new UserError(`--name may hold letters, digits, '_', '-' and '.', not '${name}'`);
  if (resolved.byShape || resolved.byNeighbour) made.report.notes.push(`${resolved.byShape + resolved.byNeighbour} stations without a district placed by boundary (${resolved.byShape}) or nearest station (${resolved.byNeighbour})`);
  await saveZoneSet(store, { system: opts.system, name, targetRun: run?.run_id ?? null }, stations, made.assignment, made.report);
  const files: string[] = [];
  if (opts.outDir) {
    const { zoneMapSvg } = await import('./map.ts');
    const { hasKoreanFont, svgToPng } = await import('../../../platform/charts/png.ts');
    mkdirSync(opts.outDir, { recursive: true });
    const svg = zoneMapSvg({ system: opts.system, name, stations, assignment: made.assignment, report: made.report, districts: shapes, source: run ? `target run ${run.run_id}` : 'no target run (no work)', korean: hasKoreanFont() });
    const base = join(opts.outDir, `zones-${name}`);
    writeFileSync(`${base}.svg`, svg);
    writeFileSync(`${base}.png`, svgToPng(svg));
    files.push(`${base}.svg`, `${base}.png`);
  }
  let cost: ZoneCost | null = null;
  if (opts.fleet) {
    if (!run) throw new UserError('--fleet: planning needs a target run');
    const set = { name, zones: made.assignment.zones.map((zone, k) => ({ zone, trucks: made.assignment.trucks[k]!, stations: stations.filter((_, i) => made.assignment.zoneOf[i] === k).map((s) => s.station_id) })) };
    cost = await zoneCostFor(store, opts.system, opts.fleet, opts.timeLimitS, run.run_id, run.at, set, seed);
  }
  return { name, target_run: run?.run_id ?? null, made, files, resolved, unplaced: loaded.unplaced, cost, inService };
}

/** --fleet: the run's planning problem, planned city-wide and zone by zone with the same budget. */
async function zoneCostFor(store: Store, system: string, source: FleetSource, timeLimitS: number, runId: string, atS: number, set: ZoneSplitInput, seed: number): Promise<ZoneCost> {
  const ref = await planRun(store, system, atS);
  const rows = await loadRunStations(store, system, runId);
  const fleet = 'text' in source ? parseFleet(source.text, source.file, areaOf(rows.filter((r) => r.lat !== null && r.lon !== null).map((r) => ({ lat: r.lat!, lon: r.lon! })))) : source.fleet;
  const built = buildProblem(rows, fleet, { driveWeightPerHour: DEFAULT_DRIVE_WEIGHT, runId });
  const ctx = { system, atS: ref.atS, timeZone: ref.timeZone, targetRun: runId, horizonMinutes: ref.horizonMinutes, meta: built.meta, starts: built.starts };
  return zoneCost(built.problem, ctx, set, { seed, timeLimitS });
}

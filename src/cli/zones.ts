// `urbanlab zones` (재배치 권역): split a system's stations into truck territories, by district or by
// balanced clustering of the work of the latest target run; report, store under a name, draw.
import type { Command } from 'commander';
import type { Store } from '../platform/store/connection.ts';
import type { ZoneSplitInput } from '../rebalancing/planning/by-zones.ts';
import { parseDuration } from './route.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../platform/errors.ts';
import { resolveDistricts } from '../rebalancing/planning/zones/district.ts';
import { makeZones, type MadeZones, type MethodChoice } from '../rebalancing/planning/zones/make.ts';
import { latestTargetRun, loadDistrictShapes, loadZoneStations, saveZoneSet } from '../rebalancing/planning/zones/store.ts';
import { assertSystem } from '../rebalancing/targets/store.ts';
import { parseInstant } from './targets.ts';
import type { ZoneCost } from '../rebalancing/planning/by-zones.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface ZonesOptions extends CommonOptions {
  system: string;
  trucks: string;
  method: string;
  at?: string;
  name?: string;
  count?: string;
  seed: string;
  out?: string;
  fleet?: string;
  timeLimit: string;
}

const METHODS: MethodChoice[] = ['district', 'balanced', 'auto'];

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${what} must be a positive integer, not '${value}'`);
  return n;
}

export interface ZonesResult {
  name: string;
  target_run: string | null;
  made: MadeZones;
  files: string[];
  resolved: { byShape: number; byNeighbour: number };
  unplaced: number;
  cost: ZoneCost | null;
}

export async function zonesRun(opts: ZonesOptions): Promise<ZonesResult> {
  const trucks = positiveInt(opts.trucks, '--trucks');
  const method = opts.method as MethodChoice;
  if (!METHODS.includes(method)) throw new UserError(`--method must be one of ${METHODS.join(', ')}, not '${opts.method}'`);
  const count = opts.count === undefined ? undefined : positiveInt(opts.count, '--count');
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UserError(`--seed must be an integer, not '${opts.seed}'`);
  const atS = opts.at === undefined ? undefined : parseInstant(opts.at, '--at');
  return withStore(opts, async (store) => {
    await assertSystem(store, opts.system);
    const run = await latestTargetRun(store, opts.system, atS);
    if (!run && method !== 'district') throw new UserError(`no target run for '${opts.system}'${opts.at ? ` at or before ${opts.at}` : ''}: run \`urbanlab targets\` first (only --method district works without one)`);
    const loaded = await loadZoneStations(store, opts.system, run?.run_id ?? null);
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
    if (opts.out) {
      const { zoneMapSvg } = await import('../rebalancing/planning/zones/map.ts');
      const { hasKoreanFont, svgToPng } = await import('../platform/charts/png.ts');
      mkdirSync(opts.out, { recursive: true });
      const svg = zoneMapSvg({ system: opts.system, name, stations, assignment: made.assignment, report: made.report, districts: shapes, source: run ? `target run ${run.run_id}` : 'no target run (no work)', korean: hasKoreanFont() });
      const base = join(opts.out, `zones-${name}`);
      writeFileSync(`${base}.svg`, svg);
      writeFileSync(`${base}.png`, svgToPng(svg));
      files.push(`${base}.svg`, `${base}.png`);
    }
    let cost: ZoneCost | null = null;
    if (opts.fleet) {
      if (!run) throw new UserError('--fleet: planning needs a target run');
      const set = { name, zones: made.assignment.zones.map((zone, k) => ({ zone, trucks: made.assignment.trucks[k]!, stations: stations.filter((_, i) => made.assignment.zoneOf[i] === k).map((s) => s.station_id) })) };
      cost = await zoneCostFor(store, opts, run.run_id, run.at, set, seed);
    }
    return { name, target_run: run?.run_id ?? null, made, files, resolved, unplaced: loaded.unplaced, cost };
  });
}

/** --fleet: the run's planning problem, planned city-wide and zone by zone with the same budget. */
async function zoneCostFor(store: Store, opts: ZonesOptions, runId: string, atS: number, set: ZoneSplitInput, seed: number): Promise<ZoneCost> {
  const { readFileSync } = await import('node:fs');
  const { latestTargetRun: planRun, loadRunStations } = await import('../rebalancing/planning/store.ts');
  const { buildProblem, DEFAULT_DRIVE_WEIGHT } = await import('../rebalancing/planning/build.ts');
  const { areaOf, parseFleet } = await import('../rebalancing/planning/fleet.ts');
  const { zoneCost } = await import('../rebalancing/planning/by-zones.ts');
  const ref = await planRun(store, opts.system, atS);
  const rows = await loadRunStations(store, opts.system, runId);
  let text: string;
  try {
    text = readFileSync(opts.fleet!, 'utf8');
  } catch (err) {
    throw new UserError(`fleet file ${opts.fleet}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const fleet = parseFleet(text, opts.fleet!, areaOf(rows.filter((r) => r.lat !== null && r.lon !== null).map((r) => ({ lat: r.lat!, lon: r.lon! }))));
  const built = buildProblem(rows, fleet, { driveWeightPerHour: DEFAULT_DRIVE_WEIGHT, runId });
  const ctx = { system: opts.system, atS: ref.atS, timeZone: ref.timeZone, targetRun: runId, horizonMinutes: ref.horizonMinutes, meta: built.meta, starts: built.starts };
  return zoneCost(built.problem, ctx, set, { seed, timeLimitS: parseDuration(opts.timeLimit) });
}

export function registerZones(program: Command): void {
  withCommonOptions(
    program
      .command('zones')
      .description('split the stations into truck territories (재배치 권역) by district or balanced work; stored under a name for `route plan --zones`')
      .requiredOption('--system <name>', 'system id')
      .requiredOption('--trucks <n>', 'trucks in the fleet')
      .option('--method <m>', `${METHODS.join('|')}: auto keeps districts unless their work per truck is too uneven`, 'auto')
      .option('--at <time>', 'use the newest target run at or before this time (default: the newest)')
      .option('--name <zone-set>', 'store the zones under this name (default <method>-<trucks>)')
      .option('--count <n>', 'balanced: number of zones (default one per 2 trucks; under auto, as many as the districts give)')
      .option('--seed <n>', 'balanced: seed of the k-means start', '1')
      .option('--out <dir>', 'draw the zone map (SVG and PNG) into this folder')
      .option('--fleet <file>', 'also plan the target run city-wide and zone by zone with this fleet, and report what the zones cost')
      .option('--time-limit <duration>', 'with --fleet: planning budget of each of the two plans', '20s'),
  ).action(async (opts: ZonesOptions) => {
    const r = await zonesRun(opts);
    const rep = r.made.report;
    const out = {
      name: r.name,
      system: opts.system,
      method: rep.method,
      trucks: rep.trucks,
      target_run: r.target_run,
      zones: rep.zones,
      imbalance: rep.imbalance,
      mean_radius_km: rep.mean_radius_km,
      unserved_work: rep.unserved_work,
      choice: r.made.choice ?? null,
      cost: r.cost,
      notes: rep.notes,
      files: r.files,
    };
    emit(opts, out, () => {
      const lines = [
        `zone set '${r.name}' of ${opts.system}: ${rep.zones.length} zones for ${rep.trucks} trucks by ${rep.method}; work from ${r.target_run ? `target run ${r.target_run}` : 'no target run'}`,
        table(rep.zones as unknown as Record<string, unknown>[], ['zone', 'stations', 'trucks', 'bikes_short', 'bikes_over', 'work', 'work_per_truck', 'expected_failures', 'radius_km']),
        `work per truck within ${formatNumber(100 * rep.imbalance)}% of the fleet mean; work-weighted mean radius ${formatNumber(rep.mean_radius_km)} km${rep.unserved_work ? `; ${rep.unserved_work} bikes of work in zones without a truck` : ''}`,
      ];
      if (r.made.choice) lines.push(`auto: ${r.made.choice.reason}`);
      if (r.cost) {
        const c = r.cost;
        lines.push(`planning by zones, ${c.time_limit_s} s budget each: expected failures ${formatNumber(c.expected_failures_before)} before; city-wide plan ${formatNumber(c.city.expected_failures_after)} after (${formatNumber(c.city.driving_hours)} h driving), by zones ${formatNumber(c.zones.expected_failures_after)} after (${formatNumber(c.zones.driving_hours)} h driving): the zones ${c.cut_lost >= 0 ? `lose ${formatNumber(100 * c.cut_lost)}%` : `gain ${formatNumber(-100 * c.cut_lost)}%`} of the city-wide cut`);
      }
      lines.push(...rep.notes.map((n) => `note: ${n}`));
      if (r.unplaced) lines.push(`${r.unplaced} stations of the target run have no coordinates and are left out`);
      lines.push(...r.files.map((f) => `wrote ${f}`));
      return lines.join('\n');
    });
  });
}

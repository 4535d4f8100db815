// `urbanlab zones` (재배치 권역): split a system's stations into truck territories, by district or by
// balanced clustering of the work of the latest target run; report, store under a name, draw.
import { asSystemId } from '../platform/ids.ts';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import type { MethodChoice } from '../rebalancing/planning/zones/make.ts';
import { describeInService, inServiceJson, STALE_HOURS } from '../platform/stations/in-service.ts';
import { makeZoneSet, ZONE_METHODS, type ZoneSetOptions } from '../rebalancing/planning/zones/run.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';
import { parseDuration } from './route.ts';
import { parseInstant } from './targets.ts';

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

const METHODS = ZONE_METHODS;

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${what} must be a positive integer, not '${value}'`);
  return n;
}

/** The command's flags as the step's typed options (the fleet file read here). */
function zoneSetOptions(opts: ZonesOptions, timeZone: string): ZoneSetOptions {
  const method = opts.method as MethodChoice;
  if (!METHODS.includes(method)) throw new UserError(`--method must be one of ${METHODS.join(', ')}, not '${opts.method}'`);
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UserError(`--seed must be an integer, not '${opts.seed}'`);
  let fleet: ZoneSetOptions['fleet'];
  if (opts.fleet) {
    try {
      fleet = { text: readFileSync(opts.fleet, 'utf8'), file: opts.fleet };
    } catch (err) {
      throw new UserError(`fleet file ${opts.fleet}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return {
    system: opts.system, trucks: positiveInt(opts.trucks, '--trucks'), method, seed, timeLimitS: parseDuration(opts.timeLimit),
    ...(opts.count === undefined ? {} : { count: positiveInt(opts.count, '--count') }),
    ...(opts.at === undefined ? {} : { atS: parseInstant(opts.at, '--at', timeZone) }),
    ...(opts.name === undefined ? {} : { name: opts.name }),
    ...(opts.out === undefined ? {} : { outDir: opts.out }),
    ...(fleet ? { fleet } : {}),
  };
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
    const r = await withStore(opts, async (store) => makeZoneSet(store, zoneSetOptions(opts, await systemTimezone(store, asSystemId(opts.system)))));
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
      in_service: inServiceJson(r.inService),
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
      lines.push(describeInService(r.inService, STALE_HOURS));
      if (r.unplaced) lines.push(`${r.unplaced} stations of the target run have no coordinates and are left out`);
      lines.push(...r.files.map((f) => `wrote ${f}`));
      return lines.join('\n');
    });
  });
}

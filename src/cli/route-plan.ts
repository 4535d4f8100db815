// `urbanlab route plan`: the operational plan (issue 9) from the latest stored targets and a fleet
// file: which truck goes where, in what order, collecting or dropping how many bikes, arriving when.
// The plan and the greedy dispatcher's (for comparison) both pass the independent checker before
// anything is printed; the plan is stored (plans/plan_stops) and written as plan.json to --out.
import { asSystemId } from '../platform/ids.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import type { Store } from '../platform/store/connection.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { DEFAULT_DRIVE_WEIGHT } from '../rebalancing/planning/build.ts';
import type { Plan } from '../rebalancing/planning/plan.ts';
import { planTargetRun, type PlanRunResult } from '../rebalancing/planning/run.ts';
import { writePlanOutputs } from '../rebalancing/planning/write/index.ts';
import { parseMatrix } from '../rebalancing/planning/travel.ts';
import { asLang, systemLang } from '../platform/output/lang.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';
import { parseDuration } from './route.ts';
import { parseInstant } from './targets.ts';

export interface PlanCliOptions extends CommonOptions {
  system?: string;
  fleet?: string;
  at?: string;
  zones?: string;
  matrix?: string;
  timeLimit: string;
  seed: string;
  iterations?: string;
  driveWeight: string;
  out?: string;
  allowStale?: boolean;
  lang?: string;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${what} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function nonNegativeInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UserError(`${what}: expected an integer >= 0, got '${text}'`);
  return n;
}

/** The command's work, apart from printing: flags to typed options, the files read, the stage called. */
export async function runPlan(store: Store, opts: PlanCliOptions): Promise<PlanRunResult> {
  if (!opts.system) throw new UserError('--system is required');
  if (!opts.fleet) throw new UserError('--fleet is required (a fleet file: see docs/planning.md)');
  const driveWeight = Number(opts.driveWeight);
  if (!(driveWeight >= 0)) throw new UserError(`--drive-weight: expected a number >= 0 (expected failures per hour of driving), got '${opts.driveWeight}'`);
  return planTargetRun(store, {
    system: opts.system, fleet: { text: readText(opts.fleet, 'fleet file'), file: opts.fleet },
    ...(opts.at === undefined ? {} : { atS: parseInstant(opts.at, '--at', await systemTimezone(store, asSystemId(opts.system))) }),
    ...(opts.zones === undefined ? {} : { zones: opts.zones }),
    ...(opts.matrix ? { matrix: parseMatrix(readText(opts.matrix, 'matrix file'), opts.matrix), matrixName: opts.matrix } : {}),
    timeLimitS: parseDuration(opts.timeLimit), seed: nonNegativeInt(opts.seed, '--seed'), driveWeight,
    ...(opts.iterations === undefined ? {} : { maxIterations: nonNegativeInt(opts.iterations, '--iterations') }),
    allowStale: opts.allowStale === true, log: (m) => { if (!opts.quiet) process.stderr.write(m + '\n'); },
  });
}

/** out/plans/<system>/<at>/ (at as 20250602T0800Z) unless --out names a folder. */
export function planDir(opts: PlanCliOptions, plan: Plan): string {
  if (opts.out) return opts.out;
  const stamp = new Date(Date.parse(plan.at)).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
  return join('out', 'plans', plan.system, stamp);
}

export function registerRoutePlan(route: Command): void {
  withCommonOptions(
    route
      .command('plan')
      .description('the operational plan from the latest targets: which truck visits which stations, in what order, collecting or dropping how many bikes, arriving when')
      .option('--system <name>', 'the system (required)')
      .option('--fleet <file>', 'the fleet file (required; see docs/planning.md)')
      .option('--at <time>', 'when the trucks leave (ISO 8601); the latest target run at or before it is used (default: the latest run, at its time)')
      .option('--zones <name>', 'plan zone by zone with a zone set stored by `urbanlab zones` (trucks on the road go to the nearest zone; a fleet of another size is re-apportioned)')
      .option('--matrix <file>', 'travel times from a matrix file (OSRM table JSON with "ids"; see docs/planning.md) instead of haversine x detour')
      .option('--time-limit <duration>', 'planning budget (e.g. 30s, 2m)', '30s')
      .option('--seed <n>', 'random seed (same seed and --iterations: same plan)', '1')
      .option('--iterations <n>', 'iteration budget of the improvement phase (stops at whichever of time and iterations comes first)')
      .option('--drive-weight <x>', 'expected failures one hour of driving is worth (the objective\'s weight on driving time)', String(DEFAULT_DRIVE_WEIGHT))
      .option('--out <dir>', 'folder for plan.json (default out/plans/<system>/<at>/)')
      .option('--allow-stale', 'plan an --at more than a day after the latest status anyway (its age is said either way)')
      .option('--lang <ko|en>', "the drivers' sheets' language (default: the system's: Korean for Seoul, English elsewhere)"),
  ).action(async (opts: PlanCliOptions) => {
    const chosen = opts.lang === undefined ? undefined : asLang(opts.lang);
    if (opts.lang !== undefined && chosen === undefined) throw new UserError(`--lang: expected ko or en, got '${opts.lang}'`);
    const { r, lang } = await withStore(opts, async (store) => ({
      r: await runPlan(store, opts),
      lang: chosen ?? systemLang(await systemTimezone(store, asSystemId(opts.system!))),
    }));
    const dir = planDir(opts, r.plan);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'plan.json');
    writeFileSync(file, JSON.stringify(r.plan, null, 2) + '\n');
    // Beside plan.json: plan.geojson, sheets.html, and a CSV and an HTML sheet per driver.
    const written = writePlanOutputs(r.plan, dir, { lang });
    if (!opts.quiet) process.stderr.write(`plan ${r.planId}: ${file}; maps and driver sheets: ${written.map((f) => basename(f)).join(', ')}\n`);
    emit(opts, r.plan, () => {
      const p = r.plan;
      const cut = p.expected_failures_before - p.expected_failures_after;
      const gcut = p.expected_failures_before - p.greedy_failures_after;
      const lines = [
        `Plan ${r.planId} for ${p.system} at ${p.at} from target run ${p.target_run} (${p.horizon_minutes} min horizon); ${r.stations} stations, travel: ${r.travel}.`,
        `Expected failures over the horizon: ${formatNumber(p.expected_failures_before)} before, ${formatNumber(p.expected_failures_after)} after the plan (-${formatNumber(cut)}), ${formatNumber(p.greedy_failures_after)} after the greedy dispatcher (-${formatNumber(gcut)})${gcut > 0 ? `: the plan cuts ${(cut / gcut).toFixed(2)}x as much` : ''}.`,
        `Planned in ${r.seconds.toFixed(1)} s (${formatNumber(r.iterations)} iterations); skipped stations: ${Object.entries(r.skipped).map(([k, v]) => `${v} ${k.replace(/_/g, ' ')}`).join(', ')}.`,
        ...p.undone.map((u) => `Left undone: ${u}.`),
        '',
        table(p.routes.map((rt) => ({
          truck: rt.truck, stops: rt.stops.length,
          collected: rt.stops.reduce((x, s) => x + (s.collect ?? 0), 0), dropped: rt.stops.reduce((x, s) => x + (s.drop ?? 0), 0),
          ...(rt.zone !== undefined ? { zone: rt.zone } : {}),
          driving_min: rt.driving_minutes, handling_min: rt.handling_minutes, back_at: rt.stops.length ? rt.end.slice(11, 16) : '',
          first_stops: rt.stops.slice(0, 4).map((s) => `${s.number ?? s.station_id} ${s.collect ? '+' + s.collect : '-' + s.drop}`).join(', '),
        }))),
        '',
        `Every stop (station, count, arrival, load after) is in ${file}.`,
      ];
      return lines.join('\n');
    });
  });
}

// `urbanlab targets` (stage 3, safety stock 안전재고량): per-station target intervals, classes and
// expected-failure curves, stored as a run; `urbanlab targets replay` judges them on real demand.
import { asSystemId } from '../platform/ids.ts';
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { parseTime } from '../platform/time/index.ts';
import { defaultCapacityPolicy, parseCapacityPolicy, type CapacityPolicy } from '../rebalancing/targets/capacity.ts';
import { replayPeriod, type ReplayPeriodOptions } from '../rebalancing/targets/replay-period.ts';
import { computeTargetRun, type RatesChoice, type TargetRunOptions } from '../rebalancing/targets/run.ts';
import { DEFAULT_HISTORY } from '../rebalancing/targets/historical-rates.ts';
import { DEFAULT_POINTS } from '../rebalancing/targets/station-targets.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { idList, inServiceJson } from '../platform/stations/in-service.ts';
import { statusAgeJson } from '../platform/status/age.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface TargetsOptions extends CommonOptions {
  system?: string;
  at?: string;
  horizon: string;
  step: string;
  service: string;
  overflow?: string;
  points: string;
  rates: string;
  weeks: string;
  runId?: string;
  out?: string;
  station?: string;
  allowStale?: boolean;
}

interface ReplayOptions extends CommonOptions {
  system: string;
  from: string;
  to: string;
  horizon: string;
  step: string;
  service: string;
  overflow?: string;
  points: string;
  weeks: string;
  truckThreshold: string;
  rates?: string;
  refitHours?: string;
  maxRows?: string;
}

function say(opts: CommonOptions, msg: string): void {
  if (!opts.quiet) process.stderr.write(msg + '\n');
}

/** A time flag in epoch seconds, read by the one rule of src/platform/time in `timeZone`. */
export function parseInstant(value: string, what: string, timeZone: string): number {
  return parseTime(value, timeZone, what) / 1000;
}

/** "3h", "90m", "1h30m" or plain minutes. */
export function parseMinutes(value: string, what: string): number {
  const v = value.trim();
  let m: RegExpExecArray | null;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  if ((m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+)m(?:in)?)?$/.exec(v)) && (m[1] || m[2])) return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  throw new UserError(`${what}: cannot read '${value}' as a duration (e.g. 3h, 90m, 1h30m)`);
}

function serviceLevel(value: string): number {
  const s = Number(value);
  if (!(s > 0 && s < 1)) throw new UserError(`--service must be a probability between 0 and 1 (exclusive), not '${value}'`);
  return s;
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${what} must be a positive integer, not '${value}'`);
  return n;
}

function policyOf(system: string, overflow: string | undefined): CapacityPolicy {
  try {
    return overflow === undefined ? defaultCapacityPolicy(system) : parseCapacityPolicy(overflow);
  } catch (err) {
    throw new UserError(`--overflow: ${(err as Error).message}`);
  }
}

/** The command's flags as the stage's typed options. */
function targetRunOptions(opts: TargetsOptions, timeZone: string): TargetRunOptions {
  if (!opts.system) throw new UserError('--system is required');
  if (!opts.at) throw new UserError('--at is required (the time whose status is `current`)');
  const horizonMinutes = parseMinutes(opts.horizon, '--horizon');
  const stepMinutes = parseMinutes(opts.step, '--step');
  if (!(horizonMinutes > 0 && stepMinutes > 0)) throw new UserError('--horizon and --step must be > 0');
  if (!['auto', 'forecast', 'historical'].includes(opts.rates)) throw new UserError(`--rates must be auto, forecast or historical, not '${opts.rates}'`);
  return {
    system: opts.system, atS: parseInstant(opts.at, '--at', timeZone), horizonMinutes, stepMinutes, service: serviceLevel(opts.service),
    points: positiveInt(opts.points, '--points'), weeks: positiveInt(opts.weeks, '--weeks'), policy: policyOf(opts.system, opts.overflow),
    rates: opts.rates as RatesChoice, log: (m) => say(opts, m), allowStale: opts.allowStale === true,
    ...(opts.runId ? { runId: opts.runId } : {}),
    ...(opts.out ? { chartsDir: opts.out } : {}),
    ...(opts.station ? { chartStations: opts.station.split(',').map((x) => x.trim()).filter(Boolean) } : {}),
  };
}

export function registerTargets(program: Command): void {
  const cmd = withCommonOptions(
    program.command('targets').description('safety stock per station: the [min, max] bikes to hold over a horizon, the class of the current bikes, expected failures; stored as a run'),
  )
    .option('--system <name>', 'the system')
    .option('--at <time>', 'the time of `current` and the start of the horizon (ISO 8601, UTC unless an offset is given)')
    .option('--horizon <duration>', 'horizon', '3h')
    .option('--step <duration>', 'model step (rates are piecewise constant per step)', '15m')
    .option('--service <p>', 'service level: P(empty) and P(full) over the horizon stay within 1 - p', '0.9')
    .option('--overflow <allowance>', 'soft capacity: "50%" or a number of bikes beyond the racks; "hard" for docks (default: 50% for seoul, hard elsewhere)')
    .option('--points <n>', 'gamma quadrature points per rate factor (the forecast spread); 1 ignores the spread', String(DEFAULT_POINTS))
    .option('--rates <source>', 'auto (stored forecast, else historical average), forecast, historical', 'auto')
    .option('--weeks <n>', 'weeks of history for the historical-average rates', String(DEFAULT_HISTORY.weeks))
    .option('--run-id <id>', 'name of the stored run (default: system, time, horizon, service)')
    .option('--out <dir>', 'write charts (SVG + PNG): the map of stations by class and failure curves')
    .option('--station <ids>', 'with --out: failure curves of these stations (comma-separated; default: the one with most expected failures)')
    .option('--allow-stale', 'compute at an --at more than a day after the latest status anyway (its age is said either way)')
    .action(async (opts: TargetsOptions) => {
      const run = await withStore(opts, async (store) => computeTargetRun(store, targetRunOptions(opts, await systemTimezone(store, asSystemId(opts.system ?? '')))));
      const stations = run.targets.filter((t) => t.class !== null).map((t) => ({
        station_id: t.station_id, current: t.current, min: t.min, max: t.max, class: t.class, bring: t.bring, take: t.take,
        expected_failures: t.expected_failures === null ? null : Number(t.expected_failures.toFixed(4)),
        district: t.district, capacity: t.capacity, feasible: t.feasible,
      }));
      emit(opts, { stations, run_id: run.runId, rates: run.ratesName, summary: run.summary.system, districts: run.summary.districts, skipped: run.skipped, ...(run.inService ? { in_service: inServiceJson(run.inService) } : {}), ...(run.statusAge ? { status_age: statusAgeJson(run.statusAge) } : {}), compute_seconds: run.seconds, ...(opts.out ? { charts: run.charts } : {}) }, () => {
        const s = run.summary.system;
        const worst = [...stations].sort((a, b) => (b.expected_failures ?? 0) - (a.expected_failures ?? 0)).slice(0, 15);
        return [
          `Run ${run.runId} (rates: ${run.ratesName}); ${run.targets.length} stations in ${formatNumber(run.seconds)} s.`,
          `Shortage ${s.shortage} (${(100 * s.shortage_ratio).toFixed(1)}%, bring ${s.bring}), surplus ${s.surplus} (${(100 * s.surplus_ratio).toFixed(1)}%, take ${s.take}), balanced ${s.balanced}.`,
          `Skipped: ${run.skipped.no_rates} without rates, ${run.skipped.no_racks} without racks or out of service (no bike, no free dock), ${run.skipped.no_status} without a status at --at, ${run.skipped.stale} stale (no status change in the day before --at${run.staleIds.length ? `: ${idList(run.staleIds)}` : ''}), ${run.skipped.unlisted} reporting but not in the station list at --at, ${run.skipped.silent} listed but never reporting.`,
          '', 'Most expected failures:', table(worst, ['station_id', 'district', 'current', 'min', 'max', 'class', 'bring', 'take', 'expected_failures']),
          ...(run.charts.length ? ['', `Charts: ${run.charts.join(', ')}`] : []),
        ].join('\n');
      });
    });

  withCommonOptions(cmd.command('replay').description('replay real observed demand: start each station mid-interval vs half full, share of station-horizons that ran empty/full'))
    .option('--system <name>', 'the system (required)')
    .option('--from <date>', 'first horizon start (ISO date or time, UTC; required)')
    .option('--to <date>', 'end of the replayed period (required)')
    .option('--horizon <duration>', 'horizon (back-to-back horizons)', '3h')
    .option('--step <duration>', 'model step', '15m')
    .option('--service <p>', 'service level', '0.9')
    .option('--overflow <allowance>', 'soft capacity allowance (see `targets`)')
    .option('--points <n>', 'gamma quadrature points per rate factor', String(DEFAULT_POINTS))
    .option('--weeks <n>', 'weeks of history before each horizon for its rates', String(DEFAULT_HISTORY.weeks))
    .option('--truck-threshold <n>', 'changes of at least this many bikes are truck moves, not demand', '8')
    .option('--rates <source>', 'auto (a stored stage-2 model fitted before --from, else historical average), forecast, historical', 'auto')
    .option('--refit-hours <n>', 'with forecast rates: refit the stage-2 model every n hours of the replay on the flows before each refit, as production would (default: one stored model fitted before --from)')
    .option('--max-rows <n>', 'with --refit-hours: training station-hours drawn at most per flow and fit', '300000')
    .action(async (own: ReplayOptions) => {
      // Commander hands options shared with `targets` (--system, --db, --json, ...) to the parent
      // when they follow `replay`: take both, the subcommand's own winning.
      const parent = cmd.opts<Partial<ReplayOptions>>();
      const given = (o: object) => Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && cmd.getOptionValueSource(k) !== 'default'));
      const opts = { ...own, ...given(parent) } as ReplayOptions;
      for (const k of ['system', 'from', 'to'] as const) if (!opts[k]) throw new UserError(`targets replay: --${k} is required`);
      const summary = await withStore(opts, async (store) => replayPeriod(store, replayOptions(opts, await systemTimezone(store, asSystemId(opts.system)))));
      emit(opts, summary, () => [
        `Replayed ${summary.station_horizons} station-horizons (${summary.horizons} horizons; rates: ${summary.rates}, each from data before it).`,
        `Service: nominal ${summary.nominal}, realised ${(summary.realised).toFixed(3)} (model predicted ${summary.predicted.toFixed(3)}), half full ${summary.realised_half_full.toFixed(3)}.`,
        `Failures: ${summary.failures} from mid-interval starts vs ${summary.failures_half_full} half full (${(100 * summary.failure_reduction).toFixed(1)}% fewer).`,
        `Started at the interval's edges instead: min ${summary.edges.min.realised.toFixed(3)} (predicted ${summary.edges.min.predicted.toFixed(3)}), max ${summary.edges.max.realised.toFixed(3)} (predicted ${summary.edges.max.predicted.toFixed(3)}).`,
        `Skipped: ${summary.skipped_no_data} not observed throughout, ${summary.skipped_no_history} without rates (two weeks of history), ${summary.skipped_out_of_service} out of service.`,
        '', 'Calibration at the mid starts (model risk of running empty or full vs the share that did):',
        table(summary.calibration.map((b) => ({ risk: `[${b.from}, ${b.to})`, station_horizons: b.station_horizons, predicted: b.mean_predicted_risk.toFixed(4), realised: b.realised_risk.toFixed(4) }))),
        '', 'Calibration at the edge starts (min and max):',
        table(summary.calibration_edges.map((b) => ({ risk: `[${b.from}, ${b.to})`, station_horizons: b.station_horizons, predicted: b.mean_predicted_risk.toFixed(4), realised: b.realised_risk.toFixed(4) }))),
      ].join('\n'));
    });
}

/** `targets replay`'s flags as the stage's typed options. */
export function replayOptions(opts: ReplayOptions, timeZone: string): ReplayPeriodOptions {
  const rates = opts.rates ?? 'auto';
  if (!['auto', 'forecast', 'historical'].includes(rates)) throw new UserError(`--rates must be auto, forecast or historical, not '${rates}'`);
  return {
    system: opts.system, fromS: parseInstant(opts.from, '--from', timeZone), toS: parseInstant(opts.to, '--to', timeZone), horizonMinutes: parseMinutes(opts.horizon, '--horizon'),
    stepMinutes: parseMinutes(opts.step, '--step'), service: serviceLevel(opts.service), points: positiveInt(opts.points, '--points'),
    weeks: positiveInt(opts.weeks, '--weeks'), truckThreshold: positiveInt(opts.truckThreshold, '--truck-threshold'), policy: policyOf(opts.system, opts.overflow),
    rates: rates as RatesChoice, log: (m) => say(opts, m),
    ...(opts.refitHours !== undefined ? { refitHours: positiveInt(opts.refitHours, '--refit-hours') } : {}),
    ...(opts.maxRows !== undefined ? { maxRows: positiveInt(opts.maxRows, '--max-rows') } : {}),
  };
}

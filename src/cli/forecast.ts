// `urbanlab forecast fit | predict | backtest | factors | plot`: stage 2, per-station demand.
import { asSystemId } from '../platform/ids.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { systemTimezone } from '../platform/store/systems.ts';
import { parseTime } from '../platform/time/index.ts';
import { defaultWindow, runBacktest } from '../rebalancing/forecast/backtest.ts';
import { HOUR_MS } from '../rebalancing/forecast/calendar.ts';
import type { ForecastRow } from '../rebalancing/forecast/predict.ts';
import { fitAndSave, predictAndSave, type FitOptions } from '../rebalancing/forecast/run.ts';
import { inServiceJson } from '../platform/stations/in-service.ts';
import { statusAgeJson } from '../platform/status/age.ts';
import { censoringExperiment } from '../rebalancing/forecast/censoring.ts';
import { LEVEL_PRIOR, NEIGHBOURS, PRIOR_HOURS } from '../rebalancing/forecast/neighbours.ts';
import { chooseStations, newStationExperiment, openedStations, openedStationScores, priorGrid } from '../rebalancing/forecast/new-stations.ts';
import { coveragePlot, forecastPlot, factorPlot, historyPlot } from '../rebalancing/forecast/plots.ts';
import { lastMonthsCutoffs, runMonthlyBacktest } from '../rebalancing/forecast/monthly.ts';
import { latestModel, loadBatchLaw, loadMonthlyPanel, loadPanel } from '../rebalancing/forecast/store.ts';
import { toCsv } from '../platform/output/csv.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface SystemOptions extends CommonOptions {
  system: string;
}

/** Progress lines on stderr (stdout stays for results). */
function say(opts: CommonOptions, msg: string): void {
  if (!opts.quiet) process.stderr.write(msg + '\n');
}


function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${what} must be a positive integer, not '${value}'`);
  return n;
}

/** The command's flags as the stage's typed fit options. */
function fitOptions(opts: SystemOptions & { to?: string; trees?: string; maxRows?: string }, timeZone: string): FitOptions {
  return {
    system: opts.system, log: (m) => say(opts, m),
    ...(opts.to ? { to: parseTime(opts.to, timeZone, '--to') } : {}),
    ...(opts.trees ? { trees: positiveInt(opts.trees, '--trees') } : {}),
    ...(opts.maxRows ? { maxRows: positiveInt(opts.maxRows, '--max-rows') } : {}),
  };
}

/** The long table as CSV: times in ISO 8601, numbers to six significant digits. */
function csvOf(rows: readonly ForecastRow[]): string {
  const cols = ['unique_id', 'ds', 'flow', 'horizon_h', 'y', 'lo-80', 'hi-80', 'lo-95', 'hi-95', 'distribution', 'mu', 'size'] as const;
  const cell = (r: ForecastRow, c: (typeof cols)[number]) => {
    const v = r[c];
    if (c === 'ds') return new Date(v as number).toISOString();
    return typeof v === 'number' ? Number(v.toPrecision(6)) : v;
  };
  return toCsv(rows.map((r) => Object.fromEntries(cols.map((c) => [c, cell(r, c)]))), cols);
}

export function registerForecast(program: Command): void {
  const fc = program.command('forecast').description('stage 2: per-station demand forecast (pickups, returns) with calibrated intervals');

  withCommonOptions(
    fc.command('fit').description('fit the station-hour model on the hourly flows and store it')
      .requiredOption('--system <name>', 'the system')
      .option('--to <time>', 'use only hours before this time (default: all)')
      .option('--trees <n>', 'boosting rounds per flow')
      .option('--max-rows <n>', 'training station-hours drawn at most per flow'),
  ).action(async (opts: SystemOptions & { to?: string; trees?: string; maxRows?: string }) => {
    const r = await withStore(opts, async (store) => fitAndSave(store, fitOptions(opts, await systemTimezone(store, asSystemId(opts.system)))));
    const summary = {
      model_id: r.modelId, model: r.saved.name, stations: r.saved.stations.length, data_from: new Date(r.saved.dataFrom).toISOString(),
      cutoff: new Date(r.saved.cutoff).toISOString(), fit_seconds: r.seconds,
      calibration_scale: { pickups: r.saved.flows.pickups.calibrationScale, returns: r.saved.flows.returns.calibrationScale },
    };
    emit(opts, summary, () => table([summary as unknown as Record<string, unknown>].map(({ calibration_scale, ...x }) => x)));
  });

  withCommonOptions(
    fc.command('predict').description('forecast every station for the coming hours and store the run')
      .requiredOption('--system <name>', 'the system')
      .requiredOption('--from <time>', 'the first forecast hour (only data before it are read)')
      .option('--hours <n>', 'hours ahead', '24')
      .option('--name <run>', 'run name (default: <system>-<from>)')
      .option('--csv', 'print the long table as CSV')
      .option('--allow-stale', 'forecast from a --from more than a day after the latest status anyway (its age is said either way)'),
  ).action(async (opts: SystemOptions & { from: string; hours: string; name?: string; csv?: boolean; allowStale?: boolean }) => {
    const hours = positiveInt(opts.hours, '--hours');
    const result = await withStore(opts, async (store) => predictAndSave(store, { system: opts.system, origin: Math.floor(parseTime(opts.from, await systemTimezone(store, asSystemId(opts.system)), '--from') / HOUR_MS) * HOUR_MS, hours, ...(opts.name ? { name: opts.name } : {}), allowStale: opts.allowStale === true, log: (m) => say(opts, m) }));
    if (opts.csv) {
      process.stdout.write(csvOf(result.rows));
      return;
    }
    const head = { run_id: result.runId, model_id: result.modelId, rows: result.rows.length, stations_unknown_to_model: result.dropped, stations_not_in_service: result.notInService, seconds: result.seconds };
    emit(opts, { ...head, in_service: inServiceJson(result.inService), status_age: statusAgeJson(result.statusAge), forecasts: result.rows.map((r) => ({ ...r, ds: new Date(r.ds).toISOString() })) }, () =>
      `${table([head])}\n\nFirst rows (all ${formatNumber(result.rows.length)} in table forecasts, run '${result.runId}'):\n` +
      table(result.rows.slice(0, 12).map((r) => ({ ...r, ds: new Date(r.ds).toISOString() }) as unknown as Record<string, unknown>)));
  });

  withCommonOptions(
    fc.command('backtest').description('rolling-origin backtest of the model against historical_average and seasonal_naive')
      .requiredOption('--system <name>', 'the system')
      .option('--from <date>', 'first cut-off (default: 8 weeks before the end of the data)')
      .option('--to <date>', 'end of the scored window (default: end of the data)')
      .option('--horizons <list>', 'hours ahead to score', '1,3,24')
      .option('--refit-hours <n>', 'refit the model every n hours', '168')
      .option('--origin-step <n>', 'forecast from every n-th hour', '1')
      .option('--max-rows <n>', 'training station-hours drawn at most per flow and fit')
      .option('--trees <n>', 'boosting rounds per flow')
      .option('--plots <dir>', 'also write SVG plots (forecast vs actual, coverage by horizon) there'),
  ).action(async (opts: SystemOptions & { from?: string; to?: string; horizons: string; refitHours: string; originStep: string; maxRows?: string; trees?: string; plots?: string }) => {
    const horizons = opts.horizons.split(',').map((h) => positiveInt(h.trim(), '--horizons'));
    if (horizons.some((h) => h > 24)) throw new UserError('--horizons: at most 24 hours ahead');
      const out = await withStore(opts, async (store) => {
      const zone = await systemTimezone(store, asSystemId(opts.system));
      const panel = await loadPanel(store, opts.system, { to: opts.to ? parseTime(opts.to, zone, '--to') : undefined });
      const w = defaultWindow(panel);
      const from = opts.from ? Math.max(0, Math.round((parseTime(opts.from, zone, '--from') - panel.start) / HOUR_MS)) : w.from;
      if (from >= w.to) throw new UserError('--from lies after the end of the data');
      // Group sizes in the scored window, for the clustered noise floor (none without status rows).
      const batches = await loadBatchLaw(store, opts.system, panel.start + from * HOUR_MS, panel.start + w.to * HOUR_MS);
      const r = runBacktest(panel, {
        batches,
        from, to: w.to, horizons: opts.plots ? [...new Set([...horizons, ...Array.from({ length: 24 }, (_, i) => i + 1)])].sort((a, b) => a - b) : horizons,
        refitHours: positiveInt(opts.refitHours, '--refit-hours'), originStep: positiveInt(opts.originStep, '--origin-step'),
        model: { ...(opts.maxRows ? { maxTrainRows: positiveInt(opts.maxRows, '--max-rows') } : {}), ...(opts.trees ? { gbdt: { trees: positiveInt(opts.trees, '--trees') } } : {}) },
        onProgress: (m) => say(opts, m),
      });
      if (opts.plots) {
        mkdirSync(opts.plots, { recursive: true });
        writeFileSync(join(opts.plots, 'coverage_by_horizon.svg'), coveragePlot(r));
        writeFileSync(join(opts.plots, 'forecast_vs_actual.svg'), forecastPlot(panel, r));
      }
      const keep = new Set(horizons);
      return {
        system: opts.system, window: { from: new Date(panel.start + from * HOUR_MS).toISOString(), to: new Date(panel.start + w.to * HOUR_MS).toISOString() },
        cutoffs: r.cutoffs.map((c) => new Date(panel.start + c * HOUR_MS).toISOString()),
        batch_law: batches,
        metrics: r.metrics.filter((m) => keep.has(m.horizon_h)), by_flow: r.by_flow.filter((m) => keep.has(m.horizon_h)),
      };
    });
    emit(opts, out, () => `Backtest ${out.system}, ${out.window.from} .. ${out.window.to}, ${out.cutoffs.length} cut-off(s)\n` + table(out.metrics as unknown as Record<string, unknown>[]));
  });

  withCommonOptions(
    fc.command('backtest-monthly').description('rolling-origin backtest of per-station monthly rentals and returns (station_monthly, from import seoul-usage)')
      .requiredOption('--system <name>', 'the system')
      .option('--cutoffs <n>', 'the last n months are cut-offs (the model is refitted at each)', '12')
      .option('--from <month>', 'first cut-off (YYYY-MM; overrides --cutoffs, cut-offs run to the last month)')
      .option('--horizons <list>', 'months ahead to score', '1,3')
      .option('--trees <n>', 'boosting rounds per flow'),
  ).action(async (opts: SystemOptions & { cutoffs: string; from?: string; horizons: string; trees?: string }) => {
    const horizons = opts.horizons.split(',').map((h) => positiveInt(h.trim(), '--horizons'));
    if (horizons.some((h) => h > 12)) throw new UserError('--horizons: at most 12 months ahead (the seasonal step needs the same months a year earlier)');
    const out = await withStore(opts, async (store) => {
      const panel = await loadMonthlyPanel(store, opts.system);
      let cutoffs = lastMonthsCutoffs(panel, positiveInt(opts.cutoffs, '--cutoffs'));
      if (opts.from) {
        const i = panel.months.indexOf(opts.from);
        if (!/^\d{4}-\d{2}$/.test(opts.from) || i < 0) throw new UserError(`--from: '${opts.from}' is not a month of the data (${panel.months[0]} .. ${panel.months.at(-1)}; use YYYY-MM)`);
        cutoffs = panel.months.map((_, k) => k).filter((k) => k >= i);
      }
      if (cutoffs[0]! < 6) throw new UserError(`the first cut-off needs at least 6 months before it (data from ${panel.months[0]})`);
      const t0 = Date.now();
      const r = runMonthlyBacktest(panel, { cutoffs, horizons, model: opts.trees ? { gbdt: { trees: positiveInt(opts.trees, '--trees') } } : {}, onProgress: (m) => say(opts, m) });
      return {
        system: opts.system, data: { from: panel.months[0], to: panel.months.at(-1), stations: panel.stations.length },
        cutoffs: r.cutoffs, scored: r.scored, seconds: (Date.now() - t0) / 1000, metrics: r.metrics, by_flow: r.by_flow,
      };
    });
    emit(opts, out, () => `Monthly backtest ${out.system} (${out.data.stations} stations, ${out.data.from} .. ${out.data.to}), ${out.cutoffs.length} cut-off(s) ${out.cutoffs[0]} .. ${out.cutoffs.at(-1)}\n` +
      table(out.metrics.map((m) => ({ model: m.model, horizon_m: m.horizon_m, segment: m.segment, n: m.n, mae: m.mae, rmse: m.rmse, r2: m.r2, pinball: m.pinball, coverage_80: m.coverage_80, coverage_95: m.coverage_95 }))));
  });

  withCommonOptions(
    fc.command('factors').description('which demand factors matter and by how much (from the last fit)')
      .requiredOption('--system <name>', 'the system')
      .option('--plot <file>', 'also write an SVG of the factor importance'),
  ).action(async (opts: SystemOptions & { plot?: string }) => {
    const m = await withStore(opts, async (store) => (await latestModel(store, opts.system)) ?? (await fitAndSave(store, fitOptions(opts, await systemTimezone(store, asSystemId(opts.system))))));
    const f = m.saved.factors;
    if (opts.plot) writeFileSync(opts.plot, factorPlot(f));
    emit(opts, { model_id: m.modelId, factors: f }, () =>
      (['pickups', 'returns'] as const).map((flow) => `${flow} (held-out permutation importance over ${f[flow].rows} station-hours):\n` +
        table(f[flow].importance as unknown as Record<string, unknown>[]) + '\nprofile effects: ' + JSON.stringify(f[flow].profile) +
        (f[flow].weather.length ? '\nweather (rate ratio): ' + f[flow].weather.map((w) => `${w.feature}=${w.value}: ${w.rate_ratio.toFixed(3)}`).join(', ') : '')).join('\n\n'));
  });

  withCommonOptions(
    fc.command('new-stations').description('hide chosen stations\' history before the cut-off and score their first weeks (0, 7, 28 days, all); --opened: score the stations that really opened inside the data by age')
      .requiredOption('--system <name>', 'the system')
      .option('--stations <n>', 'stations drawn, one per volume group (seeded)', '40')
      .option('--seed <n>', 'seed of the station draw', '1')
      .option('--weeks <n>', 'weeks scored after the cut-off', '4')
      .option('--cutoff <time>', 'the cut-off (default: --weeks before the end of the data)')
      .option('--history <list>', 'days of history left (\'all\' = none hidden)', '0,7,28,all')
      .option('--horizon <h>', 'hours ahead scored', '3')
      .option('--max-rows <n>', 'training station-hours drawn at most per flow and fit', '300000')
      .option('--prior-hours <x>', 'profile shrinkage: observations of a cell the prior is worth (default: the model\'s)')
      .option('--level-prior <x>', 'profile shrinkage: expected counts the neighbourhood level is worth, 0 = no level step (default: the model\'s)')
      .option('--opened', 'score the stations that opened inside the data (rolling backtest, by weeks since opening)')
      .option('--from <time>', 'with --opened: first cut-off (default: the first opening)')
      .option('--refit-hours <n>', 'with --opened: refit every n hours', '168')
      .option('--plot <file>', 'also write an SVG of the error by days of history')
      .option('--prior-grid', 'score the profile alone (no fits) under several priors and shrinkage settings, for choosing them at an earlier cut-off'),
  ).action(async (opts: SystemOptions & { stations: string; seed: string; weeks: string; cutoff?: string; history: string; horizon: string; maxRows: string; priorHours?: string; levelPrior?: string; opened?: boolean; from?: string; refitHours: string; plot?: string; priorGrid?: boolean }) => {
    const horizon = positiveInt(opts.horizon, '--horizon');
    if (horizon > 24) throw new UserError('--horizon: at most 24 hours ahead');
    const nonNegative = (v: string, what: string) => {
      const x = Number(v);
      if (!Number.isFinite(x) || x < 0) throw new UserError(`${what} must be a number >= 0, not '${v}'`);
      return x;
    };
    const model = {
      maxTrainRows: positiveInt(opts.maxRows, '--max-rows'),
      ...(opts.priorHours !== undefined ? { priorHours: nonNegative(opts.priorHours, '--prior-hours') } : {}),
      ...(opts.levelPrior !== undefined ? { levelPrior: nonNegative(opts.levelPrior, '--level-prior') } : {}),
    };
    const [panel, zone] = await withStore(opts, async (store) => [await loadPanel(store, opts.system), await systemTimezone(store, asSystemId(opts.system))] as const);
    const iso = (t: number) => new Date(panel.start + t * HOUR_MS).toISOString();
    if (opts.opened) {
      const all = openedStations(panel);
      if (all.length === 0) throw new UserError(`no station of '${opts.system}' opened inside the data (first flows at least 28 days in, no older station on the same site)`);
      const from = opts.from ? Math.round((parseTime(opts.from, zone, '--from') - panel.start) / HOUR_MS) : Math.max(28 * 24, Math.min(...all.map((x) => x.first)));
      if (from < 28 * 24 || from >= panel.hours) throw new UserError('--from: needs 28 days of data before it and must lie inside the data');
      // Only stations opening inside the window: each is then scored from its first week on.
      const opened = all.filter((x) => x.first >= from);
      if (opened.length === 0) throw new UserError('--from: no station opened after it');
      say(opts, `${opened.length} opened stations; rolling backtest ${iso(from)} .. ${iso(panel.hours)}, refit every ${opts.refitHours} h`);
      const rows = openedStationScores(panel, opened, { from, to: panel.hours, refitHours: positiveInt(opts.refitHours, '--refit-hours'), horizon, model, onProgress: (m) => say(opts, m) });
      const out = {
        system: opts.system, horizon_h: horizon, window: { from: iso(from), to: iso(panel.hours) },
        opened: opened.map((x) => ({ station_id: panel.stations[x.station], first_hour: iso(x.first) })), rows,
      };
      emit(opts, out, () => `Stations that opened inside the data (${opened.length}), ${horizon} h ahead, by weeks since opening:\n` + table(rows as unknown as Record<string, unknown>[]));
      return;
    }
    const weeks = positiveInt(opts.weeks, '--weeks');
    const cutoff = opts.cutoff ? Math.round((parseTime(opts.cutoff, zone, '--cutoff') - panel.start) / HOUR_MS) : panel.hours - weeks * 168;
    if (cutoff < 28 * 24 || cutoff >= panel.hours) throw new UserError('--cutoff: needs 28 days of data before it and must lie inside the data');
    const history = opts.history.split(',').map((x) => (x.trim() === 'all' ? ('all' as const) : nonNegative(x.trim(), '--history')));
    if (opts.priorGrid) {
      // The earlier rule (4, 0) and the chosen one (16, 5) for every neighbourhood size; the shrinkage grid for the 8 nearest.
      const both: [number, number][] = [[PRIOR_HOURS, LEVEL_PRIOR], [4, 0]];
      const grid: [number, number][] = [[4, 0], [8, 0], [16, 0], [4, 5], [8, 5], [16, 5], [32, 5], [16, 2], [16, 10], [16, 20]];
      const rows = [
        ...priorGrid(panel, cutoff, weeks, { neighbours: ['system', 4, 16, 32], historyDays: history, shrinkage: both }),
        ...priorGrid(panel, cutoff, weeks, { neighbours: [NEIGHBOURS], historyDays: history, shrinkage: grid }),
      ];
      const out = { system: opts.system, cutoff: iso(cutoff), scored_to: iso(Math.min(panel.hours, cutoff + weeks * 168)), rows };
      emit(opts, out, () => `Profile alone as the forecast, stations with 60+ days before ${out.cutoff}, scored to ${out.scored_to}:\n` + table(rows as unknown as Record<string, unknown>[]));
      return;
    }
    const chosen = chooseStations(panel, cutoff, positiveInt(opts.stations, '--stations'), positiveInt(opts.seed, '--seed'));
    say(opts, `hiding ${chosen.length} stations' history before ${iso(cutoff)} (${history.join(', ')} days left); ${new Set([...history, 'all']).size} fits`);
    const rows = newStationExperiment(panel, cutoff, chosen, history, { weeks, horizon, model, onProgress: (m) => say(opts, m) });
    if (opts.plot) writeFileSync(opts.plot, historyPlot(rows, `${opts.system}: ${chosen.length} stations, cut-off ${iso(cutoff).slice(0, 10)}, ${horizon} h ahead, next ${weeks} weeks`));
    const out = { system: opts.system, cutoff: iso(cutoff), scored_to: iso(Math.min(panel.hours, cutoff + weeks * 168)), horizon_h: horizon, stations: chosen.map((s) => panel.stations[s]), rows };
    emit(opts, out, () => `New stations (${chosen.length} stations, history hidden before the cut-off ${out.cutoff}, ${horizon} h ahead, all ${weeks} weeks):\n` +
      table(rows.filter((r) => r.week === 'all') as unknown as Record<string, unknown>[]) + '\n(--json has the rows of each week)');
  });

  withCommonOptions(
    fc.command('censoring').description('effect of treating empty (full) hours as censored, on the most often empty stations')
      .requiredOption('--system <name>', 'the system')
      .option('--weeks <n>', 'weeks scored', '2')
      .option('--share <x>', 'share of stations (most often empty)', '0.1')
      .option('--max-rows <n>', 'training station-hours drawn at most per flow and fit', '300000'),
  ).action(async (opts: SystemOptions & { weeks: string; share: string; maxRows: string }) => {
    const out = await withStore(opts, async (store) => {
      const panel = await loadPanel(store, opts.system);
      const weeks = positiveInt(opts.weeks, '--weeks');
      return { system: opts.system, rows: censoringExperiment(panel, { from: panel.hours - weeks * 168, to: panel.hours, horizons: [1, 3, 24], refitHours: weeks * 168, originStep: 1, model: { maxTrainRows: positiveInt(opts.maxRows, '--max-rows') }, onProgress: (m) => say(opts, m) }, Number(opts.share)) };
    });
    emit(opts, out, () => 'Pickups on the most often empty stations, scored on their uncensored hours:\n' + table(out.rows as unknown as Record<string, unknown>[]));
  });
}

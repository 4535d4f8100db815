// `urbanlab population ...`: living-population (생활인구) forecasts per 행정동.
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import type { Store } from '../platform/store/connection.ts';
import { MODEL_NAME, poolMetrics, type Metric } from '../population/backtest.ts';
import { measureFactors } from '../population/factors.ts';
import { backtestPeriod, forecastFrom } from '../population/run.ts';
import type { PopulationSeries } from '../population/series.ts';
import { writePopulationPlots } from '../population/demo.ts';
import { listDongs, loadSeries } from '../population/store.ts';
import { parseTime } from '../population/time.ts';
import { indexOf } from '../population/series.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface PopOptions extends CommonOptions {
  dong?: string;
  system: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerPopulation(program: Command): void {
  const pop = program.command('population').description('living population (생활인구) per 행정동: forecast, backtest, factors, plots');

  withCommonOptions(
    pop.command('forecast')
      .description('hourly forecast of the total and each sex x age band, with 80% and 95% intervals')
      .requiredOption('--from <time>', "first hour: '2022-07-01' (KST midnight), '2022-07-01T09:00' (KST) or an instant with its zone")
      .option('--hours <n>', 'how many hours', '168')
      .option('--dong <code>', '8-digit 행정동코드 (default: the only dong in the store)')
      .option('--system <name>', 'system the data belongs to', 'seoul'),
  ).action(async (opts: PopOptions & { from: string; hours: string }) => {
    const fromMs = parseTime(opts.from);
    if (fromMs === undefined || fromMs % 3_600_000 !== 0) throw new UserError(`--from ${opts.from}: expected a date or a time on the hour, e.g. 2022-07-01 or 2022-07-01T09:00`);
    const hours = Number(opts.hours);
    if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 60) throw new UserError(`--hours ${opts.hours}: a whole number from 1 to 1440`);
    const result = await withStore(opts, async (store) => {
      const s = await seriesFor(store, opts);
      try {
        return forecastFrom(s, fromMs, hours);
      } catch (err) {
        throw new UserError(`dong ${s.dong}: ${(err as Error).message}`);
      }
    }, 'read-only');
    emit(opts, result, () => {
      const rows = result.forecast.map((f) => ({ local_time: f.local_time, h: f.horizon_h, mean: Math.round(f.total.mean), 'lo-95': Math.round(f.total['lo-95']), 'lo-80': Math.round(f.total['lo-80']), 'hi-80': Math.round(f.total['hi-80']), 'hi-95': Math.round(f.total['hi-95']) }));
      return `Living population forecast, dong ${result.dong} (model ${result.model}; trained on data up to ${result.trained_until}).\n` +
        `Totals per hour; the 28 sex x age bands (adding up to the total) are in --json.\n${table(rows)}`;
    });
  });

  withCommonOptions(
    pop.command('backtest')
      .description('rolling-origin backtest at 1, 24 and 168 h against seasonal_naive and historical_average')
      .option('--dong <code>', 'one dong (default: every dong in the store, metrics pooled)')
      .option('--from <date>', 'first origin day (default: a year before the last day with data)')
      .option('--to <date>', 'last origin day (default: the last day with data)')
      .option('--step <hours>', 'hours between origins (25: origins walk through every hour of the day)', '25')
      .option('--system <name>', 'system the data belongs to', 'seoul'),
  ).action(async (opts: PopOptions & { from?: string; to?: string; step: string }) => {
    for (const [flag, v] of [['--from', opts.from], ['--to', opts.to]] as const) if (v !== undefined && !DATE.test(v)) throw new UserError(`${flag} ${v}: expected a date like 2021-07-01`);
    const step = Number(opts.step);
    if (!Number.isInteger(step) || step < 1) throw new UserError(`--step ${opts.step}: a whole number of hours`);
    const result = await withStore(opts, async (store) => {
      const dongs = opts.dong ? [opts.dong] : (await listDongs(store, opts.system)).map((d) => d.dong);
      if (dongs.length === 0) throw new UserError('no living-population data in the store: import it with `urbanlab import living-population <files...> --dong <code>`');
      const runs = [];
      for (const dong of dongs) {
        const s = await loadSeries(store, dong, opts.system);
        if (!s) throw new UserError(`no living-population data for dong ${dong}`);
        runs.push(backtestPeriod(s, opts.from, opts.to, step));
      }
      const metrics: Metric[] = runs.length === 1 ? runs[0]!.metrics : poolMetrics(runs.map((r) => r.metrics));
      return {
        metrics,
        dongs,
        from: runs[0]!.from,
        to: runs[0]!.to,
        step_h: step,
        origins: runs.reduce((n, r) => n + r.origins, 0),
        change_points: Object.fromEntries(runs.map((r) => [r.dong, r.change_points])),
        vs_better_baseline: improvement(metrics),
      };
    }, 'read-only');
    emit(opts, result, () =>
      `Backtest of ${MODEL_NAME} vs baselines, dong(s) ${result.dongs.join(', ')}, origins ${result.from}..${result.to} every ${step} h (${formatNumber(result.origins)} origins; MAPE in %):\n` +
      table(result.metrics.map((m) => ({ ...m, mae: Math.round(m.mae), mape: Math.round(m.mape * 100) / 100, coverage_80: Math.round(m.coverage_80 * 1000) / 1000, coverage_95: Math.round(m.coverage_95 * 1000) / 1000 }))) +
      '\n\nMAE below the better baseline: ' + result.vs_better_baseline.map((v) => `${v.horizon_h} h ${(v.mae_reduction * 100).toFixed(1)}%`).join(', ') +
      '\nLevel changes detected: ' + Object.entries(result.change_points).map(([d, c]) => `${d}: ${c.length ? c.join(', ') : 'none'}`).join('; '));
  });

  withCommonOptions(
    pop.command('factors')
      .description('what moves the series: hour, weekday, holidays, school vacations, season, the 2020 break')
      .option('--dong <code>', '8-digit 행정동코드 (default: the only dong in the store)')
      .option('--system <name>', 'system the data belongs to', 'seoul'),
  ).action(async (opts: PopOptions) => {
    const result = await withStore(opts, async (store) => {
      const s = await seriesFor(store, opts);
      return { dong: s.dong, ...measureFactors(s) };
    }, 'read-only');
    emit(opts, result, () => describeFactors(result));
  });

  withCommonOptions(
    pop.command('plot')
      .description('SVG plots: forecast vs actual for a week, the average day by day type, a choropleth of the dongs at one hour')
      .requiredOption('--out <dir>', 'folder for the SVG files')
      .option('--dong <code>', '8-digit 행정동코드 (default: the only dong in the store)')
      .option('--week <date>', 'first day of the forecast week (default: the last full week with data)')
      .option('--hour <time>', 'the hour of the choropleth (default: the last hour with data)')
      .option('--boundaries <file>', 'dong boundaries GeoJSON (adm_cd2, adm_nm)', '')
      .option('--system <name>', 'system the data belongs to', 'seoul'),
  ).action(async (opts: PopOptions & { out: string; week?: string; hour?: string; boundaries: string }) => {
    const written = await withStore(opts, async (store) => {
      const s = await seriesFor(store, opts);
      const weekMs = opts.week ? parseTime(opts.week) : undefined;
      if (opts.week && (weekMs === undefined || !Number.isInteger(indexOf(s, weekMs)))) throw new UserError(`--week ${opts.week}: expected a date like 2022-06-20`);
      const hourMs = opts.hour ? parseTime(opts.hour) : undefined;
      if (opts.hour && (hourMs === undefined || hourMs % 3_600_000 !== 0)) throw new UserError(`--hour ${opts.hour}: expected a time on the hour, e.g. 2022-06-22T14:00`);
      return writePopulationPlots(store, s, opts.out, { system: opts.system, weekMs, hourMs, boundaries: opts.boundaries || undefined });
    }, 'read-only');
    emit(opts, { files: written }, () => `Wrote:\n${written.map((f) => `  ${f}`).join('\n')}`);
  });
}

async function seriesFor(store: Store, opts: PopOptions): Promise<PopulationSeries> {
  let dong = opts.dong;
  if (dong === undefined) {
    const dongs = await listDongs(store, opts.system);
    if (dongs.length !== 1) throw new UserError(dongs.length === 0 ? 'no living-population data in the store' : `${dongs.length} dongs in the store: give --dong <code>`);
    dong = dongs[0]!.dong;
  }
  const s = await loadSeries(store, dong, opts.system);
  if (!s) throw new UserError(`no living-population data for dong ${dong}`);
  return s;
}

function improvement(metrics: Metric[]): Array<{ horizon_h: number; better_baseline: string; mae_reduction: number }> {
  const hs = [...new Set(metrics.map((m) => m.horizon_h))];
  return hs.map((h) => {
    const model = metrics.find((m) => m.model === MODEL_NAME && m.horizon_h === h)!;
    const best = metrics.filter((m) => m.model !== MODEL_NAME && m.horizon_h === h).sort((a, b) => a.mae - b.mae)[0]!;
    return { horizon_h: h, better_baseline: best.model, mae_reduction: Math.round((1 - model.mae / best.mae) * 1000) / 1000 };
  });
}

function describeFactors(f: { dong: string } & ReturnType<typeof measureFactors>): string {
  const pct = (r: number) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  return [
    `Factors of dong ${f.dong}, ${f.span.from}..${f.span.to} (${formatNumber(f.span.hours)} h, ${formatNumber(f.span.missing_hours)} missing). Effects are ratios to the local level.`,
    `Hour of day (weekday / weekend+holiday, vs the day's mean):`,
    table(f.hour_of_day.map((h) => ({ hour: h.hour, weekday: pct(h.weekday), weekend_or_holiday: pct(h.weekend_or_holiday) }))),
    `Day (vs its week's mean): ` + f.weekday.map((w) => `${w.day} ${pct(w.ratio)}`).join(', '),
    `Holidays: ${pct(f.holiday.ratio)} over ${f.holiday.days} days (Seollal/Chuseok ${pct(f.holiday.lunar_ratio)}, others ${pct(f.holiday.other_ratio)}; Sundays ${pct(f.holiday.sunday_ratio)})`,
    `School vacations (weekdays, vs the 91-day mean): vacation ${pct(f.school_vacation.weekday_ratio_vacation)}, term ${pct(f.school_vacation.weekday_ratio_term)}; ages 10-19 in weekday daytime ${(f.school_vacation.youth_share_daytime_vacation * 100).toFixed(1)}% vs ${(f.school_vacation.youth_share_daytime_term * 100).toFixed(1)}%: ${f.school_vacation.note}`,
    `Season (month vs the centred 12-month mean): ` + f.season.map((m) => `${m.month}: ${pct(m.ratio)}`).join(', '),
    `2020 break: level ${formatNumber(f.covid_2020.level_2019)} (2019-03..2020-01) -> ${formatNumber(f.covid_2020.level_2020_03_12)} (2020-03..12), ${pct(1 + f.covid_2020.change)}; weekday day/night ratio ${f.covid_2020.day_night_2019} -> ${f.covid_2020.day_night_2020_03_12}; change detector fired on ${f.covid_2020.change_points.join(', ') || 'no day'}`,
    `In the model: ` + f.in_the_model.join('; '),
  ].join('\n');
}

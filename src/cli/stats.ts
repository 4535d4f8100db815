// `urbanlab stats`: stage 1, basic statistics (기초통계): usage by hour, weekday, weather and
// station, station imbalance classes, and charts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { parseDate } from '../platform/time/index.ts';
import { DEFAULT_RULE } from '../rebalancing/stats/imbalance.ts';
import { runStats } from '../rebalancing/stats/run.ts';
import { toCsv } from '../platform/output/csv.ts';
import { describeReport, reportTables } from '../rebalancing/stats/tables.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface StatsCliOptions extends CommonOptions {
  system: string;
  from?: string;
  to?: string;
  threshold: string;
  minVolume: string;
  top: string;
  csv?: string;
  out?: string;
}


export function registerStats(program: Command): void {
  withCommonOptions(
    program
      .command('stats')
      .description('stage 1 statistics: usage by hour, day type, weekday, weather and station; imbalance classes; charts')
      .requiredOption('--system <name>', 'the system to report on')
      .option('--from <date>', 'first local date (YYYY-MM-DD), inclusive')
      .option('--to <date>', 'last local date (YYYY-MM-DD), inclusive')
      .option('--threshold <x>', 'imbalance: |net| / (pickups + returns) above this is source or sink', String(DEFAULT_RULE.threshold))
      .option('--min-volume <n>', 'imbalance: stations with fewer pickups + returns are balanced', String(DEFAULT_RULE.minVolume))
      .option('--top <n>', 'how many of the most imbalanced stations get net flow by hour', '10')
      .option('--csv <dir>', 'write every table as CSV into this folder')
      .option('--out <dir>', 'write the charts (SVG and PNG) into this folder'),
  ).action(async (opts: StatsCliOptions) => {
    const period = { from: checkDate(opts.from, '--from'), to: checkDate(opts.to, '--to') };
    if (period.from && period.to && period.from > period.to) throw new UserError(`--from ${period.from} is after --to ${period.to}`);
    const rule = { threshold: checkNumber(opts.threshold, '--threshold'), minVolume: checkNumber(opts.minVolume, '--min-volume') };
    const top = checkNumber(opts.top, '--top');
    const { report, charts } = await withStore(opts, async (store) => {
      let run;
      try {
        run = await runStats(store, opts.system, period, { rule, top });
      } catch (err) {
        if (err instanceof RangeError) throw new UserError(err.message);
        throw err;
      }
      const charts = opts.out ? await writeCharts(store, run, opts.out) : [];
      return { report: run.report, charts };
    }, 'copy-when-held');
    if (opts.csv) {
      mkdirSync(opts.csv, { recursive: true });
      for (const [name, rows] of Object.entries(reportTables(report))) writeFileSync(join(opts.csv, `${name}.csv`), toCsv(rows));
    }
    emit(opts, charts.length ? { ...report, charts } : report, () => {
      let s = describeReport(report);
      if (opts.csv) s += `\nCSV tables written to ${opts.csv}`;
      if (charts.length) s += `\nCharts written:\n${charts.map((c) => `  ${c}`).join('\n')}`;
      return s;
    });
  });
}

async function writeCharts(store: import('../platform/store/connection.ts').Store, run: Awaited<ReturnType<typeof runStats>>, dir: string): Promise<string[]> {
  const { renderCharts } = await import('../rebalancing/stats/charts/write.ts');
  return renderCharts(store, run, dir);
}

function checkDate(v: string | undefined, flag: string): string | null {
  if (v === undefined) return null;
  return parseDate(v, flag);
}

function checkNumber(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UserError(`${flag} must be a non-negative number, got '${v}'`);
  return n;
}

export interface DemoStatsOutcome {
  system: string;
  status: 'ok' | 'failed';
  dir: string;
  usage_source: string | null;
  station_source: string | null;
  rentals: number;
  stations: number;
  classes: Record<string, number>;
  files: string[];
  message?: string;
}

/** The Quick start's last step: stage 1 for every system in the store, charts and CSV under outRoot/<system>/. */
export async function demoStats(store: import('../platform/store/connection.ts').Store, outRoot: string, log: (s: string) => void): Promise<DemoStatsOutcome[]> {
  const systems = await store.all<{ system_id: string }>('SELECT system_id FROM systems ORDER BY system_id');
  const out: DemoStatsOutcome[] = [];
  for (const { system_id: system } of systems) {
    const dir = join(outRoot, system);
    try {
      const run = await runStats(store, system, { from: null, to: null });
      const files = await writeCharts(store, run, dir);
      mkdirSync(dir, { recursive: true });
      for (const [name, rows] of Object.entries(reportTables(run.report))) writeFileSync(join(dir, `${name}.csv`), toCsv(rows));
      writeFileSync(join(dir, 'report.json'), JSON.stringify(run.report, null, 1) + '\n');
      writeFileSync(join(dir, 'report.txt'), describeReport(run.report) + '\n');
      const r = run.report;
      out.push({
        system, status: 'ok', dir, usage_source: r.sources.usage, station_source: r.sources.stations, rentals: r.summary.rentals,
        stations: r.stations.length, classes: r.summary.classes, files: files.filter((f) => f.endsWith('.png')),
      });
      log(`- stats for ${system}: ${files.length / 2} chart(s), tables and report in ${dir}`);
    } catch (err) {
      out.push({ system, status: 'failed', dir, usage_source: null, station_source: null, rentals: 0, stations: 0, classes: {}, files: [], message: (err as Error).message });
      log(`- stats for ${system}: FAILED: ${(err as Error).message}`);
    }
  }
  return out;
}

export function describeDemoStats(rows: readonly DemoStatsOutcome[]): string {
  if (rows.length === 0) return '';
  const lines = ['', 'Stage 1 statistics (urbanlab stats):'];
  for (const r of rows) {
    if (r.status === 'failed') {
      lines.push(`  ${r.system}: failed: ${r.message}`);
      continue;
    }
    const c = r.classes;
    lines.push(
      `  ${r.system}: usage from ${r.usage_source ?? '-'} (${Math.round(r.rentals).toLocaleString('en-US')} rentals), ` +
        `${r.stations} stations from ${r.station_source ?? '-'} (${c['source'] ?? 0} source, ${c['sink'] ?? 0} sink, ${c['balanced'] ?? 0} balanced)`,
    );
    lines.push(`    charts, CSV tables and report: ${r.dir}`);
  }
  return lines.join('\n');
}

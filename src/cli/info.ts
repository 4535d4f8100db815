// `urbanlab info`: what the store holds.
import type { Command } from 'commander';
import { UserError } from '../platform/errors.ts';
import { recentRejects, summariseStore, type ImportRejects, type StoreSummary } from '../platform/store/info.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

interface InfoOptions extends CommonOptions {
  rejects?: string | true;
}

export function registerInfo(program: Command): void {
  withCommonOptions(
    program.command('info').description('what the store holds: systems, stations, periods, rows, imports')
      .option('--rejects [imports]', 'instead, the rejected rows of the last imports that rejected any (default 5): file, line, field, reason, text'),
  ).action(async (opts: InfoOptions) => {
    if (opts.rejects !== undefined) {
      const n = opts.rejects === true ? 5 : Number(opts.rejects);
      if (!Number.isInteger(n) || n < 1) throw new UserError(`--rejects must be a whole number of imports (1 or more), got '${String(opts.rejects)}'`);
      const rejects = await withStore(opts, (store) => recentRejects(store, n), 'copy-when-held');
      emit(opts, { rejects }, () => describeRejects(rejects));
      return;
    }
    const summary = await withStore(opts, summariseStore, 'copy-when-held');
    emit(opts, summary, () => describeStore(summary));
  });
}

/** Each import with rejects: its counts by reason, then the sample rows kept (file:line, field, reason, text). */
export function describeRejects(list: readonly ImportRejects[]): string {
  if (list.length === 0) return 'No import rejected any row.';
  return list.map((i) => {
    const head = `${i.file} (${i.kind}, ${i.system}, import ${i.import_id}, ${i.finished_at.slice(0, 16)}): ${formatNumber(i.rejected)} rejected: `
      + Object.entries(i.rejects).map(([r, n]) => `${formatNumber(n)} ${r}`).join(', ');
    const rows = i.rows.map((r) => `  ${r.line !== null ? `line ${r.line}` : '(no line)'}${r.field ? `, field '${r.field}'` : ''}: ${r.reason}${r.raw ? `: ${r.raw.replace(/\r?\n/g, ' ').slice(0, 160)}` : ''}`);
    const shown = i.rows.length < i.rejected ? [`  (${formatNumber(i.rows.length)} of ${formatNumber(i.rejected)} rows kept as samples: the first few of each reason)`] : [];
    return [head, ...rows, ...shown].join('\n');
  }).join('\n\n');
}

export function describeStore(s: StoreSummary): string {
  if (s.systems.length === 0) return 'The store is empty. Import data with `urbanlab import <kind> <files...>`.';
  const systems = table(
    s.systems.map((x) => ({
      system: x.system, stations: x.stations, trips: x.trips, status_rows: x.status_rows, hourly_flows: x.hourly_flows,
      station_months: x.station_months, system_hours: x.system_hours, weather_hours: x.weather_hours, population_hours: x.population_hours ? `${formatNumber(x.population_hours)} (${x.dongs} dong${x.dongs === 1 ? '' : 's'})` : 0,
      gaps: x.gaps ? `${x.gaps} (${formatNumber(x.gap_hours)} h)` : 0, from: x.from?.slice(0, 16) ?? '', to: x.to?.slice(0, 16) ?? '',
    })),
  );
  const rejected = s.imports.filter((i) => i.rejected > 0);
  const rej = rejected.length
    ? '\nRejected rows:\n' + rejected.map((i) => `  ${i.file} (${i.kind}): ` + Object.entries(i.rejects).map(([r, n]) => `${formatNumber(n)} ${r}`).join(', ')).join('\n')
    : '';
  const dups = s.imports.filter((i) => i.duplicates > 0);
  const dup = dups.length
    ? `\nDuplicates left out (already stored): ${formatNumber(s.duplicates)}\n` + dups.map((i) => `  ${i.file} (${i.kind}): ${formatNumber(i.duplicates)}`).join('\n')
    : '';
  return `Systems (times in UTC):\n${systems}\n\n${s.imports.length} file(s) imported.${rej}${dup}`;
}

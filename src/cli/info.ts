// `urbanlab info`: what the store holds.
import type { Command } from 'commander';
import { summariseStore, type StoreSummary } from '../platform/store/info.ts';
import { formatNumber, table } from '../platform/output/table.ts';
import { emit, withCommonOptions, withStore, type CommonOptions } from './common.ts';

export function registerInfo(program: Command): void {
  withCommonOptions(program.command('info').description('what the store holds: systems, stations, periods, rows, imports')).action(
    async (opts: CommonOptions) => {
      const summary = await withStore(opts, summariseStore, 'copy-when-held');
      emit(opts, summary, () => describeStore(summary));
    },
  );
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

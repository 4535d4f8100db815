// The report's tables by name (for --csv, written by platform/output/csv.ts) and as text for a
// person (without --json).
import { formatNumber, table } from '../../platform/output/table.ts';
import type { StatsReport } from './report.ts';
import { THIN_COVERAGE } from './by-hour.ts';
import { DAY_TYPES } from './types.ts';

/** Every array of the report, by the name used for its CSV file and JSON key. */
export function reportTables(r: StatsReport): Record<string, Record<string, unknown>[]> {
  return {
    by_hour_daytype: r.by_hour_daytype as unknown as Record<string, unknown>[],
    by_weekday: r.by_weekday as unknown as Record<string, unknown>[],
    by_hour_weekday: r.by_hour_weekday as unknown as Record<string, unknown>[],
    weather: r.weather as unknown as Record<string, unknown>[],
    monthly: r.monthly as unknown as Record<string, unknown>[],
    stations: r.stations as unknown as Record<string, unknown>[],
    station_net_by_hour: r.station_net_by_hour as unknown as Record<string, unknown>[],
  };
}

export function describeReport(r: StatsReport, maxStations = 20): string {
  const out: string[] = [];
  const span = r.span.from ? `${r.span.from} to ${r.span.to} (${r.span.days} days with data)` : 'no hourly data';
  out.push(`Stage 1 statistics: ${r.name ?? r.system} (${r.system}), times in ${r.timezone}, ${span}`);
  out.push(`Sources: usage from ${r.sources.usage ?? '-'}, stations from ${r.sources.stations ?? '-'}, weather response from ${r.sources.weather ?? '-'}`);
  out.push(`Rentals in the usage series: ${formatNumber(r.summary.rentals)}${r.summary.returns !== null ? `, returns ${formatNumber(r.summary.returns)}` : ''}`);
  out.push(`Day types: ${r.day_type_rule}.`);
  if (r.holidays.dates.length) out.push(`Holidays in the span: ${r.holidays.dates.map((d) => `${d.date} ${d.name}`).join('; ')}`);

  if (r.by_hour_daytype.length) {
    out.push('', `Rentals per day by hour of day and day type (mean over the observed time of days of that type; * = under ${Math.round(THIN_COVERAGE * 100)}% of those hours observed):`);
    const types = DAY_TYPES.filter((t) => r.by_hour_daytype.some((x) => x.day_type === t));
    const rows = Array.from({ length: 24 }, (_, hour) => {
      const row: Record<string, unknown> = { hour };
      for (const t of types) {
        const x = r.by_hour_daytype.find((y) => y.hour === hour && y.day_type === t);
        row[`${t} (${x?.days ?? 0} d)`] = x?.thin ? `${x.rentals_per_day}*` : x?.rentals_per_day ?? 0;
      }
      return row;
    });
    out.push(table(rows));
  }
  if (r.by_weekday.length) {
    out.push('', 'By weekday:');
    out.push(table(r.by_weekday.map(({ weekday, rentals, days, rentals_per_day, coverage }) => ({ weekday, rentals, days, rentals_per_day, coverage }))));
  }
  if (r.weather.length) {
    out.push('', 'By weather (relative = rentals / those of a typical hour of the same hour of day and day type):');
    out.push(table(r.weather.map(({ factor, band, unit, hours, rentals_per_hour, relative }) => ({ factor, band: `${band} ${unit}`, hours, rentals_per_hour, relative }))));
  }
  if (r.monthly.length) {
    out.push('', 'Month by month:');
    out.push(table(r.monthly as unknown as Record<string, unknown>[]));
  }
  if (r.stations.length) {
    const c = r.summary.classes;
    out.push('', `Stations (${r.stations.length}: ${c.source} source, ${c.sink} sink, ${c.balanced} balanced), the ${Math.min(maxStations, r.stations.length)} largest |net| first:`);
    out.push(`Rule: ${r.rule.text}`);
    const hasAvail = r.stations.some((s) => s.empty_share !== null);
    out.push(
      table(
        r.stations.slice(0, maxStations).map((s) => ({
          station_id: s.station_id, name: s.name ?? '', district: s.district ?? '', pickups: s.pickups, returns: s.returns, net: s.net, class: s.class,
          ...(hasAvail ? { empty: pct(s.empty_share), full: pct(s.full_share) } : {}),
        })),
      ),
    );
  }
  if (r.station_net_by_hour.length) {
    out.push('', 'Net flow (returns - pickups) per day by hour of day, most imbalanced stations:');
    const ids = [...new Set(r.station_net_by_hour.map((x) => x.station_id))];
    const rows = ids.map((id) => {
      const row: Record<string, unknown> = { station_id: id };
      for (const x of r.station_net_by_hour.filter((y) => y.station_id === id)) row[String(x.hour)] = Math.round(x.net_per_day * 10) / 10;
      return row;
    });
    out.push(table(rows));
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

function pct(x: number | null): string {
  return x === null ? '' : `${(x * 100).toFixed(1)}%`;
}

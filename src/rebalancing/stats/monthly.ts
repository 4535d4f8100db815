// Month-by-month trend: station-months summed per month, or a system-wide hourly series summed to
// local months. Months with no data are left out (not shown as zero).
import type { LocalHourTotal, MonthTotal } from './types.ts';

export interface MonthRow {
  month: string;
  rentals: number;
  returns: number | null;
  stations: number | null;
  source: string;
}

export function monthsFromHours(hours: readonly LocalHourTotal[]): MonthTotal[] {
  const m = new Map<string, { rentals: number; returns: number | null }>();
  for (const h of hours) {
    const k = h.date.slice(0, 7);
    const cur = m.get(k) ?? { rentals: 0, returns: h.returns === null ? null : 0 };
    cur.rentals += h.rentals;
    if (cur.returns !== null && h.returns !== null) cur.returns += h.returns;
    else cur.returns = null;
    m.set(k, cur);
  }
  return [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, v]) => ({ month, ...v }));
}

export function monthRows(months: readonly MonthTotal[], source: string): MonthRow[] {
  return [...months]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((x) => ({ month: x.month, rentals: x.rentals, returns: x.returns, stations: x.stations ?? null, source }));
}

// UTC instants to the system's local calendar (date, hour, weekday). Intl is the only time-zone
// database Node ships, so this uses it; results are cached per UTC hour because a year of a system
// is at most 8,784 distinct hours however many rows carry them.

export interface LocalClock {
  date: string; // YYYY-MM-DD
  hour: number; // 0..23
  weekday: number; // 0 = Monday .. 6 = Sunday
}

export type Localizer = (utcMs: number) => LocalClock;

const HOUR_MS = 3_600_000;

export function localizer(timeZone: string): Localizer {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const cache = new Map<number, LocalClock>();
  return (utcMs: number) => {
    // Every zone in use has whole-quarter-hour offsets, so minutes within the hour never move
    // the local hour; caching on the UTC hour is exact.
    const key = Math.floor(utcMs / HOUR_MS);
    const hit = cache.get(key);
    if (hit) return hit;
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(new Date(key * HOUR_MS))) parts[p.type] = p.value;
    const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
    const value: LocalClock = { date, hour: Number(parts['hour']), weekday: weekdayOf(date) };
    cache.set(key, value);
    return value;
  };
}

/** 0 = Monday .. 6 = Sunday for a calendar date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The calendar dates from `from` to `to` inclusive (YYYY-MM-DD). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  for (let t = Date.UTC(y, m - 1, d); ; t += 86_400_000) {
    const s = new Date(t).toISOString().slice(0, 10);
    if (s > to) break;
    out.push(s);
  }
  return out;
}

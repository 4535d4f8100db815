// Arrival times as a driver reads them: local wall-clock time. Plan times are ISO 8601 with the
// system's offset, so the wall clock is the text itself; given an IANA time zone instead, the
// instant is shown in that zone (for plans written with another offset, e.g. UTC 'Z').
import { readTime, wallClockOf } from '../../../platform/time/index.ts';

const pad = (n: number) => String(n).padStart(2, '0');

export function localClock(iso: string, timeZone?: string): { date: string; time: string } {
  if (!timeZone) {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
    if (!m) throw new Error(`not an ISO 8601 time: '${iso}'`);
    return { date: m[1]!, time: m[2]! };
  }
  const t = readTime(iso, timeZone);
  if (!t.ok) throw new Error(`not an ISO 8601 time: '${iso}'`);
  const w = wallClockOf(timeZone, t.ms);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

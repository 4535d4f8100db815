// The one rule for reading a time that a person or a file wrote: an explicit offset ('Z',
// '+09:00', '-0700') is taken as given; a time without one is the wall clock of the system's zone
// (the systems table's `timezone`), whatever the host's TZ; a date alone is local midnight; an
// impossible date or time (2023-02-30, 24:30) is an error, never rolled over to another day.
import { UserError } from '../errors.ts';
import { instantOfWallClock, type WallClock } from './zone.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export type TimeReading = { ok: true; ms: number } | { ok: false; reason: string };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Reads `text` by the rule above, with `zone` for a time without an offset; never throws. */
export function readTime(text: string, zone: string): TimeReading {
  const m = ISO.exec(text.trim());
  if (!m) return { ok: false, reason: `cannot read '${text}' as a time (ISO 8601: 2023-03-06, 2023-03-06T08:00 in the system's zone, or with an offset: 2023-03-06T08:00:00Z, +09:00)` };
  const [, y, mo, d, h, mi, s, frac, off] = m;
  const w: WallClock = {
    year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0),
    millisecond: frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0,
  };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > daysInMonth(w.year, w.month)) return { ok: false, reason: `'${text}' is not a date: ${y}-${mo} has no day ${d}` };
  if (w.hour > 23 || w.minute > 59 || w.second > 59) return { ok: false, reason: `'${text}' is not a time of day` };
  if (off === undefined) {
    try {
      return { ok: true, ms: instantOfWallClock(zone, w) };
    } catch (e) {
      return { ok: false, reason: `'${text}' has no offset and the zone to read it in is not usable: ${(e as Error).message}` };
    }
  }
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  if (off === 'Z' || off === 'z') return { ok: true, ms: wall };
  const digits = off.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = Number(digits.slice(2) || 0);
  if (offH > 23 || offM > 59) return { ok: false, reason: `'${text}' has an impossible offset ${off}` };
  return { ok: true, ms: wall - (off[0] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000 };
}

/** A time that cannot be read; `where` names the flag, or the file, line and field. */
export class TimeError extends UserError {
  constructor(readonly where: string, reason: string) {
    super(`${where}: ${reason}`);
  }
}

/** Reads `text` by the rule above (epoch ms); throws a TimeError naming `where` otherwise. */
export function parseTime(text: string, zone: string, where: string): number {
  const r = readTime(text, zone);
  if (!r.ok) throw new TimeError(where, r.reason);
  return r.ms;
}

/** A calendar date 'YYYY-MM-DD' that exists; throws a TimeError naming `where` otherwise. */
export function parseDate(text: string, where: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new TimeError(where, `must be a date YYYY-MM-DD, got '${text}'`);
  const r = readTime(text, 'UTC');
  if (!r.ok) throw new TimeError(where, r.reason);
  return text;
}

// A truck's shift on the service's clock: the re-plan gives each truck only the time it has left
// of its shift (replanFleet's `shiftMinutes` is the time LEFT from now), so no plan sends it past
// the shift's end. With the system's `shift_start` (HH:MM local) there is one shift a day from
// then; without it, shifts follow each other from local midnight, every `shift_minutes` (a crew
// change), the last one of the day ending at midnight.
import { addDays, instantOfLocalTime, localDate, startOfLocalDay } from '../../platform/time/index.ts';

export interface Shift {
  startMs: number;
  endMs: number;
}

/** The shift in force at `nowMs` (the one started last), or null when none is (off shift). */
export function shiftAt(nowMs: number, zone: string, shiftMinutes: number, shiftStart: string | null): Shift | null {
  const today = localDate(zone, nowMs);
  const length = shiftMinutes * 60_000;
  if (shiftStart !== null) {
    const minutes = Number(shiftStart.slice(0, 2)) * 60 + Number(shiftStart.slice(3, 5));
    for (const day of [today, addDays(today, -1)]) {
      const startMs = instantOfLocalTime(zone, day, minutes);
      if (startMs <= nowMs) return nowMs < startMs + length ? { startMs, endMs: startMs + length } : null;
    }
    return null;
  }
  const dayStart = startOfLocalDay(zone, today);
  const startMs = dayStart + Math.floor((nowMs - dayStart) / length) * length;
  return { startMs, endMs: Math.min(startMs + length, startOfLocalDay(zone, addDays(today, 1))) };
}

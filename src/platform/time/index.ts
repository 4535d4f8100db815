// The project's one time module: read times by one rule (instant.ts), do zone arithmetic with a
// zone library (zone.ts). See docs/architecture.md, "Time".
export { parseDate, parseTime, readTime, TimeError, type TimeReading } from './instant.ts';
export {
  addDays, instantOfLocalTime, instantOfWallClock, instantOfWallMs, isoInZone, isTimeZone, localDate, localDatesBetween, offsetMs, SEOUL_ZONE, startOfLocalDay,
  localizer, wallClockOf, wallMsOf, weekdayOfDate, type LocalClock, type Localizer, type WallClock,
} from './zone.ts';
export { parseSystemTime } from './system-time.ts';

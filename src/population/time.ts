// Reading the times a user types, by the project's one rule (src/platform/time) in Seoul's zone:
// a date ('2022-06-24': local midnight), a local time without a zone ('2022-06-24T09:00': Seoul's
// wall clock), or an instant with its zone ('...Z', '+09:00'); an impossible date is undefined.
import { isoInZone, readTime, SEOUL_ZONE } from '../platform/time/index.ts';

/** The living-population data are Seoul's: their local times are Asia/Seoul. */
export const POPULATION_ZONE = SEOUL_ZONE;

export function parseTime(text: string): number | undefined {
  const r = readTime(text, POPULATION_ZONE);
  return r.ok ? r.ms : undefined;
}

/** '2022-06-24T09:00+09:00' for an instant. */
export function kstString(ms: number): string {
  const iso = isoInZone(POPULATION_ZONE, ms);
  return iso.slice(0, 16) + iso.slice(19);
}

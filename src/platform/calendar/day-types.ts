// The project's one list of day types (issue 3's contract: weekday, weekend and holiday), used by
// the statistics, the forecast's station x hour x day-type profile and the population baselines.
// Rule: a public holiday of the system's country is 'holiday' whatever its weekday (it takes
// precedence over 'weekend', as in the UCI Seoul data's own Holiday flag); otherwise Saturday and
// Sunday are 'weekend' and the rest 'weekday'. Which dates are holidays: holidays.ts beside this.

export const DAY_TYPES = ['weekday', 'weekend', 'holiday'] as const;
export type DayType = (typeof DAY_TYPES)[number];
/** Index of a day type in DAY_TYPES, for tables laid out by day type (0 weekday, 1 weekend, 2 holiday). */
export type DayTypeIndex = 0 | 1 | 2;
export const N_DAY_TYPES = DAY_TYPES.length;

export const DAY_TYPE_RULE = "holiday = a public holiday of the system's country (any weekday); weekend = Saturday or Sunday; weekday = the rest";

/** The day type's index of a local day: weekday 0 = Monday ... 6 = Sunday. */
export function dayTypeIndex(weekday: number, holiday: boolean): DayTypeIndex {
  if (holiday) return 2;
  return weekday >= 5 ? 1 : 0;
}

/** The day type of a local day: weekday 0 = Monday ... 6 = Sunday. */
export function dayTypeOf(weekday: number, holiday: boolean): DayType {
  return DAY_TYPES[dayTypeIndex(weekday, holiday)];
}

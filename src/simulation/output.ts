// A run's figures in the command-line contract's shape (issue 21), minutes and km rounded.
import type { ReplayResult } from './replay.ts';
import type { SpellTotals } from './metrics.ts';

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Empty and full station-minutes, over the whole run and over 06-22 h, keyed as the contract names
 * them; `suffix` names a variant (`_covered`: over the minutes outside the feed's gaps).
 */
function spellMinutes<S extends string>(emptyS: number, fullS: number, emptyDayS: number, fullDayS: number, suffix: S) {
  return {
    [`empty_minutes${suffix}`]: r1(emptyS / 60),
    [`full_minutes${suffix}`]: r1(fullS / 60),
    [`empty_minutes_day${suffix}`]: r1(emptyDayS / 60),
    [`full_minutes_day${suffix}`]: r1(fullDayS / 60),
  } as Record<`${'empty' | 'full'}_minutes${'' | '_day'}${S}`, number>;
}

export function runJson(r: ReplayResult, seconds: number) {
  return {
    policy: r.policy,
    failed_rentals: r.failedRentals,
    failed_returns: r.failedReturns,
    ...spellMinutes(r.emptyS, r.fullS, r.emptyDayS, r.fullDayS, ''),
    outages_over_10min: r.outagesOver10,
    bikes_moved: r.bikesMoved,
    truck_km: r1(r.truckKm),
    replans: r.replans,
    seconds: Math.round(seconds * 1000) / 1000,
  };
}

/** What the contract's line leaves out, for the human summary. */
export function runDetail(r: ReplayResult, none?: ReplayResult) {
  const fails = r.failedRentals + r.failedReturns;
  const avoided = none ? none.failedRentals + none.failedReturns - fails : undefined;
  return {
    events: r.events,
    events_from_gaps: r.eventsFromGaps,
    failures_from_gaps: r.failuresFromGaps,
    // Over the covered minutes: failures of riders the log saw at their minute (not spread over a
    // gap) and station-minutes outside the feed's gaps.
    failures_covered: fails - r.failuresFromGaps,
    ...spellMinutes(r.emptyCoveredS, r.fullCoveredS, r.emptyDayCoveredS, r.fullDayCoveredS, '_covered'),
    outages_over_10min_covered: r.outagesOver10Covered,
    detours: r.detours,
    detour_km: r1(r.detourKm),
    returns_cancelled: r.returnsCancelled,
    truck_hours: r1(r.truckHours),
    short_stops: r.shortStops,
    failures_avoided_per_bike_moved: avoided !== undefined && r.bikesMoved > 0 ? Math.round((avoided / r.bikesMoved) * 1000) / 1000 : null,
  };
}

export function observedJson(t: SpellTotals, bikesMoved: number) {
  return { policy: 'observed', empty_minutes_day: r1(t.emptyDayS / 60), full_minutes_day: r1(t.fullDayS / 60), bikes_moved: bikesMoved };
}

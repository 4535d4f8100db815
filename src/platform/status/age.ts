// How old the status is that a stage uses at an instant (issue 19, "an instant past the data"):
// `targets --at`, `forecast predict --from` and `route plan --at` after the latest status say how old
// it is, and refuse past the staleness limit unless the caller allows a stale status.
import { UserError } from '../errors.ts';
import type { Store } from '../store/connection.ts';

export interface StatusAge {
  /** The system's latest status at or before the instant (epoch seconds); null without status. */
  latest: number | null;
  /** Seconds from `latest` to the instant (0 when the instant is within the data). */
  ageS: number;
}

/** "3 d 4 h", "2 h 5 min", "40 s": an age a person reads. */
export function ageText(s: number): string {
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d} d${h ? ` ${h} h` : ''}`;
  if (h) return `${h} h${m ? ` ${m} min` : ''}`;
  if (m) return `${m} min`;
  return `${Math.round(s)} s`;
}

/**
 * The age check, pure: a message for the log when the instant is past the data, and an error past
 * `limitS` unless `allowStale`. `flag` names the caller's option (--at, --from).
 */
export function judgeAge(system: string, atS: number, latest: number | null, limitS: number, opts: { allowStale?: boolean; flag: string }): { age: StatusAge; note: string | null } {
  if (latest === null) return { age: { latest, ageS: 0 }, note: null };
  const ageS = Math.max(0, atS - latest);
  const age = { latest, ageS };
  if (ageS === 0) return { age, note: null };
  const note = `${opts.flag} ${new Date(atS * 1000).toISOString()} is ${ageText(ageS)} after the latest status of '${system}' (${new Date(latest * 1000).toISOString()})`;
  if (ageS > limitS && !opts.allowStale) {
    throw new UserError(`${note}: past the staleness limit of ${ageText(limitS)}, the stations' bikes are not known then. Import newer status, choose an earlier ${opts.flag}, or pass --allow-stale to use that status anyway`);
  }
  return { age, note: ageS > limitS ? `${note}: past the staleness limit of ${ageText(limitS)}, used as asked (--allow-stale)` : note };
}

/** The system's latest status, judged by `judgeAge` at `atS`. */
export async function checkStatusAge(store: Store, system: string, atS: number, limitS: number, opts: { allowStale?: boolean; flag: string; log?: (msg: string) => void }): Promise<StatusAge> {
  // The system's latest status of all: an instant within the data is not "past" it, however long
  // the feed's interval (that is the in-service rule's business).
  const rows = await store.all<{ t: number | null }>('SELECT epoch(max(observed_at)) AS t FROM status WHERE system_id = $1', [system]);
  const { age, note } = judgeAge(system, atS, rows[0]?.t ?? null, limitS, opts);
  if (note) opts.log?.(note);
  return age;
}

/** The age as JSON for a front end (`status_age` in `--json` outputs). */
export function statusAgeJson(a: StatusAge): { latest: string | null; age_minutes: number } {
  return { latest: a.latest === null ? null : new Date(a.latest * 1000).toISOString(), age_minutes: Math.round(a.ageS / 60) };
}

// Which stations of a system are in service at an instant (issue 19): the one rule that targets,
// plans, zones, forecasts and the simulator share, so that no stage plans a station the street no
// longer has.
// - Listed: present in the station list in effect then (the station_information history: a version
//   whose [from, to) holds the instant). Before the first list known, the first list stands.
// - Reporting: the station's freshest report at or before the instant (the feed's last_reported, else
//   the time the row was written) is within `staleS` of the reference time. In a change log a row is
//   written only when counts change, so a day without one means the feed dropped the station; a
//   live feed's last_reported says the same directly. The reference is the instant, or the last
//   status of the whole system when that is older (an instant past the data is judged by the caller:
//   see `statusAge`), so that one feed outage does not make every station stale.
// - One station over time: a station whose listing ends when another's begins at the same place
//   (within `sameplaceMetres`, within `handoverS`) is the same station under a new id: the new one
//   `continues` the old, and only one of the two is ever in service.
// Pure: the store's reader is ./in-service-store.ts.
import { asStationId, asStationIds, type StationId } from '../ids.ts';

/** One version of a station in the list: listed over [from, to), to = null while still listed. */
export interface Listing {
  stationId: string;
  /** Epoch seconds; null = listed from before the history begins. */
  from: number | null;
  /** Epoch seconds; null = still listed. */
  to: number | null;
  lat: number | null;
  lon: number | null;
}

/** A station's freshest report at or before the instant. */
export interface Report {
  stationId: string;
  /** Epoch seconds. */
  at: number;
}

export interface InServiceOptions {
  /** A station whose freshest report is older than this (seconds) before the reference is stale. */
  staleS: number;
  /** Two ids within this distance, one listed as the other leaves, are one station. */
  samePlaceMetres?: number;
  /** ... and the second listed within this many seconds of the first leaving. */
  handoverS?: number;
}

/** A day without a status change: the station no longer reports (issue 19). */
export const STALE_HOURS = 24;
export const SAME_PLACE_METRES = 50;
export const HANDOVER_S = 86400;

export interface InService {
  /** The instant asked about, epoch seconds. */
  at: number;
  /** Staleness is judged against this: the instant, or the system's last status when older. */
  reference: number | null;
  /** False when the system has neither a station list nor status: nothing to judge by, keep all. */
  judged: boolean;
  /** In service: listed and reporting (listed only, when the system has no status at all). */
  ids: StationId[];
  /** Listed, but the freshest report is older than the limit. */
  stale: StationId[];
  /** Listed, but never reported at or before the instant (the system has status). */
  silent: StationId[];
  /** Reporting, but absent from the list in effect (removed, replaced, or not yet listed). */
  unlisted: StationId[];
  /** In-service station -> the former ids it continues, newest first. */
  continues: Map<StationId, StationId[]>;
}

const R = 6371000;
export function metresBetween(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const x = (bLon - aLon) * rad * Math.cos(((aLat + bLat) / 2) * rad);
  const y = (bLat - aLat) * rad;
  return Math.hypot(x, y) * R;
}

interface Span { first: Listing; last: Listing; start: number | null; end: number | null }

function spans(listings: readonly Listing[]): Map<string, Span> {
  const by = new Map<string, Span>();
  for (const l of listings) {
    const s = by.get(l.stationId);
    if (!s) { by.set(l.stationId, { first: l, last: l, start: l.from, end: l.to }); continue; }
    if (l.from === null || (s.start !== null && l.from < s.start)) { s.first = l; s.start = l.from; }
    if (l.to === null || (s.end !== null && l.to > s.end)) { s.last = l; s.end = l.to; }
  }
  return by;
}

/**
 * Successions in the list: old id -> the id that took its place (listed within `handoverS` of the
 * old one leaving, within `samePlaceMetres` of where it stood; the nearest when several qualify,
 * each new id taking one old one).
 */
export function successions(listings: readonly Listing[], opts: Pick<InServiceOptions, 'samePlaceMetres' | 'handoverS'> = {}): Map<StationId, StationId> {
  const metres = opts.samePlaceMetres ?? SAME_PLACE_METRES;
  const handover = opts.handoverS ?? HANDOVER_S;
  const by = spans(listings);
  const ended = [...by].filter(([, s]) => s.end !== null && s.last.lat !== null && s.last.lon !== null);
  const started = [...by].filter(([, s]) => s.start !== null && s.first.lat !== null && s.first.lon !== null);
  const pairs: { old: string; next: string; d: number }[] = [];
  for (const [old, o] of ended) {
    for (const [next, n] of started) {
      if (next === old) continue;
      const dt = n.start! - o.end!;
      if (dt < 0 || dt > handover) continue;
      const d = metresBetween(o.last.lat!, o.last.lon!, n.first.lat!, n.first.lon!);
      if (d <= metres) pairs.push({ old, next, d });
    }
  }
  pairs.sort((a, b) => a.d - b.d || a.old.localeCompare(b.old) || a.next.localeCompare(b.next));
  const out = new Map<StationId, StationId>();
  const taken = new Set<string>();
  for (const p of pairs) {
    if (out.has(asStationId(p.old)) || taken.has(p.next)) continue;
    out.set(asStationId(p.old), asStationId(p.next));
    taken.add(p.next);
  }
  return out;
}

/** Each id's former ids, newest first, from `successions`. */
export function formerIds(succ: ReadonlyMap<StationId, StationId>): Map<StationId, StationId[]> {
  const prev = new Map<StationId, StationId>();
  for (const [old, next] of succ) prev.set(next, old);
  const out = new Map<StationId, StationId[]>();
  for (const next of prev.keys()) {
    const chain: StationId[] = [];
    const seen = new Set<StationId>([next]);
    for (let p = prev.get(next); p !== undefined && !seen.has(p); p = prev.get(p)) { chain.push(p); seen.add(p); }
    out.set(next, chain);
  }
  return out;
}

/** Whether a listing holds the instant `t`. */
const holds = (l: Listing, t: number) => (l.from === null || l.from <= t) && (l.to === null || t < l.to);

/**
 * The stations in service at `at`. `listings`: the station list's versions (empty when the system
 * has no list: then every reporting station counts as listed). `reports`: each station's freshest
 * report at or before `at` (empty when the system has no status: then every listed station is in
 * service, judged by the list alone). `systemLast`: the system's last status at or before `at`.
 */
export function stationsInService(listings: readonly Listing[], reports: readonly Report[], at: number, systemLast: number | null, opts: InServiceOptions): InService {
  // Before the first list known, that list stands (the history starts when the archive did).
  let firstFrom = Infinity;
  for (const l of listings) if (l.from !== null && l.from < firstFrom) firstFrom = l.from;
  const hasUnbounded = listings.some((l) => l.from === null);
  const t = !hasUnbounded && at < firstFrom ? firstFrom : at;
  const listed = new Set<string>();
  for (const l of listings) if (holds(l, t)) listed.add(l.stationId);
  const reference = systemLast === null ? null : Math.min(at, systemLast);
  const lastReport = new Map(reports.map((r) => [r.stationId, r.at]));
  const ids: StationId[] = [], stale: StationId[] = [], silent: StationId[] = [], unlisted: StationId[] = [];
  const candidates = listings.length ? listed : new Set(lastReport.keys());
  for (const id of candidates) {
    const sid = asStationId(id);
    if (reference === null) { ids.push(sid); continue; }
    const r = lastReport.get(id);
    if (r === undefined) silent.push(sid);
    else if (reference - r > opts.staleS) stale.push(sid);
    else ids.push(sid);
  }
  if (listings.length && reference !== null) {
    for (const [id, r] of lastReport) if (!listed.has(id) && reference - r <= opts.staleS) unlisted.push(asStationId(id));
  }
  const succ = successions(listings, opts);
  // The feed can switch to the new id before the list shows it (Bay Wheels: '584' stops reporting and
  // its successor starts within the hour, the list follows three days later): a successor already
  // reporting takes the place of its listed predecessor.
  const out = { ids: new Set<string>(ids), stale: new Set<string>(stale), silent: new Set<string>(silent), unlisted: new Set<string>(unlisted) };
  for (const [old, next] of succ) {
    if (!out.unlisted.has(next) || !(out.ids.has(old) || out.stale.has(old) || out.silent.has(old))) continue;
    out.unlisted.delete(next); out.ids.add(next);
    out.ids.delete(old); out.stale.delete(old); out.silent.delete(old);
  }
  const continues = new Map<StationId, StationId[]>();
  for (const [id, former] of formerIds(succ)) if (out.ids.has(id)) continues.set(id, former);
  const sort = (a: Set<string>) => asStationIds([...a].sort());
  return { at, reference, judged: listings.length > 0 || reference !== null, ids: sort(out.ids), stale: sort(out.stale), silent: sort(out.silent), unlisted: sort(out.unlisted), continues };
}

/** "N stale (a, b, ...)" style lists for messages: the first `max` ids. */
export function idList(ids: readonly string[], max = 10): string {
  return ids.slice(0, max).join(', ') + (ids.length > max ? ', ...' : '');
}

/** One line that says what `stationsInService` left out and why. */
export function describeInService(s: InService, staleHours: number): string {
  if (!s.judged) return 'no station list and no status: every station with data is used';
  const parts = [`${s.ids.length} stations in service at ${new Date(s.at * 1000).toISOString()}`];
  if (s.stale.length) parts.push(`${s.stale.length} stale left out (no status in the ${staleHours} h before: ${idList(s.stale)})`);
  if (s.silent.length) parts.push(`${s.silent.length} listed but never reporting left out`);
  if (s.unlisted.length) parts.push(`${s.unlisted.length} reporting but not in the station list then, left out (${idList(s.unlisted)})`);
  if (s.continues.size) parts.push(`${s.continues.size} continue a former id at the same place`);
  return parts.join('; ');
}

/** The verdict as JSON for a front end (`in_service` in `--json` outputs). */
export function inServiceJson(s: InService): { at: string; stations: number; stale: string[]; unlisted: string[]; silent: string[]; continues: Record<string, string[]> } {
  return { at: new Date(s.at * 1000).toISOString(), stations: s.ids.length, stale: s.stale, unlisted: s.unlisted, silent: s.silent, continues: Object.fromEntries(s.continues) };
}

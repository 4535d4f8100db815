// GBFS documents told apart by shape, and system_information / station_information read into one
// shape whatever their version: 1.x/2.x (POSIX times, plain names) and 3.0 (RFC 3339 times,
// localized name arrays). Pure: no I/O. station_status is read by the live collector's validator
// (collect/validate-status.ts), the one reader of status payloads.
// Field names follow MobilityData's spec; the v3.0 shapes are the `gbfs-typescript-types` ones.
import type { v3 } from 'gbfs-typescript-types';
import { readTime } from '../time/index.ts';
import { strayStations } from '../stations/extent.ts';

export type GbfsFeedKind = 'system_information' | 'station_information' | 'station_status';

/** A malformed document: `field` is the JSON path of the offending value. */
export class GbfsFormatError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'GbfsFormatError';
  }
}

export interface GbfsSystem {
  systemId: string;
  name: string | undefined;
  timezone: string | undefined;
  url: string | undefined;
  language: string | undefined;
}

export interface GbfsStation {
  stationId: string;
  shortName: string | undefined;
  name: string | undefined;
  lat: number;
  lon: number;
  capacity: number | undefined;
  address: string | undefined;
  regionId: string | undefined;
}

/** A station entry that cannot be used, with why; the rest of the document still loads. */
export interface GbfsReject {
  reason: string;
  index: number;
  field: string;
  raw: string;
}

export interface GbfsDocument<T> {
  kind: GbfsFeedKind;
  /** The document's `version` ('1.1', '2.3', '3.0'); '1.0' when absent (added in 1.1). */
  version: string;
  major: number;
  /** Epoch seconds of the feed's `last_updated`. */
  lastUpdated: number;
  items: T[];
  rejects: GbfsReject[];
}

type Json = Record<string, unknown>;

/** Which of the three files a parsed JSON document is, from its shape (file names vary). */
export function detectFeedKind(doc: unknown): GbfsFeedKind {
  const data = asObject(doc, '')['data'];
  if (data === undefined || data === null || typeof data !== 'object') throw new GbfsFormatError('not a GBFS document: no "data" object', 'data');
  const d = data as Json;
  if (typeof d['system_id'] === 'string') return 'system_information';
  const stations = d['stations'];
  if (!Array.isArray(stations)) throw new GbfsFormatError('not a GBFS system_information, station_information or station_status document', 'data');
  const first = stations.find((s) => s !== null && typeof s === 'object') as Json | undefined;
  if (first === undefined) throw new GbfsFormatError('data.stations is empty: cannot tell station_information from station_status', 'data.stations');
  if ('num_bikes_available' in first || 'num_vehicles_available' in first || 'num_docks_available' in first) return 'station_status';
  if ('lat' in first || 'lon' in first) return 'station_information';
  throw new GbfsFormatError('data.stations[0] has neither lat/lon nor num_*_available', 'data.stations[0]');
}

export function parseSystemInformation(doc: unknown): GbfsDocument<GbfsSystem> {
  const head = header(doc, 'system_information');
  const d = asObject(asObject(doc, '')['data'], 'data') as Partial<v3.SystemInformation['data']> & Json;
  const systemId = d['system_id'];
  if (typeof systemId !== 'string' || systemId.trim() === '') throw new GbfsFormatError('system_id missing or empty', 'data.system_id');
  const language = typeof d['language'] === 'string' ? d['language'] : Array.isArray(d['languages']) ? String(d['languages'][0]) : undefined;
  const system: GbfsSystem = {
    systemId: systemId.trim(),
    name: localized(d['name'], language, 'data.name'),
    timezone: optString(d['timezone']),
    url: optString(d['url']),
    language,
  };
  return { ...head, items: [system], rejects: [] };
}

export function parseStationInformation(doc: unknown, language?: string): GbfsDocument<GbfsStation> {
  const head = header(doc, 'station_information');
  const items: GbfsStation[] = [];
  const indexOf: number[] = [];
  const rejects: GbfsReject[] = [];
  forEachStation(doc, rejects, (s, i, path) => {
    const lat = num(s['lat']);
    const lon = num(s['lon']);
    if (lat === undefined || lon === undefined) return reject(rejects, 'missing lat/lon', i, `${path}.lat`, s);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return reject(rejects, 'lat/lon out of range', i, `${path}.lat`, s);
    const capacity = num(s['capacity']);
    items.push({
      stationId: String(s['station_id']),
      shortName: localized(s['short_name'], language, `${path}.short_name`),
      name: localized(s['name'], language, `${path}.name`),
      lat,
      lon,
      capacity: capacity !== undefined && capacity >= 0 ? Math.round(capacity) : undefined,
      address: optString(s['address']),
      regionId: s['region_id'] === undefined || s['region_id'] === null ? undefined : String(s['region_id']),
    });
    indexOf.push(i);
  });
  // A station far outside the area of the system's other stations is a wrong place: left out, by reason.
  const strays = strayStations(items);
  for (const st of strays) {
    const item = items[st.index]!;
    rejects.push({ reason: STRAY_REASON, index: indexOf[st.index]!, field: `data.stations[${indexOf[st.index]}].lat`,
      raw: `${item.stationId} at ${item.lat},${item.lon}: ${Math.round(st.kmFromCentre)} km from the centre of the system's stations, ${Math.round(st.kmToNearest)} km from the nearest` });
  }
  const stray = new Set(strays.map((s) => s.index));
  return { ...head, items: stray.size ? items.filter((_, k) => !stray.has(k)) : items, rejects };
}

export const STRAY_REASON = "lat/lon far outside the system's area (far from its other stations)";

/** Epoch seconds from a GBFS time: POSIX seconds (1.x/2.x) or an RFC 3339 string (3.0). */
export function time(v: unknown, field: string): number {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.floor(v);
  if (typeof v === 'string' && v.trim() !== '') {
    if (/^\d+$/.test(v.trim())) return Number(v.trim());
    // RFC 3339 requires a zone offset; without one the instant is ambiguous.
    if (!/(Z|[+-]\d\d:?\d\d)$/i.test(v.trim())) throw new GbfsFormatError(`time '${v}' has no zone offset (RFC 3339 needs one)`, field);
    // The one time rule (src/platform/time): an impossible date (02-30) is refused, never rolled over.
    const r = readTime(v, 'UTC');
    if (r.ok) return Math.floor(r.ms / 1000);
    throw new GbfsFormatError(r.reason, field);
  }
  throw new GbfsFormatError(`not a time: ${JSON.stringify(v)}`, field);
}

function header(doc: unknown, kind: GbfsFeedKind): Omit<GbfsDocument<never>, 'items' | 'rejects'> {
  const o = asObject(doc, '');
  const version = typeof o['version'] === 'string' ? o['version'] : '1.0';
  const major = Number.parseInt(version, 10);
  if (!Number.isFinite(major) || major < 1 || major > 3) throw new GbfsFormatError(`unsupported GBFS version '${version}'`, 'version');
  if (o['last_updated'] === undefined) throw new GbfsFormatError('last_updated missing', 'last_updated');
  return { kind, version, major, lastUpdated: time(o['last_updated'], 'last_updated') };
}

function forEachStation(doc: unknown, rejects: GbfsReject[], each: (s: Json, index: number, path: string) => void): void {
  const data = asObject(asObject(doc, '')['data'], 'data');
  const stations = data['stations'];
  if (!Array.isArray(stations)) throw new GbfsFormatError('data.stations is not an array', 'data.stations');
  const seen = new Set<string>();
  stations.forEach((s, i) => {
    const path = `data.stations[${i}]`;
    if (s === null || typeof s !== 'object') return reject(rejects, 'not an object', i, path, s);
    const st = s as Json;
    const id = st['station_id'];
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') return reject(rejects, 'missing station_id', i, `${path}.station_id`, st);
    if (seen.has(String(id))) return reject(rejects, 'duplicate station_id', i, `${path}.station_id`, st);
    seen.add(String(id));
    each(st, i, path);
  });
}

function reject(rejects: GbfsReject[], reason: string, index: number, field: string, raw: unknown): void {
  rejects.push({ reason, index, field, raw: JSON.stringify(raw)?.slice(0, 500) ?? String(raw) });
}

function asObject(v: unknown, field: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new GbfsFormatError(`${field || 'document'} is not a JSON object`, field || undefined);
  return v as Json;
}

/** A plain string (1.x/2.x) or a v3.0 localized array [{text, language}]: the given language, else English, else the first. */
export function localized(v: unknown, language: string | undefined, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    const entries = v as Partial<v3.StationInformation['data']['stations'][number]['name'][number]>[];
    const pick = (lang: string | undefined) => (lang ? entries.find((e) => e?.language?.toLowerCase().startsWith(lang.toLowerCase())) : undefined);
    const e = pick(language) ?? pick('en') ?? entries[0];
    if (e === undefined) return undefined;
    if (typeof e?.text !== 'string') throw new GbfsFormatError('localized string without text', field);
    return e.text;
  }
  throw new GbfsFormatError(`expected a string or a localized array, got ${JSON.stringify(v)}`, field);
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

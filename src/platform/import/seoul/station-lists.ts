// The Seoul station lists, parsed into one record shape. Pure (text in, records out).
// Layouts handled, each found from its content, not its name:
//  - official lists (대여소 정보, CSV): the 2021-06 one with its header spread over five lines (a
//    column's name is the text of all its header cells: '소재지(위치)' + '자치구'), the 2023-06 one
//    with quoted line breaks in addresses and names starting with a space, and the 2026-04 master
//    with lon before lat; columns are found by name, never by position;
//  - the TSV of every station seen in trips 2015..2021, closed ones included
//    (stationIndex, name, address, lon, lat, desc);
//  - the city API's station list (stationInfo.row[]: RENT_ID 'ST-10', RENT_NO '00108', RENT_NM,
//    STA_LOC district, HOLD_NUM racks, STA_LAT, STA_LONG, STA_ADD1 address).
import { parse } from 'csv-parse/sync';
import { openQuoteInText, openQuoteMessage } from '../csv-scan.ts';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { normaliseStationNumber, REASON_MISSING_STATION, REASON_NOT_NUMBERED } from './station-number.ts';

export interface StationRecord {
  line: number;
  /** The station number as trip files write it, unpadded ('108'). */
  id: string;
  name: string | null;
  district: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  capacity: number | null;
  installedOn: string | null;
  /** The API's id ('ST-10'), where the source gives it. */
  apiId: string | null;
}

export interface StationReject {
  reason: string;
  line: number;
  field?: string;
  raw: string;
}

export interface ParsedStations {
  layout: string;
  stations: StationRecord[];
  rejects: StationReject[];
}

export const STATION_REASONS = {
  missingNumber: REASON_MISSING_STATION,
  notNumbered: REASON_NOT_NUMBERED,
  duplicate: 'station listed twice in the file (first kept)',
  badCoordinates: 'coordinates missing, 0/0 or outside Seoul (station kept without them)',
} as const;

export class StationListError extends Error {
  constructor(message: string, readonly line?: number, readonly field?: string) {
    super(message);
  }
}

// Seoul and the cities its stations reach (Gwacheon, Hanam...): anything outside is a bad position.
const inSeoulArea = (lat: number, lon: number) => lat > 37.2 && lat < 37.9 && lon > 126.6 && lon < 127.4;

function num(s: unknown): number | null {
  if (s === undefined || s === null) return null;
  const t = String(s).trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function text(s: unknown): string | null {
  if (s === undefined || s === null) return null;
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

/** Records in, checked: numbers normalised, duplicates and bad coordinates counted. */
function finish(layout: string, raw: (Omit<StationRecord, 'id'> & { number: string | null })[]): ParsedStations {
  const stations: StationRecord[] = [];
  const rejects: StationReject[] = [];
  const seen = new Set<string>();
  for (const r of raw) {
    const n = normaliseStationNumber(r.number);
    const rawText = [r.number, r.name, r.district, r.lat, r.lon].map((v) => v ?? '').join(',');
    if (n.kind === 'missing') { rejects.push({ reason: STATION_REASONS.missingNumber, line: r.line, raw: rawText }); continue; }
    if (n.kind === 'not-numbered') { rejects.push({ reason: STATION_REASONS.notNumbered, line: r.line, raw: rawText }); continue; }
    if (seen.has(n.id)) { rejects.push({ reason: STATION_REASONS.duplicate, line: r.line, raw: rawText }); continue; }
    seen.add(n.id);
    let { lat, lon } = r;
    if (lat === null || lon === null || !inSeoulArea(lat, lon)) {
      rejects.push({ reason: STATION_REASONS.badCoordinates, line: r.line, field: 'lat/lon', raw: rawText });
      lat = null;
      lon = null;
    }
    const { number: _n, ...rest } = r;
    stations.push({ ...rest, id: n.id, lat, lon });
  }
  return { layout, stations, rejects };
}

export function parseStationList(content: string): ParsedStations {
  const t = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const start = t.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return parseApiStationList(t);
  const first = t.slice(0, t.search(/\r?\n|$/));
  if (first.includes('\t')) return parseTsvStations(t);
  return parseOfficialCsv(t);
}

export function parseApiStationList(content: string): ParsedStations {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch (err) {
    // JSON.parse on Node 20 does not always say where; jsonc-parser's scanner gives the offset.
    const errors: ParseError[] = [];
    parseJsonc(content, errors, { allowTrailingComma: false, disallowComments: true });
    const line = errors[0] ? content.slice(0, errors[0].offset).split('\n').length : undefined;
    throw new StationListError(`not valid JSON: ${(err as Error).message}`, line);
  }
  const d = doc as { stationInfo?: { row?: unknown; RESULT?: { CODE?: string; MESSAGE?: string } } } | unknown[];
  const rows = Array.isArray(d) ? d : d.stationInfo?.row;
  if (!Array.isArray(rows)) {
    const result = !Array.isArray(d) ? d.stationInfo?.RESULT : undefined;
    throw new StationListError(`no stationInfo.row[] in the JSON${result?.CODE ? ` (API answered ${result.CODE}: ${result.MESSAGE ?? ''})` : ''}`);
  }
  // Rows carry no line numbers: the row's position (1-based) stands in for one.
  const raw = rows.map((row, i) => {
    const r = (row ?? {}) as Record<string, unknown>;
    const rentId = text(r['RENT_ID']);
    return {
      line: i + 1, number: text(r['RENT_NO']), name: text(r['RENT_NM']), district: text(r['STA_LOC']), address: text(r['STA_ADD1']),
      lat: num(r['STA_LAT']), lon: num(r['STA_LONG']), capacity: num(r['HOLD_NUM']), installedOn: null,
      apiId: rentId && /^ST-\d+$/.test(rentId) ? rentId : null,
    };
  });
  return finish('api stationInfo', raw);
}

export function parseTsvStations(content: string): ParsedStations {
  const lines = content.split(/\r?\n/);
  const header = lines[0]!.split('\t').map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new StationListError(`missing column '${name}' (header: ${header.join(', ')})`, 1, name);
    return i;
  };
  const [id, name, address, lon, lat] = [col('stationIndex'), col('name'), col('address'), col('lon'), col('lat')];
  const raw = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue;
    const c = lines[i]!.split('\t');
    raw.push({ line: i + 1, number: text(c[id]), name: text(c[name]), district: null, address: text(c[address]), lat: num(c[lat]), lon: num(c[lon]), capacity: null, installedOn: null, apiId: null });
  }
  return finish('stations incl. closed (TSV)', raw);
}

type Role = 'number' | 'name' | 'district' | 'address' | 'lat' | 'lon' | 'installed' | 'lcd' | 'qr' | 'mode';

// A column's role from its (merged) header text, with spaces removed.
const ROLES: [Role, (h: string) => boolean][] = [
  ['number', (h) => h.includes('대여소번호')],
  ['name', (h) => h.includes('대여소명') || h.includes('보관소(대여소)명')],
  ['district', (h) => h.includes('자치구')],
  ['address', (h) => h.includes('주소')],
  ['lat', (h) => h.includes('위도')],
  ['lon', (h) => h.includes('경도')],
  ['installed', (h) => h.includes('설치시기') || h.includes('설치일')],
  ['lcd', (h) => h.includes('LCD')],
  ['qr', (h) => h.includes('QR')],
  ['mode', (h) => h.includes('운영방식')],
];

export function parseOfficialCsv(content: string): ParsedStations {
  const quote = openQuoteInText(content);
  if (quote) throw new StationListError(openQuoteMessage(quote.open), quote.open.line, quote.field);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, { info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new StationListError(`not a readable CSV: ${e.message}`, e.lines);
  }
  // The header is every record before the first one that starts with a station number.
  const firstData = records.findIndex((r) => /^\s*\d+\s*$/.test(r.record[0] ?? ''));
  if (firstData <= 0) throw new StationListError('no header followed by station records (first column 대여소번호)', 1);
  const width = Math.max(...records.slice(0, firstData).map((r) => r.record.length));
  const merged = Array.from({ length: width }, (_, i) => records.slice(0, firstData).map((r) => (r.record[i] ?? '').replace(/\s+/g, '')).join(''));
  const roles = new Map<Role, number>();
  merged.forEach((h, i) => {
    for (const [role, test] of ROLES) if (!roles.has(role) && test(h)) { roles.set(role, i); break; }
  });
  for (const need of ['number', 'lat', 'lon'] as Role[]) {
    if (!roles.has(need)) throw new StationListError(`missing column for ${need} (header: ${merged.join(', ')})`, 1, need);
  }
  const at = (r: string[], role: Role) => (roles.has(role) ? r[roles.get(role)!] : undefined);
  const raw = [];
  for (let i = firstData; i < records.length; i++) {
    const { record, info } = records[i]!;
    if (record.every((v) => v.trim() === '')) continue;
    // csv-parse gives the line a record ends on; quoted line breaks inside it move its start up.
    const line = info.lines - record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);
    const lcd = num(at(record, 'lcd'));
    const qr = num(at(record, 'qr'));
    const mode = text(at(record, 'mode'));
    // Racks: those of the station's operating mode (운영방식 QR or LCD), else whichever is given.
    const capacity = mode === 'QR' && qr !== null ? qr : mode === 'LCD' && lcd !== null ? lcd : qr ?? lcd;
    const installed = text(at(record, 'installed'));
    raw.push({
      line, number: text(at(record, 'number')), name: text(at(record, 'name')), district: text(at(record, 'district')), address: text(at(record, 'address')),
      lat: num(at(record, 'lat')), lon: num(at(record, 'lon')), capacity,
      installedOn: installed && /^\d{4}-\d{2}-\d{2}$/.test(installed) ? installed : null, apiId: null,
    });
  }
  const layout = firstData > 1 ? `official list (header over ${firstData} lines)` : roles.has('installed') ? 'official list' : 'station master';
  return finish(layout, raw);
}

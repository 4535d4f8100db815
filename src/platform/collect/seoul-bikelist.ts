// Seoul's open API `bikeList`: live status for every station, 1,000 per call
// (/{key}/json/bikeList/1/1000/, /1001/2000/, ...). The values are strings; `shared` is bikes/racks
// in %, often above 100 since Seoul bikes lock themselves. A page past the end answers INFO-200.
import type { StatusObservation } from '../status/observation.ts';

export const PAGE_SIZE = 1000;
export const DEFAULT_SEOUL_BASE = 'http://openapi.seoul.go.kr:8088';

export interface BikeListRow {
  stationId: string;
  stationName?: string;
  rackTotCnt?: string | number;
  parkingBikeTotCnt?: string | number;
  shared?: string | number;
  stationLatitude?: string | number;
  stationLongitude?: string | number;
}

export type BikeListPage =
  | { kind: 'rows'; rows: BikeListRow[] }
  | { kind: 'end' }
  | { kind: 'error'; code: string; message: string };

export function bikeListUrl(base: string, key: string, page: number): string {
  const start = page * PAGE_SIZE + 1;
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(key)}/json/bikeList/${start}/${start + PAGE_SIZE - 1}/`;
}

export function parseBikeListPage(doc: unknown): BikeListPage {
  if (typeof doc !== 'object' || doc === null) return { kind: 'error', code: 'not-json-object', message: 'response is not a JSON object' };
  const d = doc as { rentBikeStatus?: { RESULT?: { CODE?: string; MESSAGE?: string }; row?: unknown }; RESULT?: { CODE?: string; MESSAGE?: string }; CODE?: string; MESSAGE?: string };
  const result = d.rentBikeStatus?.RESULT ?? d.RESULT ?? (d.CODE ? { CODE: d.CODE, MESSAGE: d.MESSAGE } : undefined);
  const code = result?.CODE ?? '';
  if (code === 'INFO-200') return { kind: 'end' };
  if (code && code !== 'INFO-000') return { kind: 'error', code, message: result?.MESSAGE ?? '' };
  const rows = d.rentBikeStatus?.row;
  if (!Array.isArray(rows)) return { kind: 'error', code: 'no-rows', message: 'rentBikeStatus.row is missing' };
  return { kind: 'rows', rows: rows as BikeListRow[] };
}

export interface BikeListReject {
  rule: 'schema.stationId' | 'schema.parkingBikeTotCnt' | 'schema.rackTotCnt' | 'duplicate_station_id';
  stationId: string | undefined;
  detail: string;
}

const intOf = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

/**
 * Rows of all pages of one snapshot -> observations. `stationIdFor` maps the API's ST- ids to the
 * store's station ids (station numbers); unmapped ids are kept as they are.
 */
export function bikeListObservations(rows: readonly BikeListRow[], stationIdFor: (apiId: string) => string): { stations: StatusObservation[]; rejects: BikeListReject[] } {
  const stations: StatusObservation[] = [];
  const rejects: BikeListReject[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const apiId = typeof r.stationId === 'string' && r.stationId.trim() !== '' ? r.stationId.trim() : undefined;
    if (!apiId) { rejects.push({ rule: 'schema.stationId', stationId: undefined, detail: 'stationId missing' }); continue; }
    if (seen.has(apiId)) { rejects.push({ rule: 'duplicate_station_id', stationId: apiId, detail: `${apiId} appears on more than one page` }); continue; }
    seen.add(apiId);
    const bikes = intOf(r.parkingBikeTotCnt);
    if (bikes === undefined) { rejects.push({ rule: 'schema.parkingBikeTotCnt', stationId: apiId, detail: `parkingBikeTotCnt ${JSON.stringify(r.parkingBikeTotCnt)}` }); continue; }
    const racks = intOf(r.rackTotCnt);
    if (r.rackTotCnt !== undefined && racks === undefined) { rejects.push({ rule: 'schema.rackTotCnt', stationId: apiId, detail: `rackTotCnt ${JSON.stringify(r.rackTotCnt)}` }); continue; }
    stations.push({
      stationId: stationIdFor(apiId), lastReported: null, bikesAvailable: bikes, ebikesAvailable: null, bikesDisabled: null,
      // Racks not holding a bike; Seoul stations may hold more bikes than racks (then 0 free racks).
      docksAvailable: racks !== undefined ? Math.max(0, racks - bikes) : null, docksDisabled: null, capacity: racks ?? null,
      isInstalled: true, isRenting: true, isReturning: true,
    });
  }
  return { stations, rejects };
}

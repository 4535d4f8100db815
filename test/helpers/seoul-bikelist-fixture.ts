// Seoul bikeList pages in the API's published layout (rentBikeStatus.row[] with string values:
// rackTotCnt, stationName, parkingBikeTotCnt, shared, stationLatitude, stationLongitude, stationId),
// built from the real 2025-05 station list (no real bikeList snapshot is bundled), with bike counts
// drawn from a seeded generator. The layout follows the API documentation; the numbers are made up.
import { readFileSync } from 'node:fs';
import { dataFile } from '../../src/platform/bundled-data.ts';

export interface ApiStation {
  RENT_ID: string;
  RENT_NO: string;
  RENT_NM: string;
  HOLD_NUM?: string;
  STA_LAT: string;
  STA_LONG: string;
}

export function realApiStations(): ApiStation[] {
  const files = ['1_1000', '1001_2000', '2001_3000', '3001_3156'];
  return files.flatMap((f) => (JSON.parse(readFileSync(dataFile(`seoul/stations/api_stationInfo_2025-05_chunk_${f}.json`), 'utf-8')) as { stationInfo: { row: ApiStation[] } }).stationInfo.row);
}

/** Trip files and the station lists write a station by its number without zero padding ('00108' -> '108'). */
export function stationNumber(rentNo: string): string {
  return String(Number(rentNo));
}

import { mulberry32 as seededRandom } from '../../src/platform/util/random.ts';

export { seededRandom };

export interface BikeListRowFixture {
  rackTotCnt: string;
  stationName: string;
  parkingBikeTotCnt: string;
  shared: string;
  stationLatitude: string;
  stationLongitude: string;
  stationId: string;
}

export function bikeListRows(stations: ApiStation[], seed: number): BikeListRowFixture[] {
  const rand = seededRandom(seed);
  return stations.map((s) => {
    const racks = Number(s.HOLD_NUM || '10') || 10;
    const bikes = Math.floor(rand() * racks * 1.6); // Seoul stations often hold more bikes than racks
    return {
      rackTotCnt: String(racks),
      stationName: `${stationNumber(s.RENT_NO)}. ${s.RENT_NM}`,
      parkingBikeTotCnt: String(bikes),
      shared: String(Math.round((100 * bikes) / racks)),
      stationLatitude: s.STA_LAT,
      stationLongitude: s.STA_LONG,
      stationId: s.RENT_ID,
    };
  });
}

export function bikeListPage(rows: BikeListRowFixture[], page: number): unknown {
  const slice = rows.slice(page * 1000, page * 1000 + 1000);
  if (slice.length === 0) return { RESULT: { CODE: 'INFO-200', MESSAGE: '해당하는 데이터가 없습니다.' } };
  return { rentBikeStatus: { list_total_count: slice.length, RESULT: { CODE: 'INFO-000', MESSAGE: '정상 처리되었습니다.' }, row: slice } };
}

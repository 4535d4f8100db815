// A store holding Seoul's real station list (city API, May 2025: ids, names, districts, racks,
// coordinates) and the real 25 district boundaries, written straight into the tables (the
// importers have their own tests; this keeps the zone and plan tests fast). Optionally a target
// run whose bring/take values are SYNTHETIC (a hash of the station id), for tests of what reads them.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataFile } from '../../src/platform/bundled-data.ts';
import type { Store } from '../../src/platform/store/connection.ts';

export async function loadSeoulStations(store: Store, dir: string): Promise<number> {
  const src = dataFile('seoul', 'stations');
  const rows: Record<string, unknown>[] = [];
  for (const f of readdirSync(src).filter((f) => f.startsWith('api_stationInfo_2025-05_chunk_')).sort()) {
    for (const r of JSON.parse(readFileSync(join(src, f), 'utf8')).stationInfo.row as Record<string, string>[]) {
      const lat = Number(r['STA_LAT']);
      const lon = Number(r['STA_LONG']);
      rows.push({ station_id: r['RENT_ID'], short_name: String(Number(r['RENT_NO'])), name: r['RENT_NM']?.trim(), district: r['STA_LOC'] || null, lat: lat > 0 ? lat : null, lon: lon > 0 ? lon : null, capacity: r['HOLD_NUM'] ? Number(r['HOLD_NUM']) : null });
    }
  }
  const file = join(dir, 'seoul-stations.json');
  writeFileSync(file, JSON.stringify(rows));
  await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('seoul', 'Seoul 따릉이', 'Asia/Seoul', 'KR') ON CONFLICT DO NOTHING`);
  await store.run(`INSERT INTO stations (system_id, station_id, short_name, name, district, lat, lon, capacity)
    SELECT 'seoul', station_id, short_name, name, district, lat, lon, capacity FROM read_json('${file}', columns = {station_id: 'VARCHAR', short_name: 'VARCHAR', name: 'VARCHAR', district: 'VARCHAR', lat: 'DOUBLE', lon: 'DOUBLE', capacity: 'INTEGER'})`);
  const geo = JSON.parse(readFileSync(dataFile('seoul', 'boundaries', 'seoul_districts_25gu_2015.geojson'), 'utf8')) as { features: { properties: Record<string, string>; geometry: unknown }[] };
  for (const f of geo.features) {
    await store.run(`INSERT INTO boundaries (system_id, level, code, name, geometry) VALUES ('seoul', 'district', $1, $2, $3)`, [f.properties['SIG_CD']!, f.properties['SIG_KOR_NM']!, JSON.stringify(f.geometry)]);
  }
  return rows.length;
}

/** A target run 'synthetic-r1' at `at`: about 20% of stations short, 15% over (hash of the id). */
export async function syntheticTargetRun(store: Store, at = '2025-05-01 08:00:00+09'): Promise<void> {
  await store.run(`INSERT INTO target_runs VALUES ('synthetic-r1', 'seoul', now(), TIMESTAMPTZ '${at}', 180, 15, 0.9, 'synthetic (test)', 'soft:50%', 0, '{}')`);
  await store.run(`INSERT INTO targets SELECT 'synthetic-r1', station_id, district, capacity, coalesce(capacity, 10), NULL, 0, 0, true, NULL,
      CASE WHEN hash(station_id) % 100 < 20 THEN 1 + hash(station_id || 'b') % 8 ELSE 0 END,
      CASE WHEN hash(station_id) % 100 >= 85 THEN 1 + hash(station_id || 't') % 10 ELSE 0 END,
      (hash(station_id || 'f') % 100) / 100.0, NULL, '[]', '[]', '[]', '[]'
    FROM stations WHERE system_id = 'seoul'`);
}

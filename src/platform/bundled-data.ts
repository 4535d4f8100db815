// The real public data bundled beside the repository (../shared/data, see its README), and which
// import kind reads each file. The demo imports all of it; tests pick single files from it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asSystemId, type SystemId } from './ids.ts';

export interface BundledImport {
  kind: string;
  system: SystemId | undefined;
  files: string[];
  /** What the user is told the step loads. */
  label: string;
  /** Extra importer options (e.g. --dong for a living-population file without a dong column). */
  options?: Record<string, string>;
}

/** The bundled living-population series names no dong: it is imported under this placeholder code. */
export const PLACEHOLDER_DONG = '99999999';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The data folder: $URBANLAB_DATA, else ../shared/data beside the repository. */
export function dataDir(): string {
  const fromEnv = process.env['URBANLAB_DATA'];
  const dir = fromEnv ? resolve(fromEnv) : resolve(REPO_ROOT, '..', 'shared', 'data');
  if (!existsSync(dir)) {
    throw new Error(`bundled data not found at ${dir}: clone the repository beside shared/ or set URBANLAB_DATA`);
  }
  return dir;
}

export function dataFile(...parts: string[]): string {
  return join(dataDir(), ...parts);
}

export function repoRoot(): string {
  return REPO_ROOT;
}

export function bundledImports(): BundledImport[] {
  const d = (...p: string[]) => dataFile(...p);
  return [
    { kind: 'seoul-stations', system: asSystemId('seoul'), label: 'Seoul station lists (every station 2015-2021 incl. closed, 2021, 2023, 2026 and the 2025 API list)', files: [
      // Oldest first: a later list updates what it gives (positions, names, racks).
      d('seoul/stations/all_stations_incl_closed_2015-2021_cp949.tsv'),
      d('seoul/stations/official_station_list_2021-06_cp949_multiline_header.csv'),
      d('seoul/stations/official_station_list_2023-06_cp949.csv'),
      d('seoul/stations/station_master_2026-04.csv'),
      d('seoul/stations/api_stationInfo_2025-05_chunk_1_1000.json'),
      d('seoul/stations/api_stationInfo_2025-05_chunk_1001_2000.json'),
      d('seoul/stations/api_stationInfo_2025-05_chunk_2001_3000.json'),
      d('seoul/stations/api_stationInfo_2025-05_chunk_3001_3156.json'),
    ] },
    { kind: 'seoul-trips', system: asSystemId('seoul'), label: 'Seoul trip history sample (17-column vintage)', files: [d('seoul/trips/trip_history_sample_17col_999rows.csv')] },
    { kind: 'seoul-usage', system: asSystemId('seoul'), label: 'Seoul station-month rentals and returns', files: [
      d('seoul/usage/station_monthly_rentals_returns_2017-01_2019-05_cp949.csv'),
      d('seoul/usage/station_monthly_rentals_2021-02_2021-06_cp949.csv'),
    ] },
    { kind: 'weather', system: asSystemId('seoul'), label: 'KMA ASOS 108 hourly weather (Seoul)', files: [
      d('seoul/weather/kma_asos108_hourly_2021_cp949.csv'),
      d('seoul/weather/kma_asos108_hourly_2022-01_2022-03_cp949.csv'),
    ] },
    { kind: 'uci-seoul', system: asSystemId('seoul'), label: 'UCI Seoul Bike Sharing Demand (hourly, 2017-12..2018-11)', files: [d('seoul/uci/SeoulBikeData.csv')] },
    { kind: 'seoul-hourly', system: asSystemId('seoul'), label: 'Seoul system-wide hourly rentals with weather and air quality (2021-04..2021-11)', files: [d('seoul/usage/system_hourly_rentals_weather_air_2021-04_2021-11.csv')] },
    { kind: 'boundaries', system: asSystemId('seoul'), label: 'Seoul districts and dongs', files: [
      d('seoul/boundaries/seoul_districts_25gu_2015.geojson'),
      d('seoul/boundaries/seoul_admin_dong_2021-04.geojson'),
    ] },
    { kind: 'living-population', system: asSystemId('seoul'), options: { dong: PLACEHOLDER_DONG },
      label: `Seoul living population (생활인구) of one unnamed dong, 2017-01..2022-06, under the placeholder dong code ${PLACEHOLDER_DONG}`,
      files: [2017, 2018, 2019, 2020, 2021, 2022].map((y) => d('seoul/living_population', `data${y}.csv`)) },
    { kind: 'gbfs-history', system: asSystemId('baywheels'), label: 'Bay Wheels status history (2022-08..2023-05)', files: [d('gbfs/baywheels')] },
    { kind: 'gbfs', system: asSystemId('citibike_nyc'), label: 'Citi Bike GBFS snapshot (2024-10-02)', files: [
      d('gbfs/citibike_nyc/2024-10-02/station_information.json'),
      d('gbfs/citibike_nyc/2024-10-02/station_status.json'),
    ] },
    { kind: 'gbfs-trips', system: asSystemId('baywheels'), label: 'Ford GoBike trips (Feb 2019)', files: [d('trips/baywheels_fordgobike_2019-02-26_28.csv')] },
    { kind: 'gbfs-trips', system: asSystemId('divvy'), label: 'Divvy trips (Jan 2020)', files: [d('trips/divvy_2020-Q1_first_10k_rows.csv')] },
  ];
}

// The real 8-station Bay Wheels extract the CLI tests of targets and route plan run on: 5 weeks of
// hourly flows derived from the bundled status-change file (a fixture) and those stations' real
// status rows of 2023-04-08..23, in a store of its own.
import { join } from 'node:path';
import { dataFile, repoRoot } from '../../src/platform/bundled-data.ts';
import type { Store } from '../../src/platform/store/connection.ts';

const FIXTURE = join(repoRoot(), 'test', 'fixtures', 'baywheels_hourly_flows_derived_2023-03-20_5weeks_8stations.csv');
const STATUS = dataFile('gbfs', 'baywheels', 'station_status_changes_2022-08_2023-05.csv.gz');

/** Loads the extract into `store`; returns the number of status rows. */
export async function loadBayWheelsExtract(store: Store): Promise<number> {
  await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('baywheels', 'Bay Wheels', 'America/Los_Angeles', 'US')`);
  await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) SELECT 'baywheels', station_id, strptime(hour || ':00:00+00', '%Y-%m-%dT%H:%M:%S%z'), p, r, mo, me, mf, 'status'
    FROM read_csv('${FIXTURE}', header = true, types = {'station_id': 'VARCHAR', 'hour': 'VARCHAR'})`);
  await store.run(`INSERT INTO status (system_id, station_id, observed_at, bikes_available, bikes_disabled, docks_available, docks_disabled)
    SELECT 'baywheels', station_id, to_timestamp(snapshot_time), num_bikes_available, num_bikes_disabled, num_docks_available, num_docks_disabled
    FROM read_csv('${STATUS}', header = true, types = {'station_id': 'VARCHAR'})
    WHERE station_id IN (SELECT DISTINCT station_id FROM hourly_flows)
      AND snapshot_time >= epoch(TIMESTAMPTZ '2023-04-08 00:00:00+00') AND snapshot_time < epoch(TIMESTAMPTZ '2023-04-24 00:00:00+00')`);
  return (await store.all<{ n: number }>('SELECT count(*) AS n FROM status'))[0]!.n;
}

const INFO = dataFile('gbfs', 'baywheels', 'raw_sample_2023-03-06', 'station_information.json');

/**
 * The extract's stations (those with hourly flows) from the bundled 2023-03-06 station_information:
 * the station list that targets, plans and the simulator need beside the flows. `validFrom`: the
 * list's start, for tests that ask which stations were listed at an instant (default: the import's).
 */
export async function loadBayWheelsStations(store: Store, validFrom?: string): Promise<void> {
  await store.run(`INSERT INTO stations (system_id, station_id, short_name, name, lat, lon, capacity${validFrom ? ', valid_from' : ''})
    SELECT 'baywheels', s.station_id, s.short_name, s.name, s.lat, s.lon, s.capacity${validFrom ? `, TIMESTAMPTZ '${validFrom}'` : ''}
    FROM (SELECT unnest(data.stations, recursive := true) FROM read_json('${INFO}', maximum_object_size = 67108864)) s
    WHERE s.station_id IN (SELECT DISTINCT station_id FROM hourly_flows)`);
}

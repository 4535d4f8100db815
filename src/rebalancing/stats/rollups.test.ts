// The roll-ups follow the flows: rebuilt when a writer bumps the version (or the zone changes),
// reused otherwise; and a report read from them equals the station-hours summed directly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { recomputeHourlyFlows } from '../../platform/flows/derive-sql.ts';
import { bumpFlowVersion, flowVersion } from '../../platform/flows/version.ts';
import { refreshRollups } from './rollups.ts';
import { runStats } from './run.ts';

test('status roll-ups: rebuilt after a flow write, reused otherwise, local days and hours in the zone', () =>
  withTempStore(async ({ store }) => {
    await store.run(`INSERT INTO systems (system_id, timezone, country) VALUES ('s', 'America/Los_Angeles', 'US')`);
    // 2024-03-10 is the spring-forward day in Los Angeles: 01:00 PST = 09:00 UTC, 03:00 PDT = 10:00 UTC.
    await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES
      ('s', 'X', '2024-03-10 09:00:00+00', 2, 0, 60, 0, 0, 'status'),
      ('s', 'X', '2024-03-10 10:00:00+00', 3, 1, 60, 20, 0, 'status'),
      ('s', 'X', '2024-03-10 07:59:00+00', 0, 4, 60, 0, 0, 'status')`); // 23:59 PST on 03-09 (hour rows are truncated in practice)
    await bumpFlowVersion(store, 's', 'hourly_flows');
    const first = await refreshRollups(store, 's', 'America/Los_Angeles');
    assert.deepEqual(first.map((r) => [r.source, r.rebuilt, r.stationDays]), [['trips', true, 0], ['status', true, 2]]);
    const days = await store.all<{ d: string; p: number; r: number; hours: Array<{ h: number; p: number }>; me: number }>(
      `SELECT local_date::VARCHAR AS d, pickups AS p, returns AS r, hours, minutes_empty AS me FROM stats_station_days WHERE source = 'status' ORDER BY d`,
    );
    assert.deepEqual(days.map((x) => [x.d, x.p, x.r, x.me]), [['2024-03-09', 0, 4, 0], ['2024-03-10', 5, 1, 20]]);
    // 01:00 PST and 03:00 PDT: the local hours 1 and 3 (there is no 02:00 that day).
    assert.deepEqual(days[1]!.hours.map((x) => [x.h, x.p]).sort(), [[1, 2], [3, 3]]);

    const again = await refreshRollups(store, 's', 'America/Los_Angeles');
    assert.deepEqual(again.map((r) => r.rebuilt), [false, false]);

    // A writer adds an hour and bumps the version: the report sees it.
    await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES
      ('s', 'Y', '2024-03-11 16:00:00+00', 7, 0, 60, 0, 0, 'status')`);
    await bumpFlowVersion(store, 's', 'hourly_flows');
    const { report } = await runStats(store, 's', { from: null, to: null });
    assert.equal(report.summary.rentals, 12);
    const period = await runStats(store, 's', { from: '2024-03-10', to: '2024-03-10' });
    assert.equal(period.report.summary.rentals, 5);
    assert.deepEqual(period.report.stations.map((s) => [s.station_id, s.pickups, s.returns]), [['X', 5, 1]]);
  }));

test('the status writer bumps the flow version in its own transaction', () =>
  withTempStore(async ({ store }) => {
    await store.run(`INSERT INTO systems (system_id, timezone) VALUES ('s', 'UTC')`);
    assert.equal(await flowVersion(store, 's', 'hourly_flows'), 0);
    await store.transaction(async (s) => {
      await recomputeHourlyFlows(s, 's', undefined, 8);
    });
    assert.equal(await flowVersion(store, 's', 'hourly_flows'), 1);
    await store.transaction(async (s) => {
      await recomputeHourlyFlows(s, 's', undefined, 8);
    });
    assert.equal(await flowVersion(store, 's', 'hourly_flows'), 2);
    assert.equal(await flowVersion(store, 's', 'trip_hourly_flows'), 0);
  }));

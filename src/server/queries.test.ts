// The day's KPIs count observed time only: a station's state holds until its next row, but not
// through a feed outage (the gaps table) nor past the last good snapshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withTempStore } from '../../test/helpers/store.ts';
import { dayKpis } from './queries.ts';

test('dayKpis: empty and full station-minutes leave out feed gaps and the time after the last good snapshot', () =>
  withTempStore(async (t) => {
    const s = t.store;
    const at = (hhmm: string) => `TIMESTAMPTZ '2023-05-30 ${hhmm}:00+00'`;
    await s.run("INSERT INTO systems (system_id, name, timezone) VALUES ('x', 'x', 'UTC')");
    // A: empty from midnight to 06:00; B: full from midnight on, no later row; C: neither.
    await s.run(`INSERT INTO status (system_id, station_id, observed_at, bikes_available, docks_available) VALUES
      ('x', 'A', ${at('00:00')}, 0, 10), ('x', 'A', ${at('06:00')}, 5, 5),
      ('x', 'B', ${at('00:00')}, 10, 0), ('x', 'C', ${at('00:00')}, 5, 5)`);
    // Good snapshots up to 10:00; the feed was down 02:00-03:00; "now" is 12:00 (down since 10:00).
    await s.run(`INSERT INTO snapshots (system_id, observed_at) VALUES ('x', ${at('00:00')}), ('x', ${at('06:00')}), ('x', ${at('10:00')})`);
    await s.run(`INSERT INTO gaps (system_id, gap_start, gap_end, reason) VALUES ('x', ${at('02:00')}, ${at('03:00')}, 'no good snapshot')`);
    const k = await dayKpis(s, 'x', 'UTC', Date.parse('2023-05-30T12:00:00Z'));
    assert.equal(k.day_start, '2023-05-30T00:00:00.000Z');
    assert.equal(k.observed_minutes, 9 * 60, 'midnight to the last snapshot (10 h), less the 1 h gap');
    assert.equal(k.empty_station_minutes, 5 * 60, 'A: 6 h empty, less the gap (counted as 6 h before)');
    assert.equal(k.full_station_minutes, 9 * 60, 'B: full to the last snapshot, less the gap (12 h before)');
  }));

// Issue 18 §3 / issue 20 item 6: every time read by one rule whatever the host's TZ (CI runs this
// file under America/Los_Angeles as well as the machine's zone).
import { asSystemId } from '../src/platform/ids.ts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseInstant } from '../src/cli/targets.ts';
import { lastShiftStart } from '../src/rebalancing/demo.ts';
import { validateStationStatus } from '../src/platform/collect/validate-status.ts';
import { dataFile, repoRoot } from '../src/platform/bundled-data.ts';
import { runImport } from '../src/platform/import/run-import.ts';
import { importer as seoulTrips } from '../src/platform/import/seoul-trips.ts';
import { systemTimezone } from '../src/platform/store/systems.ts';
import { localizer } from '../src/platform/time/index.ts';
import { tempStore, withTempStore } from './helpers/store.ts';

const run = promisify(execFile);
const iso = (ms: number) => new Date(ms).toISOString();

test('an impossible date in a flag is refused, naming the flag', async () => {
  assert.throws(() => parseInstant('2023-02-30T10:00:00Z', '--at', 'UTC'), /^UserError: --at: .*no day 30|--at: .*no day 30/);
  const t = await tempStore();
  try {
    await t.store.close();
    const r = await run(process.execPath, [join(repoRoot(), 'bin', 'urbanlab.js'), 'stats', '--system', 'seoul', '--from', '2023-02-30', '--db', t.path]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /--from: '2023-02-30' is not a date/);
    assert.doesNotMatch(r.stderr, /Conversion Error|at .*\.ts:\d+/);
  } finally {
    await t.dispose();
  }
});

test("a naive time is read in the system's zone, whatever the host's TZ", () => {
  assert.equal(iso(parseInstant('2023-03-06T08:00', '--at', 'Asia/Seoul') * 1000), '2023-03-05T23:00:00.000Z');
  assert.equal(iso(parseInstant('2023-03-06T08:00', '--at', 'America/Los_Angeles') * 1000), '2023-03-06T16:00:00.000Z');
  assert.equal(iso(parseInstant('2023-03-06', '--from', 'America/Los_Angeles') * 1000), '2023-03-06T08:00:00.000Z');
  assert.equal(iso(parseInstant('2023-03-06T08:00:00+09:00', '--at', 'America/Los_Angeles') * 1000), '2023-03-05T23:00:00.000Z');
  // GBFS last_updated without an offset: the system's wall clock, not the machine's.
  const doc = { last_updated: '2023-03-06T08:00:00', ttl: 60, data: { stations: [] } };
  const v = validateStationStatus(doc, { fetchedAt: new Date('2023-03-06T16:00:30Z'), timeZone: 'America/Los_Angeles' });
  assert.equal(v.ok && v.lastUpdated?.toISOString(), '2023-03-06T16:00:00.000Z');
});

test('day boundaries across the Los Angeles DST change are local days', () => {
  const day = localizer('America/Los_Angeles');
  // 2023-03-12 has 23 local hours: 23:00 PDT is 06:00Z on the 13th, midnight of the 13th 07:00Z.
  assert.deepEqual(day(Date.parse('2023-03-13T06:00:00Z')), { date: '2023-03-12', hour: 23, weekday: 6 });
  assert.deepEqual(day(Date.parse('2023-03-13T07:00:00Z')), { date: '2023-03-13', hour: 0, weekday: 0 });
  assert.deepEqual(day(Date.parse('2023-03-12T10:00:00Z')), { date: '2023-03-12', hour: 3, weekday: 6 });
  // The demo's shift start: 07:00 PST on the 11th, 07:00 PDT on the 12th.
  assert.equal(iso(lastShiftStart(Date.parse('2023-03-12T13:59:00Z'), 'America/Los_Angeles')), '2023-03-11T15:00:00.000Z');
  assert.equal(iso(lastShiftStart(Date.parse('2023-03-12T14:00:00Z'), 'America/Los_Angeles')), '2023-03-12T14:00:00.000Z');
  assert.equal(iso(lastShiftStart(Date.parse('2023-11-05T16:00:00Z'), 'America/Los_Angeles')), '2023-11-05T15:00:00.000Z');
});

test('import seoul-trips --system <name> creates the system in Asia/Seoul', () =>
  withTempStore(async (t) => {
    const file = dataFile('seoul', 'trips', 'trip_history_sample_17col_999rows.csv');
    await runImport(t.store, seoulTrips, [file], { system: asSystemId('ddareungi') });
    await runImport(t.store, seoulTrips, [file], { system: asSystemId('seoul') });
    assert.equal(await systemTimezone(t.store, asSystemId('ddareungi')), 'Asia/Seoul');
    // The same local times land on the same instants as under the known 'seoul' system (not 9 h late).
    const firsts = await t.store.all<{ system_id: string; first: number }>('SELECT system_id, epoch(min(started_at)) AS first FROM trips GROUP BY system_id ORDER BY system_id');
    assert.equal(firsts.length, 2);
    assert.equal(firsts[0]!.first, firsts[1]!.first);
  }));

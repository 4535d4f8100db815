import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { tempStore } from '../../../test/helpers/store.ts';
import type { Store } from '../store/connection.ts';
import { insertRows } from '../store/bulk-insert.ts';
import { recomputeHourlyFlows, refreshGaps } from './derive-sql.ts';
import { findGaps } from './gaps.ts';
import { deriveHourlyFlows, type HourlyFlow, type StatusPoint } from './hourly.ts';

const H = 3600;
const T0 = 1_700_000_000 - (1_700_000_000 % H); // an hour boundary
const p = (stationId: string, t: number, bikes: number, docks = 10, extra: Partial<StatusPoint> = {}): StatusPoint =>
  ({ stationId, t, bikes, disabled: 0, docks, installed: true, ...extra });
const at = (flows: HourlyFlow[], id: string, hour: number) => flows.find((f) => f.stationId === id && f.hour === hour);

test('drops are pickups and rises are returns, in the hour the change was seen', () => {
  // Snapshots every 10 minutes for two hours; station A: 5 -> 3 (2 pickups) -> 4 (1 return) -> 1 (3 pickups, next hour).
  const rows = [p('A', T0, 5), p('A', T0 + 1200, 3), p('A', T0 + 2400, 4), p('A', T0 + H + 600, 1)];
  const f = deriveHourlyFlows({ lastSnapshot: T0 + 2 * H, gaps: [], rows, truckThreshold: 8 });
  assert.deepEqual([at(f, 'A', T0)!.pickups, at(f, 'A', T0)!.returns], [2, 1]);
  assert.deepEqual([at(f, 'A', T0 + H)!.pickups, at(f, 'A', T0 + H)!.returns], [3, 0]);
  assert.equal(at(f, 'A', T0)!.minutesObserved, 60);
  assert.equal(at(f, 'A', T0 + H)!.minutesObserved, 60);
});

test('a truck move (a jump of at least the threshold) is rebalancing, not demand', () => {
  const rows = [p('A', T0, 2), p('A', T0 + 600, 14), p('A', T0 + 1200, 13), p('A', T0 + 1800, 3)];
  const f = deriveHourlyFlows({ lastSnapshot: T0 + H, gaps: [], rows, truckThreshold: 8 });
  const c = at(f, 'A', T0)!;
  assert.deepEqual([c.pickups, c.returns, c.truckIn, c.truckOut], [1, 0, 12, 10]);
});

test('a feed outage: no flow across it, and its minutes are not observed', () => {
  // Snapshots every 10 min except an outage from T0+1200 to T0+3000 (30 min).
  const times = [T0, T0 + 600, T0 + 1200, T0 + 3000, T0 + 3600];
  const { gaps } = findGaps(times, 2);
  assert.deepEqual(gaps, [{ start: T0 + 1200, end: T0 + 3000 }]);
  // The change seen right after the outage (7 -> 2) happened at an unknown time: not counted.
  const rows = [p('A', T0, 8), p('A', T0 + 600, 7), p('A', T0 + 3000, 2), p('A', T0 + 3600, 1)];
  const f = deriveHourlyFlows({ lastSnapshot: T0 + 2 * H, gaps, rows, truckThreshold: 8 });
  assert.equal(at(f, 'A', T0)!.pickups, 1);
  assert.equal(at(f, 'A', T0)!.minutesObserved, 30);
  assert.equal(at(f, 'A', T0 + H)!.pickups, 1);
});

test('a station that joins exists from its first row, with no flow for its arrival', () => {
  const rows = [p('A', T0, 5), p('B', T0 + 1800, 9), p('B', T0 + 2400, 7)];
  const f = deriveHourlyFlows({ lastSnapshot: T0 + H, gaps: [], rows, truckThreshold: 8 });
  const b = at(f, 'B', T0)!;
  assert.equal(b.minutesObserved, 30);
  assert.equal(b.pickups, 2);
  assert.equal(b.returns, 0);
});

test('a removed station is observed only until its removal; empty and full minutes follow the state', () => {
  const rows = [p('A', T0, 0, 10), p('A', T0 + 900, 10, 0)];
  const f = deriveHourlyFlows({ lastSnapshot: T0 + 2 * H, gaps: [], rows, truckThreshold: 20, removedAt: new Map([['A', T0 + 1800]]) });
  assert.equal(f.length, 1);
  const c = f[0]!;
  assert.deepEqual([c.minutesObserved, c.minutesEmpty, c.minutesFull, c.returns], [30, 15, 15, 10]);
});

test('a disabled bike is not a pickup (docked bikes = available + disabled); uninstalled time is not observed', () => {
  const rows = [p('A', T0, 5), p('A', T0 + 600, 4, 10, { disabled: 1 }), p('A', T0 + 1200, 4, 10, { installed: false }), p('A', T0 + 1800, 0, 10, { installed: true })];
  const f = deriveHourlyFlows({ lastSnapshot: T0 + H, gaps: [], rows, truckThreshold: 8 });
  const c = at(f, 'A', T0)!;
  assert.deepEqual([c.pickups, c.returns, c.minutesObserved], [0, 0, 50]);
});

// ---- the SQL form agrees with the reference, on random change logs --------------------------------

async function loadLog(store: Store, snaps: number[], rows: StatusPoint[], removed: Map<string, number>): Promise<void> {
  await store.run("INSERT INTO systems (system_id) VALUES ('s')");
  await insertRows(store, 'snapshots (system_id, observed_at)', "('s', to_timestamp($1))", snaps.map((t) => [t]));
  await insertRows(store, 'status (system_id, station_id, observed_at, bikes_available, bikes_disabled, docks_available, is_installed)',
    "('s', $1, to_timestamp($2), $3, $4, $5, $6)", rows.map((r) => [r.stationId, r.t, r.bikes, r.disabled ?? null, r.docks ?? null, r.installed]));
  await insertRows(store, 'stations (system_id, station_id, valid_to)', "('s', $1, to_timestamp($2))", [...removed].map(([id, t]) => [id, t]));
}

async function sqlFlows(store: Store): Promise<HourlyFlow[]> {
  const rows = await store.all<Record<string, number | string>>(`SELECT station_id, epoch(hour) AS hour, pickups, returns, truck_in, truck_out,
      minutes_observed, minutes_empty, minutes_full FROM hourly_flows ORDER BY station_id, hour`);
  return rows.map((r) => ({ stationId: String(r['station_id']), hour: Number(r['hour']), pickups: Number(r['pickups']), returns: Number(r['returns']),
    truckIn: Number(r['truck_in']), truckOut: Number(r['truck_out']), minutesObserved: Number(r['minutes_observed']), minutesEmpty: Number(r['minutes_empty']), minutesFull: Number(r['minutes_full']) }));
}

function assertSameFlows(actual: HourlyFlow[], expected: HourlyFlow[]): void {
  const round = (f: HourlyFlow[]) => f.map((x) => ({ ...x, minutesObserved: +x.minutesObserved.toFixed(6), minutesEmpty: +x.minutesEmpty.toFixed(6), minutesFull: +x.minutesFull.toFixed(6) }));
  assert.deepEqual(round(actual), round(expected));
}

const logArb = fc.record({
  // snapshot intervals: mostly 10 min, sometimes an outage
  intervals: fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 500, max: 700 }) }, { weight: 1, arbitrary: fc.integer({ min: 2000, max: 9000 }) }), { minLength: 5, maxLength: 40 }),
  stations: fc.array(fc.record({
    joinAt: fc.nat({ max: 10 }),
    changes: fc.array(fc.record({ at: fc.nat({ max: 40 }), bikes: fc.integer({ min: 0, max: 25 }), docks: fc.integer({ min: 0, max: 3 }), installed: fc.boolean() }), { maxLength: 12 }),
    removedAfter: fc.option(fc.integer({ min: 0, max: 50000 }), { nil: undefined }),
  }), { minLength: 1, maxLength: 4 }),
  recomputeFrom: fc.nat({ max: 40 }),
});

test('SQL hourly flows equal the reference derivation (random change logs, incremental recompute)', async () => {
  const t = await tempStore();
  try {
  await fc.assert(fc.asyncProperty(logArb, async (log) => {
    const snaps = [T0 + 17];
    for (const d of log.intervals) snaps.push(snaps[snaps.length - 1]! + d);
    const rows: StatusPoint[] = [];
    const removed = new Map<string, number>();
    log.stations.forEach((s, i) => {
      const id = `st-${i}`;
      const times = new Set<number>([Math.min(s.joinAt, snaps.length - 1)]);
      const byIndex = new Map<number, (typeof s.changes)[number]>();
      for (const c of s.changes) if (c.at >= s.joinAt && c.at < snaps.length) { times.add(c.at); byIndex.set(c.at, c); }
      for (const k of [...times].sort((a, b) => a - b)) {
        const c = byIndex.get(k) ?? { bikes: 5, docks: 2, installed: true };
        rows.push({ stationId: id, t: snaps[k]!, bikes: c.bikes, disabled: 0, docks: c.docks, installed: c.installed || c.bikes % 5 !== 0 });
      }
      if (s.removedAfter !== undefined) removed.set(id, snaps[0]! + s.removedAfter);
    });
    const { gaps } = findGaps(snaps, 3);
    const expected = deriveHourlyFlows({ lastSnapshot: snaps[snaps.length - 1]!, gaps, rows, removedAt: removed, truckThreshold: 8 });
    for (const table of ['hourly_flows', 'gaps', 'status', 'snapshots', 'stations', 'systems']) await t.store.run(`DELETE FROM ${table}`);
    {
      await loadLog(t.store, snaps, rows, removed);
      await refreshGaps(t.store, 's', 3);
      const storedGaps = await t.store.all<{ s: number; e: number }>('SELECT epoch(gap_start) AS s, epoch(gap_end) AS e FROM gaps ORDER BY 1');
      assert.deepEqual(storedGaps.map((g) => ({ start: g.s, end: g.e })), gaps);
      await recomputeHourlyFlows(t.store, 's', undefined, 8);
      assertSameFlows(await sqlFlows(t.store), expected);
      // Recomputing from a later hour leaves the same table.
      await recomputeHourlyFlows(t.store, 's', snaps[Math.min(log.recomputeFrom, snaps.length - 1)]!, 8);
      assertSameFlows(await sqlFlows(t.store), expected);
    }
  }), { numRuns: 30 });
  } finally {
    await t.dispose();
  }
});

// loadPanel's stock at each hour start (bikes, e-bikes, docks): the last status row strictly before
// the hour, carried forward; nothing at or after the requested end is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { openStore } from '../src/platform/store/connection.ts';
import { loadBatchLaw, loadPanel, panelWindow, readPanel, snapshotPanel } from '../src/rebalancing/forecast/store.ts';
import { tempStore } from './helpers/store.ts';

test('loadPanel: stock at each hour start is the last status before it, none read past --to', async () => {
  const t = await tempStore();
  try {
    const { store } = t;
    await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('sys', 'Test', 'UTC', 'US')`);
    for (const s of ['a', 'b']) {
      for (let h = 0; h < 4; h++) {
        await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES ('sys', '${s}', TIMESTAMPTZ '2023-03-01 0${h}:00:00+00', 1, 1, 60, 0, 0, 'status')`);
      }
    }
    const status = [
      // station a: before the panel, then mid-hour 1, then exactly at the start of hour 3
      ['a', '2023-02-28 23:50:00', 5, 2, 10],
      ['a', '2023-03-01 01:30:00', 4, 1, 11],
      ['a', '2023-03-01 03:00:00', 3, 0, 12],
      // station b: first seen in hour 1
      ['b', '2023-03-01 01:10:00', 7, 7, 1],
    ] as const;
    for (const [s, at, b, e, d] of status) {
      await store.run(`INSERT INTO status (system_id, station_id, observed_at, bikes_available, ebikes_available, docks_available, import_id) VALUES ('sys', '${s}', TIMESTAMPTZ '${at}+00', ${b}, ${e}, ${d}, 1)`);
    }
    const p = await loadPanel(store, 'sys');
    assert.deepEqual(p.stations, ['a', 'b']);
    assert.equal(p.hours, 4);
    const st = p.stock!;
    assert.deepEqual(Array.from(st.bikes.subarray(0, 4)), [5, 5, 4, 4]); // the 03:00 row is not before 03:00
    assert.deepEqual(Array.from(st.ebikes.subarray(0, 4)), [2, 2, 1, 1]);
    assert.deepEqual(Array.from(st.docks.subarray(0, 4)), [10, 10, 11, 11]);
    assert.deepEqual(Array.from(st.bikes.subarray(4, 8)), [Number.NaN, Number.NaN, 7, 7]);
    // A forecast panel ending at 01:00 with 3 hours added: the 01:30 row lies after its end.
    const q = await loadPanel(store, 'sys', { to: Date.parse('2023-03-01T01:00:00Z'), extendHours: 3 });
    assert.equal(q.hours, 4);
    assert.deepEqual(Array.from(q.stock!.bikes.subarray(0, 4)), [5, 5, 5, 5]);

    // The service's worker reads a snapshot of the window's rows (snapshotPanel, through a second
    // connection): the same panel, for the whole span and for the forecast window; another system's
    // rows and a write made after the snapshot are not in it.
    await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('other', 'Other', 'Asia/Seoul', 'KR')`);
    await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES ('other', 'z', TIMESTAMPTZ '2023-03-01 01:00:00+00', 9, 9, 60, 0, 0, 'status')`);
    for (const [name, query] of [['all', {}], ['forecast', { to: Date.parse('2023-03-01T01:00:00Z'), extendHours: 3 }]] as const) {
      const w = await panelWindow(store, 'sys', query);
      const file = join(t.dir, `panel-${name}.duckdb`);
      const reader = await store.reader();
      await snapshotPanel(reader, 'sys', w, file);
      await reader.close();
      await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES ('sys', 'late-${name}', TIMESTAMPTZ '2023-03-01 00:00:00+00', 1, 1, 60, 0, 0, 'status')`);
      const snap = await openStore(file, { readOnly: true, migrate: false });
      try {
        const fromSnap = await readPanel(snap, 'sys', w);
        await store.run(`DELETE FROM hourly_flows WHERE station_id = 'late-${name}'`);
        assert.deepEqual(fromSnap, await loadPanel(store, 'sys', query), name);
        assert.deepEqual((await snap.all(`SELECT DISTINCT system_id FROM hourly_flows UNION SELECT system_id FROM systems`)).map((r) => r['system_id']), ['sys']);
      } finally {
        await snap.close();
      }
    }
    // No status at all: no stock.
    await store.run(`DELETE FROM status`);
    assert.equal((await loadPanel(store, 'sys')).stock, null);
  } finally {
    await t.dispose();
  }
});

test('loadBatchLaw: demand moves by size at quiet stations only, trucks and moves before the window left out', async () => {
  const t = await tempStore();
  try {
    const { store } = t;
    await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('sys', 'Test', 'UTC', 'US')`);
    // 'q' averages 0.1 pickups and returns an hour over the window, 'busy' 3.
    for (const [s, v] of [['q', 0.1], ['busy', 3]] as const) {
      for (let h = 0; h < 4; h++) {
        await store.run(`INSERT INTO hourly_flows (system_id, station_id, hour, pickups, returns, minutes_observed, minutes_empty, minutes_full, source) VALUES ('sys', '${s}', TIMESTAMPTZ '2023-03-01 0${h}:00:00+00', ${v}, ${v}, 60, 0, 0, 'status')`);
      }
    }
    const status = [
      ['q', '2023-02-28 23:00:00', 12], // before the window: its fall to 10 is not counted...
      ['q', '2023-02-28 23:50:00', 10],
      ['q', '2023-03-01 00:10:00', 8], // ...but it is the state this pickup of 2 starts from
      ['q', '2023-03-01 00:20:00', 9], // a return of 1
      ['q', '2023-03-01 01:00:00', 20], // a truck (11 >= 8)
      ['q', '2023-03-01 02:00:00', 19], // a pickup of 1
      ['busy', '2023-03-01 00:00:00', 10],
      ['busy', '2023-03-01 00:10:00', 7],
    ] as const;
    for (const [s, at, b] of status) {
      await store.run(`INSERT INTO status (system_id, station_id, observed_at, bikes_available, ebikes_available, docks_available, import_id) VALUES ('sys', '${s}', TIMESTAMPTZ '${at}+00', ${b}, 0, 5, 1)`);
    }
    const law = await loadBatchLaw(store, 'sys', Date.parse('2023-03-01T00:00:00Z'), Date.parse('2023-03-01T04:00:00Z'));
    assert.deepEqual(law, { pickups: [1, 1, 0, 0, 0, 0, 0], returns: [1, 0, 0, 0, 0, 0, 0] });
    await store.run(`DELETE FROM status`);
    assert.equal(await loadBatchLaw(store, 'sys', Date.parse('2023-03-01T00:00:00Z'), Date.parse('2023-03-01T04:00:00Z')), null);
  } finally {
    await t.dispose();
  }
});

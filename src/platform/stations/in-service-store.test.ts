// Issue 19 on the real bundled Bay Wheels history: the whole station_information history (70
// documents) and the status changes of two handovers, where the feed gave a station a new id at the
// same corner: '583' (Folsom St at Main St) -> 840ab61e in September 2022, and '584' (Webster St at
// Union St) -> 8e8eb1c3 in November 2022, whose new id reported three days before the list showed it.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { INFO_FILE, CHANGES_FILE } from '../../../test/helpers/gbfs-slice.ts';
import { parseStationInformation, type GbfsStation } from '../gbfs/feeds.ts';
import { applyStationDocuments } from '../gbfs/station-versions.ts';
import { loadStationsInService } from './in-service-store.ts';

const at = (iso: string) => Date.parse(iso) / 1000;
const NEW_583 = '840ab61e-f6aa-4174-9881-5d57201ce1b9';
const NEW_584 = '8e8eb1c3-1792-46e7-9c03-eb60e4271a52';

test('Bay Wheels: one station over time at Folsom St at Main St and Webster St at Union St, and a station that stopped reporting', () =>
  withTempStore(async ({ store }) => {
    await store.run(`INSERT INTO systems (system_id, name, timezone, country) VALUES ('baywheels', 'Bay Wheels', 'America/Los_Angeles', 'US')`);
    const docs: { t: number; stations: GbfsStation[] }[] = [];
    for await (const line of createInterface({ input: createReadStream(INFO_FILE).pipe(createGunzip()), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { snapshot_time: number; feed: unknown };
      docs.push({ t: o.snapshot_time, stations: parseStationInformation(o.feed).items });
    }
    assert.equal(docs.length, 70);
    await applyStationDocuments(store, 'baywheels', 1, docs, 'gbfs-history');
    // Two days of status around each handover, every station.
    const windows = [['2022-09-09', '2022-09-12'], ['2022-11-09', '2022-11-12']].map(([a, b]) => `(snapshot_time >= ${at(`${a}T00:00:00Z`)} AND snapshot_time < ${at(`${b}T00:00:00Z`)})`).join(' OR ');
    await store.run(`INSERT INTO status (system_id, station_id, observed_at, last_reported, bikes_available, docks_available)
      SELECT 'baywheels', station_id, to_timestamp(snapshot_time), to_timestamp(last_reported), num_bikes_available, num_docks_available
      FROM read_csv('${CHANGES_FILE}', header = true, types = {'station_id': 'VARCHAR'}) WHERE ${windows}`);

    // 2022-09-10 12:00 PDT: '583' still listed and reporting; its new id neither.
    const sep10 = await loadStationsInService(store, 'baywheels', at('2022-09-10T19:00:00Z'));
    assert.ok(sep10.ids.includes('583' as never));
    assert.ok(!sep10.ids.includes(NEW_583 as never));
    // 2022-09-11 12:00 PDT: the new id, never both; it continues '583'.
    const sep11 = await loadStationsInService(store, 'baywheels', at('2022-09-11T19:00:00Z'));
    assert.ok(sep11.ids.includes(NEW_583 as never));
    assert.ok(!sep11.ids.includes('583' as never));
    assert.deepEqual(sep11.continues.get(NEW_583 as never), ['583']);
    // 2022-11-10 14:00 PST: '584' went silent at 01:37 UTC, its new id reports from 02:29 UTC and is
    // listed only on 2022-11-13: the new id stands in for it.
    const nov10 = await loadStationsInService(store, 'baywheels', at('2022-11-10T22:00:00Z'));
    assert.ok(nov10.ids.includes(NEW_584 as never), 'the successor that already reports');
    assert.ok(!nov10.ids.includes('584' as never));
    assert.ok(!nov10.unlisted.includes(NEW_584 as never));
    // Never two at one place: no two stations in service within 5 m of each other.
    const places = await store.all<{ station_id: string; lat: number; lon: number }>("SELECT station_id, lat, lon FROM stations WHERE system_id = 'baywheels'");
    const where = new Map(places.map((p) => [p.station_id, p]));
    for (const s of [sep10, sep11, nov10]) {
      const seen = new Map<string, string>();
      for (const id of s.ids) {
        const p = where.get(id)!;
        const key = `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`;
        assert.ok(!seen.has(key), `${id} and ${seen.get(key)} at one place at ${new Date(s.at * 1000).toISOString()}`);
        seen.set(key, id);
      }
    }
    // Two days past the status loaded, staleness is judged against the system's last status, so a
    // feed outage does not make every station stale (how old that status is: the caller's check).
    const later = await loadStationsInService(store, 'baywheels', at('2022-11-14T00:00:00Z'));
    assert.ok(later.reference! < at('2022-11-12T00:00:00Z') && later.reference! > at('2022-11-11T23:00:00Z'));
    assert.ok(later.ids.length > 400, `${later.ids.length} in service`);
  }));

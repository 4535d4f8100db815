import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formerIds, metresBetween, stationsInService, successions, type Listing } from './in-service.ts';

const DAY = 86400;
const opts = { staleS: DAY };
// Folsom St at Main St: '583' listed until day 10, its new id from day 10 at the same corner.
const corner = { lat: 37.788991, lon: -122.392255 };
const listings: Listing[] = [
  { stationId: '583', from: 0, to: 10 * DAY, ...corner },
  { stationId: '840ab61e', from: 10 * DAY, to: null, ...corner },
  { stationId: 'far', from: 0, to: null, lat: 37.80, lon: -122.27 },
  { stationId: 'gone', from: 0, to: 5 * DAY, lat: 37.70, lon: -122.40 },
  // A version change (capacity) of one station: two rows, one station.
  { stationId: 'v', from: 0, to: 3 * DAY, lat: 37.75, lon: -122.41 },
  { stationId: 'v', from: 3 * DAY, to: null, lat: 37.75, lon: -122.41 },
];

test('listed at the instant and reporting: in service; the old id of a moved station is not', () => {
  const reports = [
    { stationId: '583', at: 9.5 * DAY }, // still wrote rows after it left the list
    { stationId: '840ab61e', at: 19.9 * DAY },
    { stationId: 'far', at: 18 * DAY }, // two days silent: stale
    { stationId: 'v', at: 19.5 * DAY },
    { stationId: 'ghost', at: 19.8 * DAY }, // reports but never listed
  ];
  const s = stationsInService(listings, reports, 20 * DAY, 20 * DAY, opts);
  assert.deepEqual(s.ids, ['840ab61e', 'v']);
  assert.deepEqual(s.stale, ['far']);
  assert.deepEqual(s.unlisted, ['ghost']);
  assert.deepEqual(s.silent, []);
  assert.deepEqual([...s.continues], [['840ab61e', ['583']]]);
});

test('before the handover the old id is the one in service, never both', () => {
  const reports = [{ stationId: '583', at: 8.9 * DAY }, { stationId: 'far', at: 8.5 * DAY }, { stationId: 'v', at: 8 * DAY }, { stationId: 'gone', at: 4 * DAY }];
  const s = stationsInService(listings, reports, 9 * DAY, 9 * DAY, opts);
  assert.deepEqual(s.ids, ['583', 'far', 'v']);
  assert.deepEqual(s.silent, []);
  assert.ok(!s.ids.includes('gone' as never), 'left the list on day 5');
  assert.ok(!s.unlisted.includes('gone' as never), 'and it is stale too: not named as reporting');
});

test('staleness is judged against the system\'s last status when the instant is past it', () => {
  const reports = [{ stationId: 'far', at: 18 * DAY }, { stationId: 'v', at: 17.5 * DAY }, { stationId: '840ab61e', at: 11 * DAY }];
  const s = stationsInService(listings, reports, 30 * DAY, 18 * DAY, opts);
  assert.equal(s.reference, 18 * DAY);
  assert.deepEqual(s.ids, ['far', 'v']);
  assert.deepEqual(s.stale, ['840ab61e']);
});

test('no status at all: the list alone decides; no list: the reporting stations', () => {
  const s = stationsInService(listings, [], 20 * DAY, null, opts);
  assert.deepEqual(s.ids, ['840ab61e', 'far', 'v']);
  const t = stationsInService([], [{ stationId: 'a', at: 10 }, { stationId: 'b', at: 10 - 2 * DAY }], 10, 10, opts);
  assert.deepEqual(t.ids, ['a']);
  assert.deepEqual(t.stale, ['b']);
  assert.ok(t.judged);
  assert.equal(stationsInService([], [], 10, null, opts).judged, false, 'nothing to judge by');
});

test('before the first list known, the first list stands', () => {
  const l: Listing[] = [{ stationId: 'a', from: 100, to: null, lat: 1, lon: 1 }];
  assert.deepEqual(stationsInService(l, [], 50, null, opts).ids, ['a']);
});

test('a successor must stand at the same place and start as the other ends', () => {
  const l: Listing[] = [
    { stationId: 'old', from: 0, to: 10 * DAY, lat: 37.7, lon: -122.4 },
    { stationId: 'near', from: 10 * DAY, to: null, lat: 37.7002, lon: -122.4 }, // ~22 m
    { stationId: 'across', from: 10 * DAY, to: null, lat: 37.71, lon: -122.4 }, // ~1.1 km
    { stationId: 'late', from: 15 * DAY, to: null, lat: 37.7, lon: -122.4 }, // same place, 5 days later
  ];
  assert.deepEqual([...successions(l)], [['old', 'near']]);
  assert.deepEqual([...successions(l, { samePlaceMetres: 10 })], []);
  assert.ok(metresBetween(37.7, -122.4, 37.7002, -122.4) > 20 && metresBetween(37.7, -122.4, 37.7002, -122.4) < 25);
});

test('chains of ids: the newest knows all its former ids', () => {
  const l: Listing[] = [
    { stationId: 'a', from: 0, to: 10, lat: 1, lon: 1 },
    { stationId: 'b', from: 10, to: 20, lat: 1, lon: 1 },
    { stationId: 'c', from: 20, to: null, lat: 1, lon: 1 },
  ];
  assert.deepEqual([...formerIds(successions(l))].sort(), [['b', ['a']], ['c', ['b', 'a']]]);
});

test('a successor that reports before the list shows it replaces its listed predecessor', () => {
  // '584' stopped at 01:37, its new id reported from 02:29; the list changed three days later.
  const l: Listing[] = [
    { stationId: '584', from: 0, to: 13 * DAY, ...corner },
    { stationId: 'new', from: 13 * DAY, to: null, ...corner },
  ];
  const s = stationsInService(l, [{ stationId: '584', at: 10.07 * DAY }, { stationId: 'new', at: 10.9 * DAY }], 10.9 * DAY, 10.9 * DAY, opts);
  assert.deepEqual(s.ids, ['new']);
  assert.deepEqual(s.unlisted, []);
  assert.deepEqual([...s.continues], [['new', ['584']]]);
});

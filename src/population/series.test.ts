// Hour indices of a population series and the instants they stand for, through the zone library:
// Seoul's fixed +09:00, and a zone with daylight saving (Los Angeles) to show that no fixed offset
// is assumed. Whatever the host's TZ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dayOfIsoDate, indexOf, instantOf, localDayOf, seriesFromRows, wallMsAt } from './series.ts';

const iso = (ms: number) => new Date(ms).toISOString();

test("hour i of a Seoul series is Seoul's local hour i after the first day's midnight", () => {
  const s = { startDay: dayOfIsoDate('2022-07-01') };
  assert.equal(iso(instantOf(s, 0)), '2022-06-30T15:00:00.000Z');
  assert.equal(iso(instantOf(s, 33)), '2022-07-02T00:00:00.000Z');
  assert.equal(indexOf(s, Date.parse('2022-07-02T00:00:00Z')), 33);
  assert.equal(localDayOf(Date.parse('2022-06-30T14:59:00Z')), dayOfIsoDate('2022-06-30'));
  assert.equal(localDayOf(Date.parse('2022-06-30T15:00:00Z')), dayOfIsoDate('2022-07-01'));
  assert.equal(iso(wallMsAt(s, 33)), '2022-07-02T09:00:00.000Z'); // the wall clock, for charts
  const built = seriesFromRows('x', [{ hourMs: Date.parse('2022-06-30T15:00:00Z'), total: 1 }, { hourMs: Date.parse('2022-07-01T14:00:00Z'), total: 2 }]);
  assert.equal(built.startDay, dayOfIsoDate('2022-07-01'));
  assert.deepEqual([built.total.length, built.total[0], built.total[23]], [24, 1, 2]);
});

test('on the Los Angeles DST days the local hours map to instants by the zone rules', () => {
  const la = 'America/Los_Angeles';
  const spring = { startDay: dayOfIsoDate('2023-03-12') };
  assert.equal(iso(instantOf(spring, 0, la)), '2023-03-12T08:00:00.000Z');
  assert.equal(iso(instantOf(spring, 1, la)), '2023-03-12T09:00:00.000Z');
  // 02:00 does not exist that night: it reads as 03:00 PDT, the same instant as hour 3.
  assert.equal(iso(instantOf(spring, 2, la)), '2023-03-12T10:00:00.000Z');
  assert.equal(iso(instantOf(spring, 3, la)), '2023-03-12T10:00:00.000Z');
  assert.equal(iso(instantOf(spring, 24, la)), '2023-03-13T07:00:00.000Z');
  assert.equal(indexOf(spring, Date.parse('2023-03-12T10:00:00Z'), la), 3);
  assert.equal(localDayOf(Date.parse('2023-03-13T06:30:00Z'), la), dayOfIsoDate('2023-03-12'));
  const fall = { startDay: dayOfIsoDate('2023-11-05') };
  // 01:00 happens twice: hour 1 is the first (PDT); the second (PST) reads back as hour 1 too.
  assert.equal(iso(instantOf(fall, 1, la)), '2023-11-05T08:00:00.000Z');
  assert.equal(iso(instantOf(fall, 2, la)), '2023-11-05T10:00:00.000Z');
  assert.equal(indexOf(fall, Date.parse('2023-11-05T09:00:00Z'), la), 1);
  assert.equal(iso(instantOf(fall, 24, la)), '2023-11-06T08:00:00.000Z');
});

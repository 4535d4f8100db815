// The one rule, checked whatever the host's TZ (CI runs this file under America/Los_Angeles too).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, instantOfLocalTime, isoInZone, localDate, localDatesBetween, localizer, offsetMs, parseDate, parseTime, readTime, startOfLocalDay, TimeError, wallClockOf, weekdayOfDate } from './index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

test('an explicit offset is taken as given, in any zone', () => {
  assert.equal(iso(parseTime('2023-03-06T08:00:00Z', 'Asia/Seoul', '--at')), '2023-03-06T08:00:00.000Z');
  assert.equal(iso(parseTime('2023-03-06T08:00:00+09:00', 'America/Los_Angeles', '--at')), '2023-03-05T23:00:00.000Z');
  assert.equal(iso(parseTime('2023-03-06T08:00-0700', 'UTC', '--at')), '2023-03-06T15:00:00.000Z');
});

test("a naive time is the system's wall clock, whatever the host's TZ", () => {
  assert.equal(iso(parseTime('2023-03-06T08:00', 'Asia/Seoul', '--at')), '2023-03-05T23:00:00.000Z');
  assert.equal(iso(parseTime('2023-03-06 08:00:00', 'America/Los_Angeles', '--at')), '2023-03-06T16:00:00.000Z');
  assert.equal(iso(parseTime('2023-07-06T08:00:00', 'America/Los_Angeles', '--at')), '2023-07-06T15:00:00.000Z');
  assert.equal(iso(parseTime('2023-03-06', 'Asia/Seoul', '--from')), '2023-03-05T15:00:00.000Z');
  assert.equal(iso(parseTime('2023-03-06T08:00', 'UTC', '--at')), '2023-03-06T08:00:00.000Z');
});

test('an impossible date or time is refused, naming where', () => {
  assert.throws(() => parseTime('2023-02-30T10:00:00Z', 'UTC', '--at'), (e: Error) => e instanceof TimeError && /^--at: .*2023-02 has no day 30/.test(e.message));
  assert.throws(() => parseTime('2023-02-29', 'Asia/Seoul', '--from'), /--from/);
  assert.equal(iso(parseTime('2024-02-29', 'UTC', '--from')), '2024-02-29T00:00:00.000Z');
  assert.throws(() => parseTime('2023-04-31T00:00', 'UTC', 'trips.csv, line 3, field started_at'), /trips\.csv, line 3, field started_at/);
  assert.throws(() => parseTime('2023-01-01T24:30', 'UTC', '--at'), /not a time of day/);
  assert.throws(() => parseTime('2023-13-01', 'UTC', '--at'), /no day/);
  assert.throws(() => parseTime('yesterday', 'UTC', '--at'), /cannot read/);
  assert.throws(() => parseDate('2023-02-30', '--from'), /--from: /);
  assert.equal(parseDate('2023-02-28', '--from'), '2023-02-28');
  assert.equal(readTime('2023-02-30', 'UTC').ok, false);
});

test('a day boundary across the Los Angeles DST change is computed in the zone', () => {
  const la = 'America/Los_Angeles';
  // 2023-03-12 springs forward at 02:00: the local day has 23 hours; 2023-11-05 falls back: 25.
  assert.equal(startOfLocalDay(la, '2023-03-13') - startOfLocalDay(la, '2023-03-12'), 23 * 3_600_000);
  assert.equal(startOfLocalDay(la, '2023-11-06') - startOfLocalDay(la, '2023-11-05'), 25 * 3_600_000);
  assert.equal(iso(startOfLocalDay(la, '2023-03-13')), '2023-03-13T07:00:00.000Z');
  // 23:30 local on the 12th is still the 12th (06:30Z on the 13th).
  assert.equal(localDate(la, Date.parse('2023-03-13T06:30:00Z')), '2023-03-12');
  assert.equal(localDate(la, Date.parse('2023-03-13T07:00:00Z')), '2023-03-13');
  // The skipped 02:30 reads as 03:30 PDT; the doubled 01:30 as the first (PDT).
  assert.equal(iso(parseTime('2023-03-12T02:30', la, '--at')), '2023-03-12T10:30:00.000Z');
  assert.equal(iso(parseTime('2023-11-05T01:30', la, '--at')), '2023-11-05T08:30:00.000Z');
  assert.equal(offsetMs(la, Date.parse('2023-03-12T09:59:59Z')), -8 * 3_600_000);
  assert.equal(offsetMs(la, Date.parse('2023-03-12T10:00:00Z')), -7 * 3_600_000);
  assert.equal(wallClockOf(la, Date.parse('2023-11-05T09:30:00Z')).hour, 1);
  assert.equal(isoInZone('Asia/Seoul', Date.parse('2025-06-01T23:14:00Z')), '2025-06-02T08:14:00+09:00');
  assert.equal(isoInZone(la, Date.parse('2023-03-12T10:00:00Z')), '2023-03-12T03:00:00-07:00');
});

test('an unknown zone is an error, not UTC', () => {
  assert.equal(readTime('2023-03-06T08:00', 'Mars/Olympus').ok, false);
  assert.equal(iso(parseTime('2023-03-06T08:00Z', 'Mars/Olympus', '--at')), '2023-03-06T08:00:00.000Z');
});

test('local dates and wall-clock times of a day, across the Los Angeles DST changes', () => {
  const la = 'America/Los_Angeles';
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2023-03-01', -1), '2023-02-28');
  assert.deepEqual(localDatesBetween(la, Date.parse('2023-03-12T07:59:00Z'), Date.parse('2023-03-13T07:00:00Z')), ['2023-03-11', '2023-03-12', '2023-03-13']);
  assert.deepEqual(localDatesBetween(la, Date.parse('2023-11-05T07:00:00Z'), Date.parse('2023-11-06T07:59:00Z')), ['2023-11-05']);
  // 06:00 wall clock is 13:00Z after spring forward and 14:00Z after fall back.
  assert.equal(iso(instantOfLocalTime(la, '2023-03-12', 6 * 60)), '2023-03-12T13:00:00.000Z');
  assert.equal(iso(instantOfLocalTime(la, '2023-11-05', 6 * 60)), '2023-11-05T14:00:00.000Z');
  assert.equal(iso(instantOfLocalTime('Asia/Seoul', '2023-03-12', 22 * 60 + 30)), '2023-03-12T13:30:00.000Z');
});

test('local clock in Seoul (no DST), across US DST changes and in zones half an hour off UTC', () => {
  const seoul = localizer('Asia/Seoul');
  assert.deepEqual(seoul(Date.parse('2024-09-16T15:00:00Z')), { date: '2024-09-17', hour: 0, weekday: 1 });
  assert.deepEqual(seoul(Date.parse('2024-09-16T14:59:59Z')), { date: '2024-09-16', hour: 23, weekday: 0 });
  const la = localizer('America/Los_Angeles');
  // 2023-03-12 02:00 PST -> 03:00 PDT (10:00 UTC). 09:30 UTC = 01:30 PST; 10:30 UTC = 03:30 PDT.
  assert.equal(la(Date.parse('2023-03-12T09:30:00Z')).hour, 1);
  assert.equal(la(Date.parse('2023-03-12T10:30:00Z')).hour, 3);
  assert.equal(la(Date.parse('2023-03-12T07:00:00Z')).date, '2023-03-11');
  // 2022-11-06 02:00 PDT -> 01:00 PST (09:00 UTC): 08:30 UTC = 01:30 PDT, 09:30 UTC = 01:30 PST.
  assert.equal(la(Date.parse('2022-11-06T08:30:00Z')).hour, 1);
  assert.equal(la(Date.parse('2022-11-06T09:30:00Z')).hour, 1);
  assert.equal(la(Date.parse('2022-11-06T10:30:00Z')).hour, 2);
  // Kolkata is UTC+05:30: 00:15 UTC is 05:45 and 00:45 UTC is 06:15, in the same UTC hour.
  const kol = localizer('Asia/Kolkata');
  assert.equal(kol(Date.parse('2024-01-01T00:15:00Z')).hour, 5);
  assert.equal(kol(Date.parse('2024-01-01T00:45:00Z')).hour, 6);
  // Every half hour of a year agrees with Intl asked directly, in a DST zone and a half-hour zone.
  for (const zone of ['America/Chicago', 'Asia/Kolkata']) {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    const clock = localizer(zone);
    for (let t = Date.parse('2020-01-01T00:00:00Z'); t < Date.parse('2021-01-01T00:00:00Z'); t += 1_800_000) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      const c = clock(t);
      assert.equal(c.date, `${p['year']}-${p['month']}-${p['day']}`);
      assert.equal(c.hour, Number(p['hour']));
    }
  }
});

test('weekday of a date; offsets at and around transitions, asked in any order', () => {
  assert.equal(weekdayOfDate('2024-09-16'), 0); // Monday
  assert.equal(weekdayOfDate('2024-09-22'), 6); // Sunday
  assert.equal(weekdayOfDate('2024-02-29'), 3); // Thursday
  const H = 3_600_000;
  const spring = Date.parse('2023-03-12T10:00:00Z'); // LA: 02:00 PST -> 03:00 PDT
  // Backwards first, then the transition instant itself, then forwards: each span is its own.
  assert.equal(offsetMs('America/Los_Angeles', spring + H), -7 * H);
  assert.equal(offsetMs('America/Los_Angeles', spring - 1), -8 * H);
  assert.equal(offsetMs('America/Los_Angeles', spring), -7 * H);
  assert.equal(offsetMs('America/Los_Angeles', spring - 200 * 24 * H), -7 * H); // the summer before
  assert.equal(offsetMs('America/Los_Angeles', spring - 1), -8 * H);
  assert.equal(offsetMs('UTC', Date.parse('1900-01-01T00:00:00Z')), 0);
  assert.equal(offsetMs('Asia/Kolkata', Date.parse('2024-01-01T00:45:00Z')), 5.5 * H);
});

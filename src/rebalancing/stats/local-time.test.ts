import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datesBetween, localizer, weekdayOf } from './local-time.ts';

test('local clock in Seoul (no DST) and across US DST changes', () => {
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
  // Every hour of a year agrees with Intl asked directly.
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const chi = localizer('America/Chicago');
  for (let t = Date.parse('2020-01-01T00:00:00Z'); t < Date.parse('2021-01-01T00:00:00Z'); t += 3_600_000) {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    const c = chi(t);
    assert.equal(c.date, `${p['year']}-${p['month']}-${p['day']}`);
    assert.equal(c.hour, Number(p['hour']));
  }
});

test('weekday and date ranges', () => {
  assert.equal(weekdayOf('2024-09-16'), 0); // Monday
  assert.equal(weekdayOf('2024-09-22'), 6); // Sunday
  assert.deepEqual(datesBetween('2024-02-28', '2024-03-01'), ['2024-02-28', '2024-02-29', '2024-03-01']);
});

test('offset ranges: one for Seoul, a change for Chicago', async () => {
  const { offsetRanges, fixedOffset } = await import('./local-time.ts');
  assert.equal(fixedOffset('Asia/Seoul'), 540);
  assert.equal(fixedOffset('America/Chicago'), null);
  const r = offsetRanges('America/Chicago', Date.parse('2020-03-01T00:00:00Z'), Date.parse('2020-03-20T00:00:00Z'));
  assert.deepEqual(r.map((x) => x.offsetMin), [-360, -300]);
  assert.equal(new Date(r[1]!.fromMs).toISOString(), '2020-03-08T08:00:00.000Z'); // 02:00 CST
});

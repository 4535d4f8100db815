// Korean public holidays 2017-2025 as the official gazette lists them (관공서의 공휴일에 관한 규정,
// with election days, temporary holidays and substitute holidays), written out by hand here as the
// expected values, and checked against the calendar the statistics use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Holidays from 'date-holidays';
import { loadHolidayCalendar } from './holidays.ts';
import { dayTypeOf } from './day-type.ts';
import { weekdayOfDate as weekdayOf } from '../../platform/time/index.ts';

const OFFICIAL_KR: Record<number, string[]> = {
  // 5/9 presidential election; 10/2 temporary; 10/3 is both 개천절 and 추석 eve -> substitute 10/6.
  2017: ['01-01', '01-27', '01-28', '01-29', '01-30', '03-01', '05-03', '05-05', '05-09', '06-06', '08-15',
    '10-02', '10-03', '10-04', '10-05', '10-06', '10-09', '12-25'],
  // 5/7 substitute for Children's Day (Sat); 6/13 local elections; 9/26 substitute for 추석 (Sun).
  2018: ['01-01', '02-15', '02-16', '02-17', '03-01', '05-05', '05-07', '05-22', '06-06', '06-13', '08-15',
    '09-23', '09-24', '09-25', '09-26', '10-03', '10-09', '12-25'],
  // 5/6 substitute for Children's Day (Sun); 추석 ends on a Saturday: no substitute.
  2019: ['01-01', '02-04', '02-05', '02-06', '03-01', '05-05', '05-06', '05-12', '06-06', '08-15',
    '09-12', '09-13', '09-14', '10-03', '10-09', '12-25'],
  // 1/27 substitute for 설날 (Sun); 4/15 National Assembly election; 8/17 temporary.
  2020: ['01-01', '01-24', '01-25', '01-26', '01-27', '03-01', '04-15', '04-30', '05-05', '06-06', '08-15',
    '08-17', '09-30', '10-01', '10-02', '10-03', '10-09', '12-25'],
  // Substitutes extended to national days from August 2021: 8/16, 10/4, 10/11.
  2021: ['01-01', '02-11', '02-12', '02-13', '03-01', '05-05', '05-19', '06-06', '08-15', '08-16',
    '09-20', '09-21', '09-22', '10-03', '10-04', '10-09', '10-11', '12-25'],
  // 3/9 presidential election; 6/1 local elections; 9/12 and 10/10 substitutes.
  2022: ['01-01', '01-31', '02-01', '02-02', '03-01', '03-09', '05-05', '05-08', '06-01', '06-06', '08-15',
    '09-09', '09-10', '09-11', '09-12', '10-03', '10-09', '10-10', '12-25'],
  // 1/24 substitute for 설날; 5/29 first substitute for Buddha's Birthday; 10/2 temporary.
  2023: ['01-01', '01-21', '01-22', '01-23', '01-24', '03-01', '05-05', '05-27', '05-29', '06-06', '08-15',
    '09-28', '09-29', '09-30', '10-02', '10-03', '10-09', '12-25'],
  // 2/12 substitute for 설날; 4/10 National Assembly election; 5/6 substitute; 10/1 temporary (Armed Forces Day).
  2024: ['01-01', '02-09', '02-10', '02-11', '02-12', '03-01', '04-10', '05-05', '05-06', '05-15', '06-06',
    '08-15', '09-16', '09-17', '09-18', '10-01', '10-03', '10-09', '12-25'],
  // 1/27 temporary; 3/3 substitute; 5/5 Children's Day and Buddha's Birthday together -> 5/6;
  // 6/3 presidential election; 10/8 substitute for 추석 (Sun).
  2025: ['01-01', '01-27', '01-28', '01-29', '01-30', '03-01', '03-03', '05-05', '05-06', '06-03', '06-06',
    '08-15', '10-03', '10-05', '10-06', '10-07', '10-08', '10-09', '12-25'],
};

test('Korean calendar matches the official gazette lists for 2017-2025', async () => {
  const years = Object.keys(OFFICIAL_KR).map(Number);
  const cal = await loadHolidayCalendar('KR', years);
  for (const year of years) {
    const got = [...cal.names.keys()].filter((d) => d.startsWith(`${year}-`)).sort();
    const want = OFFICIAL_KR[year]!.map((md) => `${year}-${md}`);
    assert.deepEqual(got, want, `year ${year} (${cal.sources[year]})`);
  }
  assert.match(cal.sources[2017]!, /date-holidays rules/);
  assert.match(cal.sources[2024]!, /holidays-kr/);
});

test('date-holidays alone disagrees with the gazette: 설날 a day late, no elections or temporary days', () => {
  // Why the gazette library comes first (and the rules are corrected before 2018).
  const raw = (y: number) => new Set(new Holidays('KR').getHolidays(y).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
  const y2024 = raw(2024);
  assert.ok(!y2024.has('2024-04-10'), 'election day unknown to date-holidays');
  assert.ok(!y2024.has('2024-10-01'), 'temporary holiday unknown to date-holidays');
  assert.ok(!y2024.has('2024-02-09'), "date-holidays' 설날 starts on the day itself, not the day before");
  assert.ok(y2024.has('2024-02-10'));
});

test('day types: holidays take precedence over weekends; other countries use their own calendar', async () => {
  const kr = await loadHolidayCalendar('KR', [2024]);
  const at = (d: string) => dayTypeOf({ date: d, weekday: weekdayOf(d) }, kr);
  assert.equal(at('2024-09-17'), 'holiday'); // 추석, Tuesday
  assert.equal(at('2024-02-10'), 'holiday'); // 설날 on a Saturday
  assert.equal(at('2024-09-21'), 'weekend');
  assert.equal(at('2024-09-19'), 'weekday');
  const us = await loadHolidayCalendar('US', [2020]);
  assert.equal(dayTypeOf({ date: '2020-01-20', weekday: weekdayOf('2020-01-20') }, us), 'holiday'); // MLK Day
  assert.equal(dayTypeOf({ date: '2020-01-21', weekday: weekdayOf('2020-01-21') }, us), 'weekday');
  const none = await loadHolidayCalendar(null, [2020]);
  assert.equal(none.names.size, 0);
});

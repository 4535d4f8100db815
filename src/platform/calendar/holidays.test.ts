import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holidaysOf, isHoliday } from './holidays.ts';

const dates = (y: number) => [...holidaysOf('KR', y).keys()].sort();

test('Korea 2017 (rules + corrections): Seollal three days and its substitute, Chuseok with its substitute, the election day', () => {
  assert.deepEqual(dates(2017), [
    '2017-01-01', '2017-01-27', '2017-01-28', '2017-01-29', '2017-01-30', '2017-03-01', '2017-05-03', '2017-05-05',
    '2017-05-09', '2017-06-06', '2017-08-15', '2017-10-02', '2017-10-03', '2017-10-04', '2017-10-05', '2017-10-06',
    '2017-10-09', '2017-12-25',
  ]);
});

test('Korea 2020 (gazette): lunar holidays, substitute day, election and the temporary holiday of 17 August', () => {
  for (const d of ['2020-01-24', '2020-01-25', '2020-01-26', '2020-01-27', '2020-04-15', '2020-08-17', '2020-09-30', '2020-10-01', '2020-10-02']) {
    assert.ok(isHoliday('KR', d), d);
  }
  assert.ok(!isHoliday('KR', '2020-01-28'));
  assert.equal(dates(2020).length, 18);
});

test('Korea 2022: substitute days for Chuseok and Hangul day, the two elections', () => {
  for (const d of ['2022-03-09', '2022-06-01', '2022-09-12', '2022-10-10']) assert.ok(isHoliday('KR', d), d);
});

test('other countries come from the rules', () => {
  assert.ok(isHoliday('US', '2022-07-04'));
  assert.ok(!isHoliday('US', '2022-07-05'));
});

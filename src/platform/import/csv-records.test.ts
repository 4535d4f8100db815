import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapColumns, normaliseHeader, parseCsvTable } from './csv-records.ts';

test('records remember the line they start on, across quoted line breaks and CRLF', () => {
  const t = parseCsvTable('a,b\r\n1,"x\r\ny"\r\n2,z\r\n\r\n3,w', 'f.csv');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.records.map((r) => [r.line, r.values[0]]), [[2, '1'], [4, '2'], [6, '3']]);
});

test('a record with the wrong number of fields is an error naming the line; an unclosed quote too', () => {
  assert.throws(() => parseCsvTable('a,b,c\n1,2,3\n4,5\n', 'f.csv'), /f\.csv, line 3, field 'b': broken line: 2 fields where the header has 3/);
  assert.throws(() => parseCsvTable('a,b\n1,"open\n', 'f.csv'), /f\.csv, line 2, field 'b': a quote opens this field and is never closed/);
  assert.throws(() => parseCsvTable('', 'f.csv'), /f\.csv: the file is empty/);
});

test('header names match without case, spaces or unit characters', () => {
  assert.equal(normaliseHeader('Temperature(°C)'), 'temperaturec');
  assert.equal(normaliseHeader(' Wind speed (m/s)'), 'windspeedms');
  const col = mapColumns(['Date', 'Temperature(C)'], {
    date: { label: 'Date', required: true, match: (n) => n === 'date' },
    temp: { label: 'Temperature', required: true, match: (n) => n.startsWith('temperature') },
    snow: { label: 'Snowfall', required: false, match: (n) => n.startsWith('snowfall') },
  }, 'f.csv');
  assert.deepEqual(col, { date: 0, temp: 1, snow: undefined });
});

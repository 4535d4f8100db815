import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldIndexInText, MAX_QUOTED_LINE_BREAKS, scanCsvText } from './csv-scan.ts';

test('scanCsvText counts lines and passes closed quotes, doubled quotes and quoted line breaks', () => {
  assert.deepEqual(scanCsvText('a,b\n1,2\n'), { lines: 2 });
  assert.deepEqual(scanCsvText('a,b\n1,2'), { lines: 2 });
  assert.deepEqual(scanCsvText('a,b\r\n"x, ""y""",2\r\n"two\nlines",3\r\n'), { lines: 4 });
  // A quote inside a value opens nothing (the reader rejects that record by itself).
  assert.deepEqual(scanCsvText('a,b\n5" rack,2\n3,4\n'), { lines: 3 });
});

test('a quote opened at a field start and never closed is found at its line and field', () => {
  const text = 'a,b,c\n1,2,3\n4,"5,6\n7,8,9\n';
  const s = scanCsvText(text);
  assert.equal(s.openQuote?.line, 3);
  assert.equal(s.openQuote?.closedAt, undefined);
  assert.equal(fieldIndexInText(text, s.openQuote!), 1);
  // At the very start of a file, after a BOM, and after CRLF.
  assert.equal(scanCsvText('"a,b\n1,2\n').openQuote?.line, 1);
  assert.equal(scanCsvText('\uFEFF"a,b\n1,2\n').openQuote?.line, 1);
  assert.equal(scanCsvText('a,b\r\n"1,2\r\n').openQuote?.line, 2);
});

test('a quote closed only far below by a stray one is found too', () => {
  const rows = ['a,b', '1,"2'];
  for (let i = 0; i < MAX_QUOTED_LINE_BREAKS + 5; i++) rows.push(`${i},${i}`);
  rows.push('x,y"z', '3,4');
  const s = scanCsvText(rows.join('\n') + '\n');
  assert.equal(s.openQuote?.line, 2);
  assert.equal(s.openQuote?.closedAt, MAX_QUOTED_LINE_BREAKS + 8);
});

test('the scan gives the same answer whatever the chunk boundaries (a doubled quote split between chunks)', () => {
  const text = Buffer.from('a,b\n"x ""q"" y",1\n"open,2\n3,4\n');
  const whole = scanCsvText(text);
  assert.equal(whole.openQuote?.line, 3);
  for (let cut = 1; cut < text.length; cut++) assert.deepEqual(scanCsvText([text.subarray(0, cut), text.subarray(cut)]), whole, `cut at ${cut}`);
});

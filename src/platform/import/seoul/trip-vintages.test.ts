import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvLine } from '../csv-records.ts';
import { firstLine, matchTripHeader, TRIP_VINTAGES } from './trip-vintages.ts';

test('each published header is recognised as its vintage, quoted or not', () => {
  for (const v of TRIP_VINTAGES) {
    const plain = matchTripHeader(v.header.join(','));
    assert.equal(plain.kind, 'header');
    assert.equal(plain.kind === 'header' && plain.vintage.name, v.name);
    const quoted = matchTripHeader(v.header.map((h) => `"${h}"`).join(','));
    assert.equal(quoted.kind === 'header' && quoted.vintage.name, v.name);
  }
  assert.deepEqual(TRIP_VINTAGES.map((v) => v.header.length), [11, 16, 17]);
});

test('spacing inside names does not matter, a missing or extra column does', () => {
  const v17 = TRIP_VINTAGES[2]!;
  const squashed = v17.header.map((h) => h.replace(/ /g, '')).join(',');
  assert.equal(matchTripHeader(squashed).kind, 'header');
  assert.equal(matchTripHeader(v17.header.slice(0, 15).join(',')).kind, 'unknown');
  assert.equal(matchTripHeader([...v17.header, 'extra'].join(',')).kind, 'unknown');
  assert.equal(matchTripHeader('bike,start,end').kind, 'unknown');
});

test('a first line that is a record (the three months published without a header) is headerless', () => {
  const m = matchTripHeader('"SPB-00080","2018-12-01 00:00:34","00210","IFC몰","5","2018-12-01 00:03:07","00213","KT앞","1","2","480"');
  assert.equal(m.kind, 'headerless');
  assert.equal(m.kind === 'headerless' && m.vintage.name, '11-column');
  // A record whose width fits no vintage is not taken for one.
  assert.equal(matchTripHeader('SPB-00080,2018-12-01 00:00:34,00210').kind, 'unknown');
});

test('parseCsvLine (csv-parse) handles quotes, doubled quotes and commas inside quotes', () => {
  assert.deepEqual(parseCsvLine('a,"b,c","d""e",'), ['a', 'b,c', 'd"e', '']);
  assert.equal(firstLine('\uFEFFa,b\r\nc,d\n'), 'a,b');
  assert.equal(firstLine('only'), 'only');
});

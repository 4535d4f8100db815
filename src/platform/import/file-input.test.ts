import assert from 'node:assert/strict';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { detectEncoding } from './file-input.ts';

test('detects UTF-8 with and without BOM, and CP949', () => {
  const text = '대여일시,대여 대여소번호\n2021-01-01 00:01,102\n';
  assert.equal(detectEncoding(Buffer.from(text, 'utf-8')), 'utf-8');
  assert.equal(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), 'utf-8-bom');
  assert.equal(detectEncoding(iconv.encode(text, 'cp949')), 'cp949');
});

test('a UTF-8 sample cut inside a character is still UTF-8', () => {
  const buf = Buffer.from('가나다', 'utf-8');
  assert.equal(detectEncoding(buf.subarray(0, buf.length - 1)), 'utf-8');
  assert.equal(detectEncoding(buf.subarray(0, buf.length - 2)), 'utf-8');
});

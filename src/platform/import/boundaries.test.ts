import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { withTempStore } from '../../../test/helpers/store.ts';
import { dataFile } from '../bundled-data.ts';
import { importer, parseBoundaries } from './boundaries.ts';
import { runImport } from './run-import.ts';

const DISTRICTS = dataFile('seoul/boundaries/seoul_districts_25gu_2015.geojson');
const DONGS = dataFile('seoul/boundaries/seoul_admin_dong_2021-04.geojson');
const square = { type: 'Polygon', coordinates: [[[127, 37.5], [127.01, 37.5], [127.01, 37.51], [127, 37.5]]] };
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const feature = (properties: unknown, geometry: unknown = square) => ({ type: 'Feature', properties, geometry });

test('the real files: 25 districts and 425 dongs, every dong under one of the 25', () =>
  withTempStore(async (t) => {
    const s = await runImport(t.store, importer, [DISTRICTS, DONGS]);
    assert.equal(s.imported, 450);
    assert.deepEqual(s.rejected, {});
    const levels = await t.store.all<{ level: string; n: number }>('SELECT level, count(*) n FROM boundaries GROUP BY level ORDER BY level');
    assert.deepEqual(levels, [{ level: 'district', n: 25 }, { level: 'dong', n: 425 }]);
    const orphans = await t.store.all(`SELECT d.code FROM boundaries d LEFT JOIN boundaries g ON g.level = 'district' AND g.code = d.parent_code WHERE d.level = 'dong' AND g.code IS NULL`);
    assert.deepEqual(orphans, []);
    // 종로구 is 11110 and holds 사직동 (adm_cd2 1111053000), the first feature of the dong file.
    const [sajik] = await t.store.all<Record<string, unknown>>(
      `SELECT d.name, d.parent_code, g.name AS district, json_extract_string(d.geometry, '$.type') AS gtype
       FROM boundaries d JOIN boundaries g ON g.level = 'district' AND g.code = d.parent_code WHERE d.code = '1111053000'`,
    );
    assert.deepEqual(sajik, { name: '사직동', parent_code: '11110', district: '종로구', gtype: 'MultiPolygon' });
    const perDistrict = await t.store.all<{ n: number }>(`SELECT count(*) n FROM boundaries WHERE level = 'dong' AND parent_code = '11110'`);
    assert.equal(perDistrict[0]!.n, 17); // 종로구 has 17 행정동
    const again = await runImport(t.store, importer, [DISTRICTS, DONGS]);
    assert.equal(again.imported, 0);
    assert.equal((await t.store.all('SELECT * FROM boundaries')).length, 450);
  }));

test('a dong without adm_cd2 finds its district by the name in adm_nm; a re-published shape replaces the old', () =>
  withTempStore(async (t) => {
    const a = join(t.dir, 'a.geojson');
    const b = join(t.dir, 'b.geojson');
    writeFileSync(a, fc([feature({ SIG_CD: '11110', SIG_KOR_NM: '종로구' }), feature({ adm_cd: '1101053', adm_nm: '서울특별시 종로구 사직동' })]));
    const moved = { ...square, coordinates: [[[127, 37.6], [127.01, 37.6], [127.01, 37.61], [127, 37.6]]] };
    writeFileSync(b, fc([feature({ adm_cd: '1101053', adm_nm: '서울특별시 종로구 사직동' }, moved)]));
    await runImport(t.store, importer, [a]);
    await runImport(t.store, importer, [b]);
    const rows = await t.store.all<{ code: string; parent_code: string; lat: number }>(
      `SELECT code, parent_code, CAST(json_extract(geometry, '$.coordinates[0][0][1]') AS DOUBLE) lat FROM boundaries WHERE level = 'dong'`,
    );
    assert.deepEqual(rows, [{ code: '1101053', parent_code: '11110', lat: 37.6 }]);
  }));

test('bad GeoJSON: errors name the file and the feature index and field', () => {
  assert.throws(() => parseBoundaries('{"type": "FeatureCollection",\n "features": [\n oops]}', 'b.geojson'), /b\.geojson, line 3: not valid JSON/);
  assert.throws(() => parseBoundaries('{"type": "Feature"}', 'b.geojson'), /b\.geojson, field 'type': not a GeoJSON FeatureCollection/);
  assert.throws(() => parseBoundaries(fc([feature({ SIG_CD: '1' }), feature({ name: 'x' })]), 'b.geojson'), /field 'features\[1\]\.properties': cannot tell the level/);
  assert.throws(() => parseBoundaries(fc([feature({ SIG_CD: '' })]), 'b.geojson'), /field 'features\[0\]\.properties\.SIG_CD': empty district code/);
  assert.throws(() => parseBoundaries(fc([feature({ SIG_CD: '1' }, { type: 'Point', coordinates: [127, 37] })]), 'b.geojson'), /features\[0\]\.geometry\.type.*Polygon or MultiPolygon/);
  const projected = { type: 'Polygon', coordinates: [[[953000, 1952000], [954000, 1952000], [954000, 1953000], [953000, 1952000]]] };
  assert.throws(() => parseBoundaries(fc([feature({ SIG_CD: '1' }), feature({ SIG_CD: '2' }, projected)]), 'b.geojson'), /features\[1\]\.geometry\.coordinates.*not longitude\/latitude/);
  const open = { type: 'Polygon', coordinates: [[[127, 37], [127.1, 37]]] };
  assert.throws(() => parseBoundaries(fc([feature({ SIG_CD: '1' }, open)]), 'b.geojson'), /features\[0\]\.geometry\.coordinates.*needs 4/);
  const crs = JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::5179' } }, features: [] });
  assert.throws(() => parseBoundaries(crs, 'b.geojson'), /field 'crs'/);
});

test('two features with the same code in one file: the later wins and the duplicate is counted', () =>
  withTempStore(async (t) => {
    const f = join(t.dir, 'dup.geojson');
    writeFileSync(f, fc([feature({ SIG_CD: '11110', SIG_KOR_NM: 'old' }), feature({ SIG_CD: '11110', SIG_KOR_NM: '종로구' })]));
    const s = await runImport(t.store, importer, [f]);
    assert.equal(s.imported, 1);
    assert.deepEqual(s.rejected, { 'duplicate code in file': 1 });
    assert.deepEqual(await t.store.all('SELECT name FROM boundaries'), [{ name: '종로구' }]);
  }));

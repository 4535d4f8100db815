import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStationList, STATION_REASONS, StationListError } from './station-lists.ts';

test('official list with the header spread over five lines (2021-06 layout)', () => {
  const csv = [
    '"대여소\n번호",보관소(대여소)명,소재지(위치),,,,"설치\n시기",설치형태,,"운영\n방식"',
    ',,,,,,,LCD,QR,',
    ',,자치구,상세주소,위도,경도,,,,',
    ',,,,,,,"거치\n대수","거치\n대수",',
    ',,,,,,,,,',
    '102,망원역 1번출구 앞,마포구,서울특별시 마포구 월드컵로 72,37.5556488,126.9106293,2015-09-06,20,,LCD',
    '4867,가락대림아파트 앞,송파구,송파구 가락동 94-9,37.5000267,127.1184311,2021-04-28,,10,QR',
  ].join('\n');
  const p = parseStationList(csv);
  assert.equal(p.layout, 'official list (header over 5 lines)');
  assert.deepEqual(p.rejects, []);
  assert.deepEqual(p.stations.map((s) => [s.line, s.id, s.name, s.district, s.lat, s.lon, s.capacity, s.installedOn]), [
    [11, '102', '망원역 1번출구 앞', '마포구', 37.5556488, 126.9106293, 20, '2015-09-06'],
    [12, '4867', '가락대림아파트 앞', '송파구', 37.5000267, 127.1184311, 10, '2021-04-28'],
  ]);
});

test('official list with quoted line breaks and names starting with a space (2023-06 layout)', () => {
  const csv = [
    '대여소번호,보관소(대여소)명,자치구,상세주소,위도,경도,설치시기,LCD,QR,운영방식',
    '308, 광화문 S타워 앞,종로구,서울특별시 종로구 새문안로 82,37.56996918,126.973938,2015-10-07,20,31,QR',
    '4677, 백련산 SK뷰 아이파크 해모로 아파트 앞,은평구,"은평구 응암로 278 맞은편\n(응암동 767-1 공원 앞)",37.59612656,126.9196243,2021-05-17,,10,QR',
    '309, 광화문역 6번출구 옆 B,종로구,서울특별시 종로구 새문안로 102-2,37.56996155,126.9761581,2015-10-07,13,13,LCD',
  ].join('\r\n');
  const p = parseStationList(csv);
  assert.deepEqual(p.stations.map((s) => [s.line, s.id, s.name, s.address, s.capacity]), [
    [2, '308', '광화문 S타워 앞', '서울특별시 종로구 새문안로 82', 31],
    [3, '4677', '백련산 SK뷰 아이파크 해모로 아파트 앞', '은평구 응암로 278 맞은편 (응암동 767-1 공원 앞)', 10],
    [5, '309', '광화문역 6번출구 옆 B', '서울특별시 종로구 새문안로 102-2', 13],
  ]);
});

test('station master with lon before lat is read by column name', () => {
  const p = parseStationList('\uFEFF대여소번호,대여소명,자치구,경도,위도\n102, 망원역 1번출구 앞,마포구,126.91062927,37.5556488\n');
  assert.equal(p.layout, 'station master');
  assert.deepEqual([p.stations[0]!.lat, p.stations[0]!.lon, p.stations[0]!.address], [37.5556488, 126.91062927, null]);
});

test('TSV of all stations incl. closed', () => {
  const p = parseStationList('stationIndex\tname\taddress\tlon\tlat\tdesc\n101\t(구)합정동 주민센터\t서울특별시 마포구 동교로8길 58\t126.905754\t37.549561\t-\n');
  assert.deepEqual(p.stations.map((s) => [s.id, s.name, s.lat, s.lon]), [['101', '(구)합정동 주민센터', 37.549561, 126.905754]]);
});

test('API station list: ST- ids, unpadded numbers, missing HOLD_NUM, 0/0 positions', () => {
  const rows = [
    { STA_LOC: '마포구', RENT_ID: 'ST-10', RENT_NO: '00108', RENT_NM: '서교동 사거리', HOLD_NUM: '12', STA_ADD1: '서울특별시 마포구 양화로 93', STA_LAT: '37.55274582', STA_LONG: '126.91861725' },
    { STA_LOC: '강동구', RENT_ID: 'ST-1057', RENT_NO: '01040', RENT_NM: '강일동 에너지 마루', STA_LAT: '37.56719971', STA_LONG: '127.16345978' },
    { STA_LOC: '종로구', RENT_ID: 'ST-166', RENT_NO: '00350', RENT_NM: 'KEB 하나은행', HOLD_NUM: '', STA_LAT: '37.57424545', STA_LONG: '126.97321320' },
    { STA_LOC: '송파구', RENT_ID: 'ST-1090', RENT_NO: '01272', RENT_NM: '송파 글마루도서관', HOLD_NUM: '15', STA_LAT: '0.00000000', STA_LONG: '0.00000000' },
    { STA_LOC: '송파구', RENT_ID: 'ST-9', RENT_NO: '', RENT_NM: '?' },
  ];
  const p = parseStationList(JSON.stringify({ stationInfo: { list_total_count: '5', RESULT: { CODE: 'INFO-000' }, row: rows } }));
  assert.deepEqual(p.stations.map((s) => [s.id, s.apiId, s.capacity, s.lat]), [
    ['108', 'ST-10', 12, 37.55274582], ['1040', 'ST-1057', null, 37.56719971], ['350', 'ST-166', null, 37.57424545], ['1272', 'ST-1090', 15, null],
  ]);
  assert.deepEqual(p.rejects.map((r) => [r.reason, r.line]), [[STATION_REASONS.badCoordinates, 4], [STATION_REASONS.missingNumber, 5]]);
});

test('malformed inputs: duplicate numbers, centre names, broken JSON, an error answer, no header', () => {
  const p = parseStationList('대여소번호,대여소명,자치구,경도,위도\n102,a,마포구,126.9,37.5\n102,b,마포구,126.9,37.5\n중랑센터,c,중랑구,127.0,37.6\n');
  assert.deepEqual(p.rejects.map((r) => [r.reason, r.line]), [[STATION_REASONS.duplicate, 3], [STATION_REASONS.notNumbered, 4]]);
  const q = parseStationList('대여소번호,대여소명,자치구,경도,위도\n102,a,마포구,126.9,37.5\n위트콤,c,중랑구,127.0,37.6\n');
  assert.deepEqual(q.rejects.map((r) => [r.reason, r.line]), [[STATION_REASONS.notNumbered, 3]]);
  assert.throws(() => parseStationList('{"stationInfo": {"row": [ {"RENT_NO": }'), (e: StationListError) => /not valid JSON/.test(e.message) && e.line === 1);
  assert.throws(() => parseStationList('{"RESULT": {"CODE": "ERROR-336"}}'), /no stationInfo.row/);
  assert.throws(() => parseStationList('a,b,c\nx,y,z\n'), /no header followed by station records/);
  assert.throws(() => parseStationList('대여소번호,대여소명\n102,a\n'), (e: StationListError) => e.field === 'lat');
});

// The published header vintages of Seoul's trip history (공공자전거 대여이력 정보), and which one a
// file's first line is. Pure: no I/O.
//  - 11 columns (2015..2019): 이용시간 / 이용거리; three months (2018-12, 2019-04, 2019-05) were
//    published with no header row at all, so a first line that is already a record is accepted too.
//  - 16 columns (2020..2021, and again from 2026-06): 이용시간(분), 이용거리(M), 생년, 성별, 이용자종류,
//    대여대여소ID, 반납대여소ID.
//  - 17 columns (2022..2026-05): the 16 plus 자전거구분.
import { parseCsvLine } from '../csv-records.ts';

export type TripField =
  | 'bike_id' | 'started' | 'start_no' | 'start_name' | 'start_dock'
  | 'ended' | 'end_no' | 'end_name' | 'end_dock' | 'minutes' | 'meters'
  | 'birth' | 'gender' | 'user_type' | 'start_st' | 'end_st' | 'bike_type';

export interface TripVintage {
  name: '11-column' | '16-column' | '17-column';
  /** Header cells as published, in order. */
  header: readonly string[];
  fields: readonly TripField[];
}

const BASE_HEADER = ['자전거번호', '대여일시', '대여 대여소번호', '대여 대여소명', '대여거치대', '반납일시', '반납대여소번호', '반납대여소명', '반납거치대'];
const BASE_FIELDS: TripField[] = ['bike_id', 'started', 'start_no', 'start_name', 'start_dock', 'ended', 'end_no', 'end_name', 'end_dock'];
const MEMBER_HEADER = ['이용시간(분)', '이용거리(M)', '생년', '성별', '이용자종류', '대여대여소ID', '반납대여소ID'];
const MEMBER_FIELDS: TripField[] = ['minutes', 'meters', 'birth', 'gender', 'user_type', 'start_st', 'end_st'];

export const TRIP_VINTAGES: readonly TripVintage[] = [
  { name: '11-column', header: [...BASE_HEADER, '이용시간', '이용거리'], fields: [...BASE_FIELDS, 'minutes', 'meters'] },
  { name: '16-column', header: [...BASE_HEADER, ...MEMBER_HEADER], fields: [...BASE_FIELDS, ...MEMBER_FIELDS] },
  { name: '17-column', header: [...BASE_HEADER, ...MEMBER_HEADER, '자전거구분'], fields: [...BASE_FIELDS, ...MEMBER_FIELDS, 'bike_type'] },
];

/** The first line of a text (BOM and line end removed). */
export function firstLine(text: string): string {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const end = t.search(/\r?\n/);
  return end === -1 ? t : t.slice(0, end);
}

// Spacing inside names varies between files ('대여 대여소번호' vs '대여대여소번호'): compare without it.
const squash = (s: string) => s.replace(/\s+/g, '');

export type HeaderMatch =
  | { kind: 'header'; vintage: TripVintage }
  | { kind: 'headerless'; vintage: TripVintage }
  | { kind: 'unknown'; cells: string[] };

export function matchTripHeader(line: string): HeaderMatch {
  const cells = parseCsvLine(line).map((c) => c.trim());
  for (const v of TRIP_VINTAGES) {
    if (cells.length === v.header.length && cells.every((c, i) => squash(c) === squash(v.header[i]!))) return { kind: 'header', vintage: v };
  }
  // A record where the header should be: a bike number first and a date second.
  if (/^SPB-\d+$/.test(cells[0] ?? '') && /^'?\d{4}-\d{2}-\d{2}/.test(cells[1] ?? '')) {
    const v = TRIP_VINTAGES.find((x) => x.header.length === cells.length);
    if (v) return { kind: 'headerless', vintage: v };
  }
  return { kind: 'unknown', cells };
}

// The language a person reads: Korean for Seoul, English elsewhere, or the user's choice
// (`--lang`). The words of what a driver reads (the printed route sheet here, the phone view in
// src/web) are one table, each key with its English and its Korean side by side, so a word added
// in one language without the other does not type-check. Pure (no Node or DOM): the web build
// imports it too.
export type Lang = 'en' | 'ko';
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** The system's language from its zone: Korean for a system in Asia/Seoul, English otherwise. */
export function systemLang(timeZone: string | undefined): Lang {
  return timeZone === 'Asia/Seoul' ? 'ko' : 'en';
}

/** A `--lang` value, or undefined when it is not one (the caller names the flag in its error). */
export function asLang(s: string): Lang | undefined {
  const v = s.trim().toLowerCase();
  return v === 'ko' || v === 'kr' || v === 'korean' ? 'ko' : v === 'en' || v === 'english' ? 'en' : undefined;
}

/** What a driver reads: [English, Korean]. `{name}` is filled by `say`. */
export const DRIVER_WORDS = {
  truck: ['Truck {t}', '차량 {t}'],
  stop: ['Stop', '순서'],
  number: ['No.', '번호'],
  station: ['Station', '대여소'],
  task: ['Task', '작업'],
  bikes: ['Bikes', '대수'],
  arrival: ['Arrival', '도착'],
  loadAfter: ['Load after', '적재'],
  tick: ['Done', '확인'],
  collect: ['collect', '회수'],
  drop: ['drop', '배치'],
  start: ['start {t}', '출발 {t}'],
  back: ['back {t}', '복귀 {t}'],
  zone: ['zone {z}', '권역 {z}'],
  startLoad: ['start load {n}', '출발 적재 {n}'],
  stops: ['stops {n}', '정차 {n}'],
  collected: ['collect {n}', '회수 {n}'],
  dropped: ['drop {n}', '배치 {n}'],
  driving: ['driving {n} min', '운전 {n}분'],
  handling: ['handling {n} min', '작업 {n}분'],
  noStops: ['No stops: stay at the start', '정차 없음: 출발지에서 대기'],
  planTitle: ['{system} rebalancing plan {date}', '{system} 재배치 계획 {date}'],
  truckTitle: ['{system} truck {t}', '{system} 차량 {t}'],
  footer: ['plan {run} · {at} · expected failures {before} → {after} (whole fleet)', '계획 {run} · {at} · 예상 실패 {before} → {after} (전체 차량)'],
  overview: ['route overview', '경로 개요'],
} as const satisfies Record<string, readonly [string, string]>;

export type DriverWord = keyof typeof DRIVER_WORDS;

/** A driver's word in the language, with its `{name}` slots filled. */
export function say(lang: Lang, key: DriverWord, vars: Record<string, string | number> = {}): string {
  const w = DRIVER_WORDS[key][lang === 'en' ? 0 : 1];
  return w.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

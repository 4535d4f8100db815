// Korean and English: every word the pages show, by key. The language is the user's choice (kept in
// localStorage), first the browser's; station names stay as the system publishes them.
export type Lang = 'ko' | 'en';

// One table: each key with its English and its Korean, side by side, so that a word added in one
// language without the other does not type-check.
const words = {
  title: ['urbanlab dispatch', 'urbanlab 배차 대시보드'],
  driverTitle: ['urbanlab driver', 'urbanlab 기사용'],
  system: ['System', '시스템'],
  language: ['Language', '언어'],
  token: ['Operator token', '운영자 토큰'],
  signIn: ['Sign in', '로그인'],
  signOut: ['Sign out', '로그아웃'],
  signedInAs: ['Signed in as {role}', '{role} 권한으로 로그인됨'],
  readOnly: ['Read-only: sign in with an operator token to pin, forbid and see reports', '읽기 전용: 고정·제외와 보고를 보려면 운영자 토큰으로 로그인하세요'],
  colourBy: ['Colour by', '색상 기준'],
  byClass: ['class', '분류'],
  byFill: ['fill', '거치율'],
  shortage: ['shortage', '부족'],
  surplus: ['surplus', '과잉'],
  balanced: ['balanced', '균형'],
  noTarget: ['no target', '목표 없음'],
  empty: ['empty', '빈 대여소'],
  full: ['full', '꽉 찬 대여소'],
  emptyNow: ['Empty now', '지금 빈 대여소'],
  fullNow: ['Full now', '지금 꽉 찬 대여소'],
  emptyMin: ['Empty station-min today', '오늘 빈 대여소·분'],
  fullMin: ['Full station-min today', '오늘 꽉 찬 대여소·분'],
  lastWeek: ['same weekday last week: {n}', '지난주 같은 요일: {n}'],
  failNoPlan: ['Expected failures, no plan', '예상 실패 (계획 없음)'],
  failPlan: ['with the plan', '계획 적용 시'],
  bikesMoved: ['Bikes moved today', '오늘 옮긴 자전거'],
  trucks: ['Trucks', '트럭'],
  stops: ['stops', '정차'],
  noPlan: ['No plan issued yet', '아직 발행된 계획이 없습니다'],
  paused: ['paused', '일시중지'],
  load: ['aboard {n}', '적재 {n}'],
  next: ['next', '다음'],
  collect: ['collect {n}', '{n}대 수거'],
  drop: ['drop {n}', '{n}대 배치'],
  arrival: ['at {t}', '{t} 도착'],
  reports: ['Driver reports', '기사 보고'],
  noReports: ['No reports today', '오늘 보고 없음'],
  done: ['done', '완료'],
  skipped: ['skipped', '건너뜀'],
  station: ['Station', '대여소'],
  bikes: ['bikes', '자전거'],
  docks: ['docks', '빈 거치대'],
  capacity: ['capacity', '거치대 수'],
  target: ['target {min}–{max}', '목표 {min}–{max}'],
  bikesToday: ['Bikes today', '오늘의 자전거 수'],
  forecast: ['Forecast, next hours (80% band)', '향후 수요 예측 (80% 구간)'],
  pickups: ['pickups', '대여'],
  returns: ['returns', '반납'],
  failureCurve: ['Expected failures by bikes at start', '시작 재고별 예상 실패'],
  pin: ['Pin', '고정'],
  forbid: ['Forbid', '제외'],
  clearRule: ['Clear rule', '규칙 해제'],
  pinned: ['pinned', '고정됨'],
  forbidden: ['forbidden', '제외됨'],
  close: ['Close', '닫기'],
  live: ['live', '실시간'],
  offline: ['offline', '연결 끊김'],
  updated: ['updated {t}', '{t} 갱신'],
  stations: ['{n} stations', '대여소 {n}곳'],
  alerts: ['Alerts: empty or full over 10 min', '경보: 10분 넘게 비었거나 꽉 참'],
  noAlerts: ['None', '없음'],
  since: ['since {t}', '{t}부터'],
  map: ['Map of the stations, trucks and routes', '대여소, 트럭, 경로 지도'],
  feedStale: ['feed stale', '피드 지연'],
  nothing: ['no data', '데이터 없음'],
  loading: ['loading…', '불러오는 중…'],
  // replay
  replay: ['Replay a simulated run', '시뮬레이션 재생'],
  replayFiles: ['Event logs (events-<policy>.jsonl)', '이벤트 로그 (events-<policy>.jsonl)'],
  replayHelp: ['Pick one or more events-<policy>.jsonl files written by urbanlab simulate --out (one per policy).', 'urbanlab simulate --out 이 쓴 events-<policy>.jsonl 파일을 하나 이상 고르세요 (정책마다 하나).'],
  policy: ['Policy', '정책'],
  play: ['Play', '재생'],
  pause: ['Pause', '일시정지'],
  speed: ['Speed', '속도'],
  time: ['Time', '시각'],
  exitReplay: ['Back to live', '실시간으로 돌아가기'],
  failuresSoFar: ['failures so far', '지금까지 실패'],
  failedRental: ['no bike', '자전거 없음'],
  failedReturn: ['no dock', '거치대 없음'],
  replaying: ['replay: {p}', '재생: {p}'],
  badLog: ['{file}: {m}', '{file}: {m}'],
  // driver
  truck: ['Truck {t}', '트럭 {t}'],
  driverToken: ['Driver token', '기사 토큰'],
  more: ['and {n} more', '외 {n}곳'],
  loginHelp: ['Paste the token your dispatcher gave you.', '배차 담당자에게 받은 토큰을 붙여 넣으세요.'],
  nextStops: ['Next stops', '다음 정차지'],
  noStops: ['No stops: wait for the next plan.', '정차지 없음: 다음 계획을 기다리세요.'],
  openMap: ['Open in maps', '지도 앱에서 열기'],
  markDone: ['Done', '완료'],
  markSkipped: ['Skipped', '건너뜀'],
  collected: ['Collected', '수거'],
  dropped: ['Dropped', '배치'],
  confirm: ['Send', '보내기'],
  cancel: ['Cancel', '취소'],
  reason: ['Reason', '사유'],
  blocked: ['blocked', '진입 불가'],
  station_broken: ['station broken', '대여소 고장'],
  not_as_expected: ['not as expected', '예상과 다름'],
  other: ['other', '기타'],
  queued: ['{n} report(s) waiting for the network', '보고 {n}건이 네트워크를 기다리는 중'],
  sentAll: ['All reports sent', '모든 보고를 보냈습니다'],
  savedPlan: ['Offline: the plan as of {t}', '오프라인: {t} 기준 계획'],
  refused: ['Refused: {m}', '거부됨: {m}'],
  number: ['No. {n}', '{n}번'],
} as const satisfies Record<string, readonly [en: string, ko: string]>;

export type Key = keyof typeof words;
const column: Record<Lang, 0 | 1> = { en: 0, ko: 1 };

export function initialLang(): Lang {
  const saved = localStorage.getItem('urbanlab.lang');
  if (saved === 'ko' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

let lang: Lang = 'en';
export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('urbanlab.lang', l);
  document.documentElement.lang = l;
}
export const currentLang = (): Lang => lang;
export const locale = (): string => (lang === 'ko' ? 'ko-KR' : 'en-US');

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return words[key][column[lang]].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** Every element with data-i18n="key" gets its text (and data-i18n-label its aria-label). */
export function translatePage(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset['i18n'] as Key);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset['i18nLabel'] as Key));
}

/** Times in the system's zone, numbers in the chosen locale. */
export function timeOf(iso: string | number, zone: string): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}
export function num(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

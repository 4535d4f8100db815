// Korean and English: every word the pages show, by key. The language is the user's choice (kept in
// localStorage), first the browser's; station names stay as the system publishes them.
export type Lang = 'ko' | 'en';

const en = {
  title: 'urbanlab dispatch', driverTitle: 'urbanlab driver', system: 'System', language: 'Language', token: 'Operator token', signIn: 'Sign in', signOut: 'Sign out',
  signedInAs: 'Signed in as {role}', readOnly: 'Read-only: sign in with an operator token to pin, forbid and see reports',
  colourBy: 'Colour by', byClass: 'class', byFill: 'fill', shortage: 'shortage', surplus: 'surplus', balanced: 'balanced', noTarget: 'no target',
  empty: 'empty', full: 'full', emptyNow: 'Empty now', fullNow: 'Full now', emptyMin: 'Empty station-min today', fullMin: 'Full station-min today',
  lastWeek: 'same weekday last week: {n}', failNoPlan: 'Expected failures, no plan', failPlan: 'with the plan', bikesMoved: 'Bikes moved today',
  trucks: 'Trucks', stops: 'stops', noPlan: 'No plan issued yet', paused: 'paused', load: 'aboard {n}', next: 'next',
  collect: 'collect {n}', drop: 'drop {n}', arrival: 'at {t}', reports: 'Driver reports', noReports: 'No reports today', done: 'done', skipped: 'skipped',
  station: 'Station', bikes: 'bikes', docks: 'docks', capacity: 'capacity', target: 'target {min}–{max}', bikesToday: 'Bikes today', forecast: 'Forecast, next hours (80% band)',
  pickups: 'pickups', returns: 'returns', failureCurve: 'Expected failures by bikes at start', pin: 'Pin', forbid: 'Forbid', clearRule: 'Clear rule', pinned: 'pinned', forbidden: 'forbidden',
  close: 'Close', live: 'live', offline: 'offline', updated: 'updated {t}', stations: '{n} stations', alerts: 'Alerts: empty or full over 10 min', noAlerts: 'None',
  since: 'since {t}', map: 'Map of the stations, trucks and routes', feedStale: 'feed stale', nothing: 'no data', loading: 'loading…',
  // driver
  truck: 'Truck {t}', driverToken: 'Driver token', more: 'and {n} more', loginHelp: 'Paste the token your dispatcher gave you.', nextStops: 'Next stops', noStops: 'No stops: wait for the next plan.',
  openMap: 'Open in maps', markDone: 'Done', markSkipped: 'Skipped', collected: 'Collected', dropped: 'Dropped', confirm: 'Send', cancel: 'Cancel', reason: 'Reason',
  blocked: 'blocked', station_broken: 'station broken', not_as_expected: 'not as expected', other: 'other',
  queued: '{n} report(s) waiting for the network', sentAll: 'All reports sent', savedPlan: 'Offline: the plan as of {t}', refused: 'Refused: {m}', number: 'No. {n}',
} as const;

export type Key = keyof typeof en;

const ko: Record<Key, string> = {
  title: 'urbanlab 배차 대시보드', driverTitle: 'urbanlab 기사용', system: '시스템', language: '언어', token: '운영자 토큰', signIn: '로그인', signOut: '로그아웃',
  signedInAs: '{role} 권한으로 로그인됨', readOnly: '읽기 전용: 고정·제외와 보고를 보려면 운영자 토큰으로 로그인하세요',
  colourBy: '색상 기준', byClass: '분류', byFill: '거치율', shortage: '부족', surplus: '과잉', balanced: '균형', noTarget: '목표 없음',
  empty: '빈 대여소', full: '꽉 찬 대여소', emptyNow: '지금 빈 대여소', fullNow: '지금 꽉 찬 대여소', emptyMin: '오늘 빈 대여소·분', fullMin: '오늘 꽉 찬 대여소·분',
  lastWeek: '지난주 같은 요일: {n}', failNoPlan: '예상 실패 (계획 없음)', failPlan: '계획 적용 시', bikesMoved: '오늘 옮긴 자전거',
  trucks: '트럭', stops: '정차', noPlan: '아직 발행된 계획이 없습니다', paused: '일시중지', load: '적재 {n}', next: '다음',
  collect: '{n}대 수거', drop: '{n}대 배치', arrival: '{t} 도착', reports: '기사 보고', noReports: '오늘 보고 없음', done: '완료', skipped: '건너뜀',
  station: '대여소', bikes: '자전거', docks: '빈 거치대', capacity: '거치대 수', target: '목표 {min}–{max}', bikesToday: '오늘의 자전거 수', forecast: '향후 수요 예측 (80% 구간)',
  pickups: '대여', returns: '반납', failureCurve: '시작 재고별 예상 실패', pin: '고정', forbid: '제외', clearRule: '규칙 해제', pinned: '고정됨', forbidden: '제외됨',
  close: '닫기', live: '실시간', offline: '연결 끊김', updated: '{t} 갱신', stations: '대여소 {n}곳', alerts: '경보: 10분 넘게 비었거나 꽉 참', noAlerts: '없음',
  since: '{t}부터', map: '대여소, 트럭, 경로 지도', feedStale: '피드 지연', nothing: '데이터 없음', loading: '불러오는 중…',
  truck: '트럭 {t}', driverToken: '기사 토큰', more: '외 {n}곳', loginHelp: '배차 담당자에게 받은 토큰을 붙여 넣으세요.', nextStops: '다음 정차지', noStops: '정차지 없음: 다음 계획을 기다리세요.',
  openMap: '지도 앱에서 열기', markDone: '완료', markSkipped: '건너뜀', collected: '수거', dropped: '배치', confirm: '보내기', cancel: '취소', reason: '사유',
  blocked: '진입 불가', station_broken: '대여소 고장', not_as_expected: '예상과 다름', other: '기타',
  queued: '보고 {n}건이 네트워크를 기다리는 중', sentAll: '모든 보고를 보냈습니다', savedPlan: '오프라인: {t} 기준 계획', refused: '거부됨: {m}', number: '{n}번',
};

const dicts: Record<Lang, Record<Key, string>> = { en, ko };

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
  return dicts[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
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

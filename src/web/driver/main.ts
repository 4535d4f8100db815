// The driver's phone view (/driver): sign in with the token the dispatcher gave, see the next stops
// in order (name, number, collect or drop how many, arrival, a link to a maps app), report each one
// done or skipped. The last stop list is kept in localStorage and shown when the network is gone;
// reports are queued there first and sent in order when it returns (queue.ts).
import { api, ApiError, enc, type Stop, type SystemInfo } from '../shared/api.ts';
import { currentLang, initialLang, setLang, t, timeOf, translatePage, type Lang } from '../shared/i18n.ts';
import { ReportQueue, type QueuedReport, type SendOutcome } from './queue.ts';

interface Saved { truck: string; system: string | null; timezone: string; stops: Stop[]; plan_id: string | null; at: string }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const TOKEN = 'urbanlab.driver.token';
const PLAN = 'urbanlab.driver.plan';
const REASONS = ['blocked', 'station_broken', 'not_as_expected', 'other'] as const;

const queue = new ReportQueue(localStorage);
let token = localStorage.getItem(TOKEN);
let saved: Saved | null = readSaved();
let offline = false;
let message = '';
let flushing: Promise<void> | null = null;

function readSaved(): Saved | null {
  try {
    return JSON.parse(localStorage.getItem(PLAN) ?? 'null') as Saved | null;
  } catch {
    return null;
  }
}

function newKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

async function main(): Promise<void> {
  setLang(initialLang());
  const langSel = $<HTMLSelectElement>('lang');
  langSel.value = currentLang();
  langSel.addEventListener('change', () => { setLang(langSel.value as Lang); translatePage(); render(); });
  translatePage();
  $('login').addEventListener('submit', (e) => { e.preventDefault(); void signIn($<HTMLInputElement>('token').value.trim()); });
  $('signout').addEventListener('click', () => {
    token = null;
    localStorage.removeItem(TOKEN);
    showLogin();
  });
  window.addEventListener('online', () => void sync());
  window.addEventListener('offline', () => { offline = true; render(); });
  setInterval(() => void sync(), 20_000);
  // The page itself opens offline once this worker has kept it (sw.ts); without one it still works online.
  if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/driver-sw.js', { scope: '/driver' }).catch(() => undefined);
  if (!token) return showLogin();
  showApp();
  await sync();
}

function showLogin(): void {
  $('login').hidden = false;
  $('app').hidden = true;
}

function showApp(): void {
  $('login').hidden = true;
  $('app').hidden = false;
  render();
}

async function signIn(candidate: string): Promise<void> {
  try {
    const who = await api<{ role: string; truck: string | null; system: string | null }>('/whoami', { token: candidate });
    if (!who.truck) throw new Error(`this is a ${who.role} token, not a driver's`);
    token = candidate;
    localStorage.setItem(TOKEN, candidate);
    if (saved && saved.truck !== who.truck) saved = null;
    saved ??= { truck: who.truck, system: who.system, timezone: 'UTC', stops: [], plan_id: null, at: new Date().toISOString() };
    $('login-error').textContent = '';
    showApp();
    await sync();
  } catch (err) {
    $('login-error').textContent = err instanceof TypeError ? t('offline') : (err as Error).message;
  }
}

/** Send what is queued, then fetch the stops; a network failure leaves the saved plan on screen. */
function sync(): Promise<void> {
  flushing ??= (async () => {
    try {
      await flushQueue();
      await refresh();
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

async function send(r: QueuedReport): Promise<SendOutcome> {
  try {
    await api(`/trucks/${enc(r.truck)}/stops/${enc(r.station_id)}`, { method: 'POST', token, body: r.body, headers: { 'idempotency-key': r.key } });
    return { kind: 'sent' };
  } catch (err) {
    if (err instanceof ApiError && err.status < 500 && err.status !== 429) return { kind: 'refused', status: err.status, message: err.message };
    return { kind: 'offline' };
  }
}

async function flushQueue(): Promise<void> {
  if (queue.list().length === 0) return;
  const out = await queue.flush(send);
  offline = out.left > 0;
  message = out.refused.length > 0 ? out.refused.map((r) => t('refused', { m: r.message })).join(' ') : out.left === 0 ? t('sentAll') : '';
  render();
}

async function refresh(): Promise<void> {
  if (!token || !saved) return;
  try {
    const [mine, who] = await Promise.all([
      api<{ truck: string; plan_id: string | null; stops: Stop[] }>(`/trucks/${enc(saved.truck)}/stops`, { token }),
      saved.system ? api<SystemInfo>(`/systems/${enc(saved.system)}`) : Promise.resolve(null),
    ]);
    saved = { ...saved, stops: mine.stops, plan_id: mine.plan_id, timezone: who?.timezone ?? saved.timezone, at: new Date().toISOString() };
    localStorage.setItem(PLAN, JSON.stringify(saved));
    offline = false;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      token = null;
      localStorage.removeItem(TOKEN);
      $('login-error').textContent = err.message;
      return showLogin();
    }
    offline = true;
  }
  render();
}

function render(): void {
  if (!saved) return;
  $('title').textContent = `${t('driverTitle')} · ${t('truck', { t: saved.truck })}`;
  const pending = queue.pendingStations(saved.truck);
  const left = queue.list().length;
  const parts: string[] = [];
  if (offline) parts.push(t('savedPlan', { t: timeOf(saved.at, saved.timezone) }));
  if (left > 0) parts.push(t('queued', { n: left }));
  if (message) parts.push(message);
  $('status').textContent = parts.join(' · ');
  const stops = saved.stops.filter((s) => !pending.has(s.station_id));
  $('stops').innerHTML = stops.length === 0 ? `<li class="note">${esc(t('noStops'))}</li>` : stops.map((s) => {
    const collect = s.collect !== undefined;
    const what = collect ? t('collect', { n: s.collect! }) : t('drop', { n: s.drop ?? 0 });
    const maps = `https://www.google.com/maps/search/?api=1&query=${s.lat},${s.lon}`;
    return `<li class="stop" data-station="${esc(s.station_id)}">
      <h3>${s.seq}. ${esc(s.name ?? s.station_id)}</h3>
      <p>${s.number ? `${esc(t('number', { n: s.number }))} · ` : ''}${esc(t('arrival', { t: timeOf(s.arrival, saved!.timezone) }))}</p>
      <p class="what ${collect ? 'collect' : 'drop'}">${esc(what)}</p>
      <div class="buttons">
        <a class="maps" href="${esc(maps)}" target="_blank" rel="noopener">${esc(t('openMap'))}</a>
        <button type="button" data-act="done">${esc(t('markDone'))}</button>
        <button type="button" class="secondary" data-act="skip">${esc(t('markSkipped'))}</button>
      </div>
    </li>`;
  }).join('');
  for (const li of $('stops').querySelectorAll<HTMLLIElement>('li.stop')) {
    const stop = stops.find((s) => s.station_id === li.dataset['station'])!;
    li.querySelector<HTMLButtonElement>('[data-act="done"]')!.addEventListener('click', () => openForm(li, stop, 'done'));
    li.querySelector<HTMLButtonElement>('[data-act="skip"]')!.addEventListener('click', () => openForm(li, stop, 'skip'));
  }
}

function openForm(li: HTMLLIElement, stop: Stop, kind: 'done' | 'skip'): void {
  li.querySelector('form')?.remove();
  const form = document.createElement('form');
  const id = `f-${stop.seq}`;
  if (kind === 'done') {
    const collect = stop.collect !== undefined;
    form.innerHTML = `<label for="${id}">${esc(collect ? t('collected') : t('dropped'))}</label>
      <input id="${id}" name="n" type="number" inputmode="numeric" min="0" max="200" required value="${collect ? stop.collect : stop.drop ?? 0}">
      <div class="buttons"><button type="submit">${esc(t('confirm'))}</button><button type="button" class="secondary" data-act="cancel">${esc(t('cancel'))}</button></div>`;
  } else {
    form.innerHTML = `<label for="${id}">${esc(t('reason'))}</label>
      <select id="${id}" name="reason">${REASONS.map((r) => `<option value="${r}">${esc(t(r))}</option>`).join('')}</select>
      <div class="buttons"><button type="submit">${esc(t('confirm'))}</button><button type="button" class="secondary" data-act="cancel">${esc(t('cancel'))}</button></div>`;
  }
  form.querySelector('[data-act="cancel"]')!.addEventListener('click', () => form.remove());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const body: QueuedReport['body'] = kind === 'done'
      ? (stop.collect !== undefined ? { status: 'done', collected: Number(data.get('n')) } : { status: 'done', dropped: Number(data.get('n')) })
      : { status: 'skipped', reason: String(data.get('reason')) };
    // Queued first (kept through a reload or a dead battery), then sent with the rest.
    queue.add({ key: newKey(), truck: saved!.truck, station_id: stop.station_id, body, queued_at: new Date().toISOString() });
    message = '';
    render();
    void sync();
  });
  li.append(form);
  form.querySelector<HTMLElement>('input, select')!.focus();
}

main().catch((err: unknown) => {
  $('status').textContent = (err as Error).message;
});

// The public API as the pages use it (the same routes as any client: docs/service.md). Reads are
// open; a write carries the token the user typed in, kept in this browser's localStorage.
export const API = '/api/v1';

export interface SystemInfo { id: string; name: string; timezone: string; stations: number; trucks: string[]; last_snapshot: string | null; feed_stale: boolean; targets_stale: boolean }
export interface Station {
  station_id: string; name: string | null; number: string | null; lat: number | null; lon: number | null; capacity: number | null;
  bikes: number | null; docks: number | null; min: number | null; max: number | null; class: string | null; expected_failures: number | null; updated_at: string | null;
}
export interface Stop { seq: number; station_id: string; name: string | null; number: string | null; lat: number; lon: number; collect?: number; drop?: number; arrival: string; load_after: number }
export interface Route { truck: string; start?: { lat: number; lon: number }; start_load?: number; end?: string; stops: Stop[] }
export interface Plan { plan_id: string | null; issued_at: string | null; expected_failures_before?: number | null; expected_failures_after?: number | null; routes: Route[] }
export interface Truck { truck: string; paused: boolean; load: number; reported: number; remaining: number; position: { lat: number; lon: number; at: string } | null; next_stop: Stop | null }
export interface Report { report_id: number; truck: string; station_id: string; status: 'done' | 'skipped'; collected: number | null; dropped: number | null; reason: string | null; at: string }
export interface Kpis {
  day_start: string; now: string; empty_station_minutes: number; full_station_minutes: number; stations_empty_now?: number; stations_full_now?: number;
  expected_failures_without_plan?: number | null; expected_failures_with_plan?: number | null; bikes_moved?: number; bikes_collected: number; bikes_dropped: number; stops_done: number; stops_skipped: number;
}
export interface BandValue { mean: number; lo_80: number; hi_80: number }
export interface ForecastBand { station_id: string; run_id: string | null; hours: { at: string; pickups: BandValue | null; returns: BandValue | null }[] }
export interface StationTargets { run_id: string | null; at: string | null; min?: number; max?: number; capacity?: number; class?: string | null; failed_rentals?: number[]; failed_returns?: number[] }
export interface History { points: { at: string; bikes: number | null; docks: number | null }[] }
export interface StatusEvent { observed_at: string; changed: { station_id: string; bikes: number; docks: number | null }[] }
export interface ServiceEvent<T = unknown> { type: string; system: string; at: string; data: T }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T>(path: string, opts: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${API}${path}`, { method: opts.method ?? 'GET', headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) throw new ApiError(res.status, (json as { message?: string } | null)?.message ?? `${res.status} ${res.statusText}`);
  return json as T;
}

export const enc = encodeURIComponent;

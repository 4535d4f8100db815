// The service's durable writes: a driver's report, a position, an operator's control, a plan's
// issue. Each is one transaction, committed before the caller answers (an acknowledged write
// survives a kill -9), with its audit row in the same transaction.
import type { Store } from '../platform/store/connection.ts';
import type { Role } from './tokens.ts';
import type { ReportRow } from './queries.ts';

async function audit(s: Store, atMs: number, role: Role | 'service', action: string, system: string | null, subject: string | null, detail: unknown): Promise<void> {
  await s.run('INSERT INTO service_audit (happened_at, role, action, system_id, subject, detail) VALUES (to_timestamp($1), $2, $3, $4, $5, $6::JSON)',
    [atMs / 1000, role, action, system, subject, JSON.stringify(detail ?? null)]);
}

export interface NewReport {
  system: string;
  truck: string;
  planId: string | null;
  stationId: string;
  status: 'done' | 'skipped';
  collected: number | null;
  dropped: number | null;
  reason: string | null;
  clientKey: string | null;
}

/** Stores the report (once per client key) and returns it with `created` false when it was a retry. */
export async function recordReport(store: Store, r: NewReport, atMs: number, role: Role): Promise<{ report: ReportRow; created: boolean }> {
  return store.transaction(async (s) => {
    if (r.clientKey !== null) {
      const seen = await s.all<{ report_id: number }>('SELECT report_id FROM driver_reports WHERE client_key = $1', [r.clientKey]);
      if (seen[0]) return { report: (await reportById(s, seen[0].report_id))!, created: false };
    }
    const rows = await s.all<{ report_id: number }>(
      `INSERT INTO driver_reports (system_id, truck, plan_id, station_id, status, collected, dropped, reason, received_at, client_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9), $10) RETURNING report_id`,
      [r.system, r.truck, r.planId, r.stationId, r.status, r.collected, r.dropped, r.reason, atMs / 1000, r.clientKey]);
    const id = rows[0]!.report_id;
    await audit(s, atMs, role, `stop-${r.status}`, r.system, r.truck, { report_id: id, station_id: r.stationId });
    return { report: (await reportById(s, id))!, created: true };
  });
}

async function reportById(s: Store, id: number): Promise<ReportRow | undefined> {
  const rows = await s.all<Omit<ReportRow, 'at'> & { t: number }>(
    'SELECT report_id, truck, plan_id, station_id, status, collected, dropped, reason, epoch_ms(received_at) AS t FROM driver_reports WHERE report_id = $1', [id]);
  const r = rows[0];
  if (!r) return undefined;
  const { t, ...rest } = r;
  return { ...rest, at: new Date(Number(t)).toISOString() };
}

export async function recordPosition(store: Store, system: string, truck: string, lat: number, lon: number, atMs: number): Promise<void> {
  await store.run('INSERT INTO truck_positions (system_id, truck, seen_at, lat, lon) VALUES ($1, $2, to_timestamp($3), $4, $5)', [system, truck, atMs / 1000, lat, lon]);
}

export async function recordTruckPaused(store: Store, system: string, truck: string, paused: boolean, atMs: number, role: Role): Promise<void> {
  await store.transaction(async (s) => {
    await s.run(`INSERT INTO truck_controls (system_id, truck, paused, changed_at) VALUES ($1, $2, $3, to_timestamp($4))
                 ON CONFLICT (system_id, truck) DO UPDATE SET paused = excluded.paused, changed_at = excluded.changed_at`, [system, truck, paused, atMs / 1000]);
    await audit(s, atMs, role, paused ? 'truck-pause' : 'truck-resume', system, truck, null);
  });
}

export async function recordStationRule(store: Store, system: string, station: string, rule: 'pin' | 'forbid' | 'none', atMs: number, role: Role): Promise<void> {
  await store.transaction(async (s) => {
    if (rule === 'none') await s.run('DELETE FROM station_controls WHERE system_id = $1 AND station_id = $2', [system, station]);
    else await s.run(`INSERT INTO station_controls (system_id, station_id, rule, changed_at) VALUES ($1, $2, $3, to_timestamp($4))
                      ON CONFLICT (system_id, station_id) DO UPDATE SET rule = excluded.rule, changed_at = excluded.changed_at`, [system, station, rule, atMs / 1000]);
    await audit(s, atMs, role, `station-${rule}`, system, station, null);
  });
}

/** Proposed (waiting for approval) or issued at once; an earlier proposal still waiting is superseded. */
export async function recordPlanIssue(store: Store, system: string, planId: string, issued: boolean, atMs: number): Promise<void> {
  await store.transaction(async (s) => {
    await s.run("UPDATE plan_issues SET state = 'superseded' WHERE system_id = $1 AND state = 'proposed'", [system]);
    if (issued) await s.run("UPDATE plan_issues SET state = 'superseded' WHERE system_id = $1 AND state = 'issued'", [system]);
    await s.run(`INSERT INTO plan_issues (plan_id, system_id, state, proposed_at, issued_at, approved_by) VALUES ($1, $2, $3, to_timestamp($4), $5, $6)
                 ON CONFLICT (plan_id) DO UPDATE SET state = excluded.state, issued_at = excluded.issued_at, approved_by = excluded.approved_by`,
      [planId, system, issued ? 'issued' : 'proposed', atMs / 1000, issued ? new Date(atMs).toISOString() : null, issued ? 'auto' : null]);
    await audit(s, atMs, 'service', issued ? 'plan-issued' : 'plan-proposed', system, planId, null);
  });
}

export async function recordPlanApproval(store: Store, system: string, planId: string, atMs: number, role: Role): Promise<void> {
  await store.transaction(async (s) => {
    await s.run("UPDATE plan_issues SET state = 'superseded' WHERE system_id = $1 AND state = 'issued'", [system]);
    await s.run("UPDATE plan_issues SET state = 'issued', issued_at = to_timestamp($2), approved_by = $3 WHERE plan_id = $1", [planId, atMs / 1000, role]);
    await audit(s, atMs, role, 'plan-approved', system, planId, null);
  });
}

export async function loadControls(store: Store, system: string): Promise<{ paused: Set<string>; rules: Map<string, 'pin' | 'forbid'>; positions: Map<string, { lat: number; lon: number; atMs: number }> }> {
  const paused = await store.all<{ truck: string }>('SELECT truck FROM truck_controls WHERE system_id = $1 AND paused', [system]);
  const rules = await store.all<{ station_id: string; rule: 'pin' | 'forbid' }>('SELECT station_id, rule FROM station_controls WHERE system_id = $1', [system]);
  const pos = await store.all<{ truck: string; lat: number; lon: number; t: number }>(
    'SELECT truck, arg_max(lat, seen_at) AS lat, arg_max(lon, seen_at) AS lon, epoch_ms(max(seen_at)) AS t FROM truck_positions WHERE system_id = $1 GROUP BY truck', [system]);
  return {
    paused: new Set(paused.map((r) => r.truck)),
    rules: new Map(rules.map((r) => [r.station_id, r.rule])),
    positions: new Map(pos.map((r) => [r.truck, { lat: r.lat, lon: r.lon, atMs: Number(r.t) }])),
  };
}

/** Reports on an issued plan, by truck: what a restart needs to know what each truck did of it. */
export async function reportsOnPlan(store: Store, planId: string): Promise<Array<{ truck: string; station_id: string; collected: number | null; dropped: number | null }>> {
  return store.all('SELECT truck, station_id, collected, dropped FROM driver_reports WHERE plan_id = $1 ORDER BY report_id', [planId]);
}

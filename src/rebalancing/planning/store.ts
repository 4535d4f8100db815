// The planner's edge to DuckDB: the latest target run of a system (at or before a time) with each
// station's bikes, curves, name and place; and the plans it writes. Everything else in this folder
// is pure.
import type { StationId } from '../../platform/ids.ts';
import { UserError } from '../../platform/errors.ts';
import type { Store } from '../../platform/store/connection.ts';
import type { Plan } from './plan.ts';

export interface TargetRunRef {
  runId: string;
  atS: number;
  horizonMinutes: number;
  timeZone: string;
}

export type TargetStationRow = {
  station_id: StationId;
  current: number | null;
  capacity: number;
  failed_rentals: string;
  failed_returns: string;
  name: string | null;
  number: string | null;
  district: string | null;
  lat: number | null;
  lon: number | null;
};

/** The newest target run of `system` whose time is at or before `atS` (any, when atS is null). */
export async function latestTargetRun(store: Store, system: string, atS: number | null): Promise<TargetRunRef> {
  const known = await store.all<{ timezone: string }>('SELECT timezone FROM systems WHERE system_id = $1', [system]);
  if (known.length === 0) {
    const all = (await store.all<{ system_id: string }>('SELECT system_id FROM systems ORDER BY 1')).map((r) => r.system_id);
    throw new UserError(`unknown system '${system}' (the store has: ${all.join(', ') || 'none'})`);
  }
  const rows = await store.all<{ run_id: string; t: number; horizon_minutes: number }>(
    `SELECT run_id, epoch(at_time) AS t, horizon_minutes FROM target_runs
     WHERE system_id = $1 AND ($2::DOUBLE IS NULL OR at_time <= to_timestamp($2::DOUBLE))
     ORDER BY at_time DESC, created_at DESC LIMIT 1`,
    [system, atS],
  );
  const r = rows[0];
  if (!r) {
    const when = atS === null ? '' : ` at or before ${new Date(atS * 1000).toISOString()}`;
    throw new UserError(`no target run for '${system}'${when}: run \`urbanlab targets --system ${system} --at <time>\` first`);
  }
  return { runId: r.run_id, atS: Number(r.t), horizonMinutes: r.horizon_minutes, timeZone: known[0]!.timezone };
}

/** Every station of a run with its curves (JSON text) and, where the store has them, name, number and place. */
export async function loadRunStations(store: Store, system: string, runId: string): Promise<TargetStationRow[]> {
  return store.all<TargetStationRow>(
    `SELECT t.station_id, t.current, t.capacity, t.failed_rentals::VARCHAR AS failed_rentals, t.failed_returns::VARCHAR AS failed_returns,
            s.name, s.short_name AS number, coalesce(s.district, t.district) AS district, s.lat, s.lon
     FROM targets t LEFT JOIN stations s ON s.system_id = $1 AND s.station_id = t.station_id
     WHERE t.run_id = $2 ORDER BY t.station_id`,
    [system, runId],
  );
}

export interface PlanRecord {
  planId: string;
  fleet: unknown;
  travel: string;
  seed: number;
  timeLimitS: number;
}

/** Stores a plan (replacing one of the same id) in one transaction. */
export async function savePlan(store: Store, rec: PlanRecord, plan: Plan, atS: number): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.run('DELETE FROM plan_stops WHERE plan_id = $1', [rec.planId]);
    await tx.run('DELETE FROM plans WHERE plan_id = $1', [rec.planId]);
    await tx.run(
      `INSERT INTO plans VALUES ($1, $2, now(), to_timestamp($3), $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [rec.planId, plan.system, atS, plan.target_run, JSON.stringify(rec.fleet), rec.travel, rec.seed, rec.timeLimitS,
        plan.expected_failures_before, plan.expected_failures_after, plan.greedy_failures_after, JSON.stringify(plan)],
    );
    // Multi-row inserts (arrival is ISO text with an offset, cast by DuckDB).
    const rows = plan.routes.flatMap((r) => r.stops.map((s, k) => [rec.planId, r.truck, k + 1, s.station_id, s.collect ?? null, s.drop ?? null, s.arrival, s.load_after, s.bikes_before, s.bikes_after, s.failures_before, s.failures_after]));
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const values = chunk.map((_, j) => `(${Array.from({ length: 12 }, (_, c) => `$${j * 12 + c + 1}${c === 6 ? '::TIMESTAMPTZ' : ''}`).join(', ')})`).join(', ');
      await tx.run(`INSERT INTO plan_stops VALUES ${values}`, chunk.flat());
    }
  });
}

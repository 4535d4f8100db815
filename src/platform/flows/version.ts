// A version number per system and derived flow table, bumped by every writer in the same
// transaction as its write. Readers that build on the flows (the statistics' roll-ups) compare it
// with the version they were built from instead of scanning the tables to find out.
import type { Store } from '../store/connection.ts';

export type FlowTable = 'hourly_flows' | 'trip_hourly_flows';

export async function bumpFlowVersion(store: Store, systemId: string, table: FlowTable): Promise<void> {
  await store.run(
    `INSERT INTO flow_versions (system_id, flow_table, version, changed_at) VALUES ($1, $2, 1, now())
     ON CONFLICT (system_id, flow_table) DO UPDATE SET version = flow_versions.version + 1, changed_at = now()`,
    [systemId, table],
  );
}

/** 0 when the table was never written for the system. */
export async function flowVersion(store: Store, systemId: string, table: FlowTable): Promise<number> {
  const rows = await store.all<{ v: number }>('SELECT version AS v FROM flow_versions WHERE system_id = $1 AND flow_table = $2', [systemId, table]);
  return rows[0]?.v ?? 0;
}

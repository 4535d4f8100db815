// Gaps: intervals with no good snapshot, longer than the feed's expected interval allows.
import type { Store } from '../store/connection.ts';

export async function recordGap(store: Store, system: string, start: Date, end: Date, reason: string): Promise<void> {
  if (end.getTime() <= start.getTime()) return;
  // A gap recorded at shutdown is extended, not duplicated, when the next run closes it.
  await store.run(
    `INSERT INTO gaps (system_id, gap_start, gap_end, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (system_id, gap_start) DO UPDATE SET gap_end = greatest(gaps.gap_end, excluded.gap_end), reason = excluded.reason`,
    [system, start.toISOString(), end.toISOString(), reason],
  );
}

export async function lastSnapshotTime(store: Store, system: string): Promise<Date | undefined> {
  const rows = await store.all<{ t: Date | null }>('SELECT max(observed_at) AS t FROM snapshots WHERE system_id = $1', [system]);
  return rows[0]?.t ?? undefined;
}

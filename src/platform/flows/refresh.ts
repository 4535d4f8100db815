// Keeping derived tables in step with status imports. Each file's load notes the earliest instant its
// rows can change (`markAffected`); once all files of the command are in, `refreshDerived` re-judges
// the gaps and recomputes the hourly flows from the earliest affected hour, inside the same
// transaction. Keyed by the transaction's store so two stores never mix.
import type { Store } from '../store/connection.ts';
import { recomputeHourlyFlows, refreshGaps } from './derive-sql.ts';
import { DEFAULT_FLOW_OPTIONS, type FlowOptions } from './options.ts';

interface Pending {
  from: number | undefined;
  options: FlowOptions;
}

const pending = new WeakMap<Store, Map<string, Pending>>();

export function markAffected(store: Store, systemId: string, from: number | undefined, options: FlowOptions = DEFAULT_FLOW_OPTIONS): void {
  let bySystem = pending.get(store);
  if (!bySystem) pending.set(store, (bySystem = new Map()));
  const p = bySystem.get(systemId) ?? { from: undefined, options };
  if (from !== undefined) p.from = Math.min(p.from ?? Infinity, from);
  p.options = options;
  bySystem.set(systemId, p);
}

export interface RefreshResult {
  from: number | undefined;
  hourlyRows: number;
}

/** Re-judge gaps and recompute hourly flows for what the command's files touched. */
export async function refreshDerived(store: Store, systemId: string): Promise<RefreshResult> {
  const p = pending.get(store)?.get(systemId);
  pending.get(store)?.delete(systemId);
  if (!p) return { from: undefined, hourlyRows: 0 };
  const gapChange = await refreshGaps(store, systemId, p.options.gapFactor);
  const from = [p.from, gapChange].filter((x): x is number => x !== undefined).reduce((a, b) => Math.min(a, b), Infinity);
  if (from === Infinity) return { from: undefined, hourlyRows: 0 };
  const hourlyRows = await recomputeHourlyFlows(store, systemId, from, p.options.truckThreshold);
  return { from, hourlyRows };
}

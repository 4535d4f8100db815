// The one place the service calls the chain's stages: forecast fit and predict (stage 2,
// rebalancing/forecast/run.ts), a target run (stage 3, rebalancing/targets/run.ts). Their reads and
// writes of the store run here; their computing (the fit, the forecast, the targets' solve) in the
// system's compute worker (compute-worker.ts), as stage 4's planFleet does, so that a cycle never
// stalls the API.
import type { Store } from '../../platform/store/connection.ts';
import type { ComputeWorker } from './compute-in-worker.ts';
import { DEFAULT_HISTORY } from '../../rebalancing/targets/historical-rates.ts';
import { DEFAULT_POINTS } from '../../rebalancing/targets/station-targets.ts';
import { fitAndSave, predictAndSave } from '../../rebalancing/forecast/run.ts';
import { defaultCapacityPolicy } from '../../rebalancing/targets/capacity.ts';
import { computeTargetRun } from '../../rebalancing/targets/run.ts';

/** Fit the forecast model on the hours before `atMs` and store it. */
export async function refitForecast(store: Store, worker: ComputeWorker, system: string, atMs: number, maxRows: number): Promise<string> {
  return (await fitAndSave(store, { system, to: atMs, maxRows, compute: worker.forecast })).modelId;
}

/** Predict `hours` from the hour of `atMs` with the latest model (fitting one when there is none). */
export async function predictForecast(store: Store, worker: ComputeWorker, system: string, atMs: number, hours: number, maxRows: number): Promise<string> {
  const origin = Math.floor(atMs / 3_600_000) * 3_600_000;
  return (await predictAndSave(store, { system, origin, hours, maxRows, compute: worker.forecast })).runId;
}

/** A target run at `atMs` from the status then and the stored forecast (else the historical average). */
export async function computeTargets(store: Store, system: string, atMs: number, horizonMinutes: number, service: number): Promise<string> {
  const r = await computeTargetRun(store, {
    system, atS: atMs / 1000, horizonMinutes, stepMinutes: 15, service, points: DEFAULT_POINTS, rates: 'auto', weeks: DEFAULT_HISTORY.weeks,
    policy: defaultCapacityPolicy(system),
    runId: `${system}-${new Date(atMs).toISOString().replace(/[-:]/g, '').slice(0, 15)}-serve`,
  });
  return r.runId;
}

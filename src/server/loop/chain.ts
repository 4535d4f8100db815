// The one place the service calls the chain's stages: forecast fit and predict (stage 2,
// rebalancing/forecast/run.ts), a target run (stage 3, rebalancing/targets/run.ts). Stage 4 is
// planFleet, called in a worker (plan-worker.ts) so that a long search never blocks the API.
import type { Store } from '../../platform/store/connection.ts';
import { DEFAULT_HISTORY } from '../../rebalancing/targets/historical-rates.ts';
import { DEFAULT_POINTS } from '../../rebalancing/targets/station-targets.ts';
import { fitAndSave, predictAndSave } from '../../rebalancing/forecast/run.ts';
import { defaultCapacityPolicy } from '../../rebalancing/targets/capacity.ts';
import { computeTargetRun } from '../../rebalancing/targets/run.ts';

/** Fit the forecast model on the hours before `atMs` and store it. */
export async function refitForecast(store: Store, system: string, atMs: number, maxRows: number): Promise<string> {
  return (await fitAndSave(store, { system, to: atMs, maxRows })).modelId;
}

/** Predict `hours` from the hour of `atMs` with the latest model (fitting one when there is none). */
export async function predictForecast(store: Store, system: string, atMs: number, hours: number): Promise<string> {
  const origin = Math.floor(atMs / 3_600_000) * 3_600_000;
  return (await predictAndSave(store, { system, origin, hours })).runId;
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

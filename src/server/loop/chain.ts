// The one place the service calls the chain's stages (issue 18's `runChain` is being written; when
// it lands, these bodies become calls to it and nothing else in src/server changes). Until then the
// stages are reached through the command files' functions, which the chain issue moves out of
// src/cli: forecast fit and predict (stage 2), a target run (stage 3). Stage 4 is planFleet,
// called in a worker (plan-worker.ts) so that a long search never blocks the API.
import type { Store } from '../../platform/store/connection.ts';
import { DEFAULT_HISTORY } from '../../rebalancing/targets/historical-rates.ts';
import { DEFAULT_POINTS } from '../../rebalancing/targets/station-targets.ts';
import { fitAndSave, predictAndSave } from '../../cli/forecast.ts';
import { computeTargetRun } from '../../cli/targets.ts';

const quiet = { db: '', json: false, quiet: true } as const;

/** Fit the forecast model on the hours before `atMs` and store it. */
export async function refitForecast(store: Store, system: string, atMs: number, maxRows: number): Promise<string> {
  return (await fitAndSave(store, { ...quiet, system, to: new Date(atMs).toISOString(), maxRows: String(maxRows) })).modelId;
}

/** Predict `hours` from the hour of `atMs` with the latest model (fitting one when there is none). */
export async function predictForecast(store: Store, system: string, atMs: number, hours: number): Promise<string> {
  const origin = Math.floor(atMs / 3_600_000) * 3_600_000;
  return (await predictAndSave(store, { ...quiet, system, origin, hours })).runId;
}

/** A target run at `atMs` from the status then and the stored forecast (else the historical average). */
export async function computeTargets(store: Store, system: string, atMs: number, horizonMinutes: number, service: number): Promise<string> {
  const r = await computeTargetRun(store, {
    ...quiet, system, at: new Date(atMs).toISOString(), horizon: `${horizonMinutes}m`, step: '15m', service: String(service),
    points: String(DEFAULT_POINTS), rates: 'auto', weeks: String(DEFAULT_HISTORY.weeks),
    runId: `${system}-${new Date(atMs).toISOString().replace(/[-:]/g, '').slice(0, 15)}-serve`,
  });
  return r.runId;
}

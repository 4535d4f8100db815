// Stage 4 off the API's thread: a worker that runs planFleet on plain data and posts the plan back.
// The search is CPU-bound for up to its time limit; on the main thread it would stall every request.
import { parentPort } from 'node:worker_threads';
import { planFleet, type PlanFleetInput, type PlanFleetOptions } from '../../rebalancing/planning/plan-fleet.ts';
import type { Fleet } from '../../rebalancing/planning/fleet.ts';

export interface PlanJob { input: PlanFleetInput; fleet: Fleet; opts: PlanFleetOptions }

parentPort!.on('message', (job: PlanJob) => {
  try {
    const r = planFleet(job.input, job.fleet, job.opts);
    parentPort!.postMessage({ ok: true, plan: r.plan, seconds: r.seconds, iterations: r.iterations });
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).message });
  }
});

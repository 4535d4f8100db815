// Hourly rates to the model's steps: the horizon starts `offsetMinutes` into the first hour and is
// cut into steps of `stepMinutes`; each step takes the rate of the hour its start falls in (steps
// of 15 minutes never straddle an hour when the horizon starts on a quarter hour).
import type { HorizonRates } from './birth-death.ts';

export function hourlyToSteps(
  pickups: ArrayLike<number>, returns: ArrayLike<number>, offsetMinutes: number, horizonMinutes: number, stepMinutes = 15,
): HorizonRates {
  if (!(stepMinutes > 0) || !(horizonMinutes > 0)) throw new RangeError('horizon and step must be > 0 minutes');
  const steps = Math.ceil(horizonMinutes / stepMinutes - 1e-9);
  const p = new Float64Array(steps), r = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    const h = Math.floor((offsetMinutes + k * stepMinutes) / 60);
    if (h >= pickups.length) throw new RangeError(`hour ${h} of the horizon has no rate (${pickups.length} given)`);
    p[k] = pickups[h]!;
    r[k] = returns[h]!;
  }
  // The last step is shortened when the horizon is not a multiple of the step: scale its rates
  // instead (same expected events, one step length for all).
  const last = horizonMinutes - (steps - 1) * stepMinutes;
  if (last < stepMinutes) {
    p[steps - 1]! *= last / stepMinutes;
    r[steps - 1]! *= last / stepMinutes;
  }
  return { stepHours: stepMinutes / 60, pickups: p, returns: r };
}

/** Hours of rates a horizon needs when it starts `offsetMinutes` into the first hour. */
export function hoursSpanned(offsetMinutes: number, horizonMinutes: number): number {
  return Math.ceil((offsetMinutes + horizonMinutes) / 60 - 1e-9);
}

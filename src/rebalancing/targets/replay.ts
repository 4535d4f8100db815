// Replay: what would have happened to a station holding `start` bikes under the demand that was
// really observed. Events are the observed changes of the station's bikes, in order: a rise of d
// is d returns, a fall of d is d pickups. A pickup at an empty station fails (the rider walks
// away), a return at a full one fails (the rider goes elsewhere). Changes as large as an operator's
// truck (|d| >= truckThreshold, the same rule the hourly flows use) are not demand and are skipped.

export interface ReplayOutcome {
  hitEmpty: boolean;
  hitFull: boolean;
  failedRentals: number;
  failedReturns: number;
  end: number;
}

export function replayEvents(deltas: ArrayLike<number>, start: number, capacity: number, truckThreshold = Infinity): ReplayOutcome {
  let n = Math.min(Math.max(0, start), capacity);
  let hitEmpty = n === 0, hitFull = n === capacity, failedRentals = 0, failedReturns = 0;
  for (let i = 0; i < deltas.length; i++) {
    const d = deltas[i]!;
    if (Math.abs(d) >= truckThreshold) continue;
    if (d < 0) {
      for (let k = 0; k < -d; k++) {
        if (n === 0) failedRentals++;
        else n--;
      }
      if (n === 0) hitEmpty = true;
    } else if (d > 0) {
      for (let k = 0; k < d; k++) {
        if (n === capacity) failedReturns++;
        else n++;
      }
      if (n === capacity) hitFull = true;
    }
  }
  return { hitEmpty, hitFull, failedRentals, failedReturns, end: n };
}

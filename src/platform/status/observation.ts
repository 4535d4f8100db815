// One station's state as a feed reports it at one snapshot: the common form of GBFS station_status,
// Seoul's bikeList and the live poller, before it is written to the `status` change log.
export interface StatusObservation {
  stationId: string;
  /** The feed's own per-station time (GBFS last_reported), when it gives one. */
  lastReported: Date | null;
  bikesAvailable: number;
  ebikesAvailable: number | null;
  bikesDisabled: number | null;
  docksAvailable: number | null;
  docksDisabled: number | null;
  /** Racks, where the status feed gives them (Seoul rackTotCnt). */
  capacity: number | null;
  isInstalled: boolean | null;
  isRenting: boolean | null;
  isReturning: boolean | null;
}

export interface StatusSnapshot {
  system: string;
  /** The snapshot's time: the feed's last_updated when it has one, else the fetch time. */
  observedAt: Date;
  fetchedAt: Date;
  feedLastUpdated: Date | null;
  stations: StatusObservation[];
  source: string;
}

/** Two observations describe the same state (nothing to log). last_reported alone does not count. */
export function sameState(a: StatusObservation, b: StatusObservation): boolean {
  return (
    a.bikesAvailable === b.bikesAvailable &&
    a.ebikesAvailable === b.ebikesAvailable &&
    a.bikesDisabled === b.bikesDisabled &&
    a.docksAvailable === b.docksAvailable &&
    a.docksDisabled === b.docksDisabled &&
    a.capacity === b.capacity &&
    a.isInstalled === b.isInstalled &&
    a.isRenting === b.isRenting &&
    a.isReturning === b.isReturning
  );
}

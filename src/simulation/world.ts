// The simulated world's stations: where they are, how many docks, how many bikes at the start.
// Index-addressed typed arrays; station ids only at the edges (loading, the event log, the output).

export interface Stations {
  readonly ids: readonly string[];
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  /** Docks: bikes + free docks at the start (the status's own capacity). */
  readonly capacity: Int32Array;
  /** Bikes at the start. */
  readonly bikes: Int32Array;
}

export function stationsOf(rows: ReadonlyArray<{ id: string; lat: number; lon: number; capacity: number; bikes: number }>): Stations {
  return {
    ids: rows.map((r) => r.id),
    lat: Float64Array.from(rows, (r) => r.lat),
    lon: Float64Array.from(rows, (r) => r.lon),
    capacity: Int32Array.from(rows, (r) => r.capacity),
    bikes: Int32Array.from(rows, (r) => Math.min(r.bikes, r.capacity)),
  };
}

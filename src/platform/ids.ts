// The ids every stage passes around, each its own type so that one kind cannot be passed for
// another: a station id where a truck, zone or system id is meant (or the reverse) does not compile.
// Both are strings, always (some published station ids are 19-digit integers). A value becomes an
// id where it enters: read from the store or a feed (`asStationId`), never by a cast inside a stage.
// Routing's benchmark instances keep plain numbered places: they are not a system's stations.

declare const systemBrand: unique symbol;
declare const stationBrand: unique symbol;

/** A bike-share system's id in the store (`systems.system_id`), e.g. 'baywheels', 'seoul'. */
export type SystemId = string & { readonly [systemBrand]: 'SystemId' };
/** A station's id within its system (`stations.station_id`), as the system publishes it. */
export type StationId = string & { readonly [stationBrand]: 'StationId' };

/** A station id read at a boundary (store row, feed, file, command line). */
export function asStationId(id: string): StationId {
  return id as StationId;
}

/** Station ids read at a boundary, in order. */
export function asStationIds(ids: readonly string[]): StationId[] {
  return ids as StationId[];
}

/** A system id read at a boundary. */
export function asSystemId(id: string): SystemId {
  return id as SystemId;
}

/** Seoul's system id: the default system of Seoul's public files, which do not name one. */
export const SEOUL_SYSTEM = asSystemId('seoul');

// Reader for urbanlab's minimal JSON instance form:
// {"capacity": 30, "vehicles": 5, "start_load": "free", "visit_all": false, "max_route_cost": 160,
//  "stations": [{"id": "depot", "demand": 0}, {"id": "a", "demand": 3}, ...], "cost": [[...], ...]}
// The first station is the depot. demand > 0: bikes to collect; < 0: bikes to drop.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ImportError } from '../../../platform/import/errors.ts';
import { makeInstance, type Instance, type StartLoad } from '../instance.ts';

export function readJsonInstance(file: string): Instance {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ImportError(file, `not valid JSON: ${(e as Error).message}`);
  }
  return parseJsonInstance(doc, file, basename(file).replace(/\.json$/i, ''));
}

export function parseJsonInstance(doc: unknown, file: string, name = file): Instance {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ImportError(file, 'expected a JSON object');
  const o = doc as Record<string, unknown>;
  const stations = o.stations;
  if (!Array.isArray(stations) || stations.length === 0) throw new ImportError(file, 'must be a non-empty array (the first is the depot)', { field: 'stations' });
  const ids: string[] = [];
  const demand: number[] = [];
  stations.forEach((s, i) => {
    const st = s as Record<string, unknown>;
    if (typeof st?.id !== 'string') throw new ImportError(file, `station ${i}: id must be a string`, { field: `stations[${i}].id` });
    ids.push(st.id);
    const d = st.demand ?? 0;
    if (typeof d !== 'number' || !Number.isInteger(d)) throw new ImportError(file, `station '${st.id}': demand must be an integer`, { field: `stations[${i}].demand` });
    demand.push(d);
  });
  if (typeof o.capacity !== 'number') throw new ImportError(file, 'must be a number', { field: 'capacity' });
  let startLoad: StartLoad = 'free';
  if (o.start_load !== undefined && o.start_load !== 'free') {
    if (typeof o.start_load !== 'number') throw new ImportError(file, 'must be "free" or a number', { field: 'start_load' });
    startLoad = o.start_load;
  }
  if (o.vehicles !== undefined && o.vehicles !== null && typeof o.vehicles !== 'number') throw new ImportError(file, 'must be a number', { field: 'vehicles' });
  if (!Array.isArray(o.cost)) throw new ImportError(file, 'must be an n x n array of numbers', { field: 'cost' });
  return makeInstance(
    {
      name: typeof o.name === 'string' ? o.name : name,
      ids,
      demand,
      cost: o.cost as number[][],
      capacity: o.capacity,
      vehicles: typeof o.vehicles === 'number' ? o.vehicles : undefined,
      startLoad,
      visitAll: o.visit_all === true,
      maxRouteCost: typeof o.max_route_cost === 'number' ? o.max_route_cost : undefined,
    },
    file,
  );
}

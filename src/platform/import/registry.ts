// Every import kind the CLI offers, loaded on demand so a command pays only for what it uses.
import { UserError } from '../errors.ts';
import type { Importer } from './importer.ts';

const KINDS: Record<string, () => Promise<{ importer: Importer }>> = {
  'seoul-trips': () => import('./seoul-trips.ts'),
  'seoul-stations': () => import('./seoul-stations.ts'),
  'seoul-status': () => import('./seoul-status.ts'),
  'seoul-usage': () => import('./seoul-usage.ts'),
  gbfs: () => import('./gbfs.ts'),
  'gbfs-history': () => import('./gbfs-history.ts'),
  'gbfs-trips': () => import('./gbfs-trips.ts'),
  weather: () => import('./weather.ts'),
  'uci-seoul': () => import('./uci-seoul.ts'),
  'seoul-hourly': () => import('./seoul-hourly.ts'),
  'living-population': () => import('./living-population.ts'),
  boundaries: () => import('./boundaries.ts'),
};

export const IMPORT_KINDS = Object.keys(KINDS);

export async function loadImporter(kind: string): Promise<Importer> {
  const load = KINDS[kind];
  if (!load) throw new UserError(`unknown import kind '${kind}'; one of: ${IMPORT_KINDS.join(', ')}`);
  return (await load()).importer;
}

// The rule of instant.ts with the zone of a stored system (the systems table's `timezone`).
import { asSystemId } from '../ids.ts';
import type { Store } from '../store/connection.ts';
import { systemTimezone } from '../store/systems.ts';
import { parseTime } from './instant.ts';

/** Reads `text` (epoch ms): an explicit offset as given, otherwise `system`'s wall clock. */
export async function parseSystemTime(store: Store, system: string, text: string, where: string): Promise<number> {
  return parseTime(text, await systemTimezone(store, asSystemId(system)), where);
}

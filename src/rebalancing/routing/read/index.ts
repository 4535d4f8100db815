// Picks the reader for a --format.
import { UserError } from '../../../platform/errors.ts';
import type { Instance } from '../instance.ts';
import { readDellAmico } from './dellamico.ts';
import { readJsonInstance } from './json.ts';
import { readSlr, type SlrFiles } from './slr.ts';

export const FORMATS = ['dellamico', 'slr', 'json'] as const;
export type InstanceFormat = (typeof FORMATS)[number];

export function readInstance(file: string, format: string, slr: SlrFiles = {}): Instance {
  switch (format) {
    case 'dellamico':
      return readDellAmico(file);
    case 'slr':
      return readSlr(file, slr);
    case 'json':
      return readJsonInstance(file);
    default:
      throw new UserError(`unknown --format '${format}' (expected one of: ${FORMATS.join(', ')})`);
  }
}

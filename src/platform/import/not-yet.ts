// Placeholder for an import kind whose parser has not landed yet: it fails loudly, never silently.
import { UserError } from '../errors.ts';
import type { Importer } from './importer.ts';

export function notYetImplemented(kind: string, description: string): Importer {
  return {
    kind,
    description: `${description} (not implemented yet)`,
    async load() {
      throw new UserError(`import kind '${kind}' is not implemented yet`);
    },
  };
}

// What every importer implements, and what it is given. An importer only inserts rows inside the
// transaction that `runImport` opened; it never commits, so a failure leaves the store untouched.
import type { SystemId } from '../ids.ts';
import type { Store } from '../store/connection.ts';
import type { Progress } from '../util/progress.ts';
import type { FileInfo } from './file-input.ts';
import type { Rejects } from './rejects.ts';

export interface ImportContext {
  store: Store;
  file: FileInfo;
  importId: number;
  systemId: SystemId;
  rejects: Rejects;
  progress: Progress;
  /** Extra options from the command line (e.g. --dong for living population). */
  options: Record<string, string | undefined>;
}

export interface LoadResult {
  imported: number;
  /** Rows not stored because the store already held them (or an earlier row of the file did): trips. */
  duplicates?: number;
  encoding?: string;
  /** The system the rows belong to, when the file itself names it (GBFS system_information). */
  systemId?: SystemId;
}

export interface Importer {
  kind: string;
  /** One line for --help. */
  description: string;
  /** Default system when --system is not given; undefined = the file must name it or the user must. */
  defaultSystem?: SystemId;
  /** The zone the files write local times in (Seoul's: Asia/Seoul): a system this import creates gets it. */
  timeZone?: string;
  /** Read the system id from the file when it carries one (GBFS system_information). */
  systemFromFile?(file: FileInfo): Promise<SystemId | undefined>;
  load(ctx: ImportContext): Promise<LoadResult>;
  /** Work that must follow a batch of files (e.g. derive hourly flows), inside the same transaction. */
  afterAll?(store: Store, systemId: SystemId, progress: Progress): Promise<void>;
  /** Files given as a folder are expanded by the importer (gbfs-history reads a folder). */
  acceptsDirectory?: boolean;
  /** The files of a folder, in the order to load them (each is then imported, hashed and recorded on its own). */
  expandDirectory?(dir: string): Promise<string[]>;
}

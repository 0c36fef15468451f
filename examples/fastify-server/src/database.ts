import { ExternalServiceError } from '@carequeue/core';
import { PGlite } from '@electric-sql/pglite';

/**
 * Opens the embedded PGlite database: in memory, or persisted in `dataDir` when one is given.
 *
 * @param dataDir - folder holding the database files; created when missing.
 * @returns the open database; close it when the server stops.
 * @throws {@link ExternalServiceError} when the database cannot be opened there.
 * @example
 * ```ts
 * const database = await openDatabase(undefined);
 * await database.query('SELECT 1');
 * await database.close();
 * ```
 */
export async function openDatabase(dataDir: string | undefined): Promise<PGlite> {
  try {
    return await PGlite.create(dataDir === undefined ? {} : { dataDir });
  } catch (error: unknown) {
    throw new ExternalServiceError(
      'pglite',
      'The embedded database could not be opened. Check that CAREQUEUE_DATA_DIR is a writable folder.',
      { cause: error, transient: false },
    );
  }
}

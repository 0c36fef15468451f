import { createHash } from 'node:crypto';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { auditEventIssues, checkArguments, listIssues, textIssues } from './argument-checks.js';
import type { AuditEvent } from './audit-event.js';
import { AuditStoreError } from './errors.js';
import { checkFactoryOptions, optionsIssues } from './factory-options.js';

/**
 * What a spool held when it was loaded: the events of every intact record, and how many records
 * were discarded (a record torn by a crash, or one whose checksum does not match).
 *
 * @example
 * ```ts
 * const { events, discardedRecords } = await spool.load();
 * ```
 */
export interface SpoolContents {
  readonly events: AuditEvent[];
  readonly discardedRecords: number;
}

/**
 * A local, append-only, crash-safe holding area for audit events the store could not take.
 *
 * `append` resolves only once its record is on disk (fsync'ed); a record torn by a crash is
 * detected by its checksum or missing terminator and ignored by `load`.
 *
 * @example
 * ```ts
 * const spool: AuditSpool = fileAuditSpool({ path: '/var/lib/carequeue/audit.spool' });
 * await spool.append([event]);
 * ```
 */
export interface AuditSpool {
  /** Writes one record holding `events` and resolves once it is durable. */
  append(events: readonly AuditEvent[]): Promise<void>;
  /** Reads every intact record, dropping a torn tail so that later appends start clean. */
  load(): Promise<SpoolContents>;
  /** Empties the spool durably (after its events reached the store). */
  clear(): Promise<void>;
  /** Releases the file. */
  close(): Promise<void>;
}

/**
 * Options of {@link fileAuditSpool}.
 *
 * @example
 * ```ts
 * fileAuditSpool({ path: join(dataDir, 'audit.spool') });
 * ```
 */
export interface FileAuditSpoolOptions {
  /** The spool file; its directory is created when missing. One writer process per file. */
  readonly path: string;
}

const RECORD_VERSION = 'cq-spool-v1';
const NEWLINE = 0x0a;

interface SpooledEvent extends Omit<AuditEvent, 'timestamp'> {
  readonly timestamp: string;
}

function checksum(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

function encodeRecord(events: readonly AuditEvent[]): string {
  const body = JSON.stringify(
    events.map((event) => ({ ...event, timestamp: event.timestamp.toISOString() })),
  );
  return `${RECORD_VERSION}\t${checksum(body)}\t${body}\n`;
}

function decodeRecord(line: string): AuditEvent[] | null {
  const [version, sum, body, ...rest] = line.split('\t');
  if (version !== RECORD_VERSION || body === undefined || rest.length > 0) return null;
  if (checksum(body) !== sum) return null;
  const spooled = JSON.parse(body) as SpooledEvent[];
  return spooled.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }));
}

async function syncDirectory(path: string): Promise<void> {
  const directory = await open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * A file {@link AuditSpool}: one line per record (`cq-spool-v1`, a SHA-256 of the body, the
 * events as JSON), appended and fsync'ed before `append` resolves.
 *
 * @throws {AuditConfigError} when the options are not `{ path }` with a non-blank path
 * @throws {AuditStoreError} (`[audit:spool]`) from its methods when the file cannot be opened,
 * written or synced; the file system error is the cause
 * @example
 * ```ts
 * import { createBufferedAuditWriter, fileAuditSpool } from '@carequeue/audit';
 *
 * const writer = createBufferedAuditWriter({
 *   store,
 *   spool: fileAuditSpool({ path: '/var/lib/carequeue/audit.spool' }),
 * });
 * await writer.start(); // replays what a crashed process left in the spool
 * ```
 */
export function fileAuditSpool(options: FileAuditSpoolOptions): AuditSpool {
  checkFactoryOptions(
    'fileAuditSpool',
    optionsIssues(options, ['path'], (fields) =>
      textIssues(fields['path'], 'options.path', { nonEmpty: true }),
    ),
  );
  const { path } = options;
  let handle: FileHandle | undefined;

  async function file(): Promise<FileHandle> {
    if (handle) return handle;
    await mkdir(dirname(path), { recursive: true });
    const opened = await open(path, 'a+');
    // A new directory entry is durable only once the directory itself is synced.
    await syncDirectory(path);
    handle = opened;
    return opened;
  }

  async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error: unknown) {
      throw new AuditStoreError('spool', operation, { cause: error });
    }
  }

  return {
    async append(events) {
      checkArguments('append', listIssues(events, 'events', auditEventIssues));
      return guarded('append', async () => {
        const spool = await file();
        await spool.appendFile(encodeRecord(events), 'utf8');
        await spool.sync();
      });
    },
    load() {
      return guarded('load', async () => {
        const spool = await file();
        const bytes = await readFile(path);
        const intactLength = bytes.lastIndexOf(NEWLINE) + 1;
        const events: AuditEvent[] = [];
        let discardedRecords = intactLength < bytes.length ? 1 : 0;
        const text = bytes.subarray(0, intactLength).toString('utf8');
        for (const line of text.split('\n')) {
          if (line === '') continue;
          const decoded = decodeRecord(line);
          if (decoded) events.push(...decoded);
          else discardedRecords += 1;
        }
        if (intactLength < bytes.length) {
          // A torn tail would glue itself to the next record; cut it before appending again.
          await spool.truncate(intactLength);
          await spool.sync();
        }
        return { events, discardedRecords };
      });
    },
    clear() {
      return guarded('clear', async () => {
        const spool = await file();
        await spool.truncate(0);
        await spool.sync();
      });
    },
    async close() {
      const opened = handle;
      handle = undefined;
      if (opened) await guarded('close', () => opened.close());
    },
  };
}

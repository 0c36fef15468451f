import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where retention writes archives and their manifests: ideally write-once storage (object lock
 * in compliance mode). Files are never overwritten.
 *
 * @example
 * ```ts
 * const sink: ArchiveSink = directoryArchiveSink('/var/lib/carequeue/audit-archive');
 * ```
 */
export interface ArchiveSink {
  /** Writes a new file durably from a stream of bytes; fails if the name exists. */
  write(name: string, content: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void>;
  /** Reads a file back, to verify it. */
  read(name: string): Promise<Buffer>;
}

/**
 * An {@link ArchiveSink} on a local directory (created if missing): each file is created
 * exclusively, written, fsync'ed and closed, then the directory is fsync'ed, so an archive is
 * durable before its partition is dropped.
 *
 * @example
 * ```ts
 * await runRetention({ executor, policy, sink: directoryArchiveSink('./audit-archive'), signingKey });
 * ```
 */
export function directoryArchiveSink(directory: string): ArchiveSink {
  return {
    async write(name, content) {
      await mkdir(directory, { recursive: true });
      const file = await open(join(directory, name), 'wx');
      try {
        for await (const chunk of content) await file.write(chunk);
        await file.sync();
      } finally {
        await file.close();
      }
      const folder = await open(directory, 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    },
    read: (name) => readFile(join(directory, name)),
  };
}

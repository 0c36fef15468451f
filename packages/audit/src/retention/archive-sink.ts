import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ErrorIssue } from '@carequeue/core';
import { checkArguments, textIssues } from '../argument-checks.js';
import { checkFactoryOptions } from '../factory-options.js';

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

// A name is one file in the directory: `../x` or `a/b` would write or read outside it.
function fileNameIssues(name: unknown): ErrorIssue[] {
  const issues = textIssues(name, 'name', { nonEmpty: true, max: 255 });
  if (issues.length > 0) return issues;
  const text = name as string;
  return basename(text) === text && text !== '.' && text !== '..'
    ? []
    : [{ path: 'name', message: 'must be a plain file name, without a folder or ".."' }];
}

function contentIssues(content: unknown): ErrorIssue[] {
  const iterable =
    typeof content === 'object' &&
    content !== null &&
    (typeof (content as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function' ||
      typeof (content as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function');
  return iterable
    ? []
    : [{ path: 'content', message: 'must be an iterable or async iterable of byte chunks' }];
}

/**
 * An {@link ArchiveSink} on a local directory (created if missing): each file is created
 * exclusively, written, fsync'ed and closed, then the directory is fsync'ed, so an archive is
 * durable before its partition is dropped. A name must be a plain file name (no folder, no
 * `..`), so nothing is written or read outside the directory; a write that fails leaves no file.
 *
 * @throws {AuditConfigError} when `directory` is not a non-blank path
 * @throws {ValidationError} from its methods for a name that is not a plain file name, or content
 *   that is not an iterable of byte chunks
 * @example
 * ```ts
 * await runRetention({ executor, policy, sink: directoryArchiveSink('./audit-archive'), signingKey });
 * ```
 */
export function directoryArchiveSink(directory: string): ArchiveSink {
  checkFactoryOptions(
    'directoryArchiveSink',
    textIssues(directory, 'directory', { nonEmpty: true }),
  );
  return {
    async write(name, content) {
      checkArguments('write', fileNameIssues(name), contentIssues(content));
      await mkdir(directory, { recursive: true });
      const path = join(directory, name);
      const file = await open(path, 'wx');
      try {
        for await (const chunk of content) {
          checkArguments(
            'write',
            chunk instanceof Uint8Array
              ? []
              : [{ path: 'content', message: 'must yield Uint8Array (or Buffer) chunks' }],
          );
          await file.write(chunk);
        }
        await file.sync();
      } catch (error: unknown) {
        // A half-written archive must not stay behind under the name of a whole one.
        await file.close();
        await rm(path, { force: true });
        throw error;
      }
      await file.close();
      const folder = await open(directory, 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    },
    async read(name) {
      checkArguments('read', fileNameIssues(name));
      return readFile(join(directory, name));
    },
  };
}

import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { createManagedProcess } from './managed-process.js';
import type { PrivateServer } from './private-redis.js';
import { probePostgres } from './probe.js';

const run = promisify(execFile);

/** Where the Postgres 15 server binaries are installed on Debian. */
export const DEFAULT_POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';

/** Options of {@link startPrivatePostgres}. */
export interface PrivatePostgresOptions {
  /** Folder holding `initdb` and `postgres`. @default '/usr/lib/postgresql/15/bin' */
  readonly binDir?: string;
  /** OS user that runs the server when the tests run as root (Postgres refuses root). @default 'postgres' */
  readonly osUser?: string;
}

interface OsIdentity {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Starts a private Postgres server in a fresh data directory on a free port, for tests that
 * stop or kill Postgres.
 *
 * `initdb` runs with trust authentication; the server listens on 127.0.0.1 and a socket in its
 * temporary directory, with durability settings off for speed, and is killed with the test
 * process. When the tests run as root the server runs as the `postgres` OS user. `stop()` is a
 * fast shutdown; `kill()` is an immediate shutdown (SIGQUIT: no checkpoint, crash recovery on
 * the next start). Never stop the shared Postgres in a test: use one of these.
 *
 * @throws {Error} when the binaries are missing or the server does not start.
 * @example
 * ```ts
 * const postgres = await startPrivatePostgres();
 * try {
 *   const client = new pg.Client({ connectionString: postgres.url });
 *   await client.connect();
 *   await client.end();
 * } finally {
 *   await postgres.close();
 * }
 * ```
 */
export async function startPrivatePostgres(
  options: PrivatePostgresOptions = {},
): Promise<PrivateServer> {
  const binDir = options.binDir ?? DEFAULT_POSTGRES_BIN_DIR;
  const directory = await mkdtemp(join(tmpdir(), 'cq-postgres-'));
  const dataDir = join(directory, 'data');
  try {
    const identity = await serverIdentity(options.osUser ?? 'postgres');
    if (identity) await chown(directory, identity.uid, identity.gid);
    const asServerUser = identity ? { uid: identity.uid, gid: identity.gid } : {};
    await run(
      join(binDir, 'initdb'),
      ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...asServerUser, cwd: directory },
    );

    const port = await freePort();
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const server = createManagedProcess({
      name: 'postgres',
      command: join(binDir, 'postgres'),
      args: [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-k',
        directory,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        // Survives a killed server (the OS keeps the written WAL), not a host crash: enough here.
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=20',
        '-c',
        'shared_buffers=16MB',
      ],
      spawnOptions: { ...asServerUser, cwd: directory },
      isReady: async () => (await probePostgres(url, 500)) === undefined,
    });
    await server.start();
    return {
      url,
      port,
      get running() {
        return server.running;
      },
      stop: () => server.stop('SIGINT'),
      kill: () => server.stop('SIGQUIT'),
      start: () => server.start(),
      async close() {
        await server.stop('SIGINT');
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error: unknown) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

async function serverIdentity(osUser: string): Promise<OsIdentity | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', osUser]), run('id', ['-g', osUser])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

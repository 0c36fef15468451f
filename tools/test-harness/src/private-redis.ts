import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { createManagedProcess } from './managed-process.js';
import { probeRedis } from './probe.js';

/** A private server for chaos tests, which a test may stop, kill and start again. */
export interface PrivateServer {
  /** Connection URL of the server. */
  readonly url: string;
  /** The port it listens on (the same after a restart). */
  readonly port: number;
  /** True while the server process runs. */
  readonly running: boolean;
  /** Shuts the server down cleanly and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the server without letting it clean up, like a crash, and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and waits until it is ready. */
  start(): Promise<void>;
  /** Stops the server for good and deletes its temporary directory. */
  close(): Promise<void>;
}

/** Options of {@link startPrivateRedis}. */
export interface PrivateRedisOptions {
  /** The `redis-server` executable. @default 'redis-server' (from PATH) */
  readonly redisServer?: string;
}

/**
 * Starts a private `redis-server` on a free port, for tests that stop or kill Redis.
 *
 * It runs without persistence, bound to 127.0.0.1, in a temporary directory, and is killed with
 * the test process. Never stop the shared Redis in a test: use one of these.
 *
 * @throws {Error} when `redis-server` is missing or does not start.
 * @example
 * ```ts
 * const redis = await startPrivateRedis();
 * try {
 *   await redis.stop();
 *   await redis.start();
 * } finally {
 *   await redis.close();
 * }
 * ```
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateServer> {
  const directory = await mkdtemp(join(tmpdir(), 'cq-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const server = createManagedProcess({
    name: 'redis-server',
    command: options.redisServer ?? 'redis-server',
    args: [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      directory,
    ],
    spawnOptions: { cwd: directory },
    isReady: async () => (await probeRedis(url, 500)) === undefined,
  });
  try {
    await server.start();
  } catch (error: unknown) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    get running() {
      return server.running;
    },
    stop: () => server.stop('SIGTERM'),
    kill: () => server.stop('SIGKILL'),
    start: () => server.start(),
    async close() {
      await server.stop('SIGTERM');
      await rm(directory, { recursive: true, force: true });
    },
  };
}

import { Redis } from 'ioredis';
import pg from 'pg';

/** How long a probe waits for a service before calling it absent. */
export const PROBE_TIMEOUT_MS = 5_000;

/**
 * Checks that a Postgres server answers at `url`, returning the failure when it does not.
 *
 * @returns `undefined` when the server answered `SELECT 1`, otherwise the error met.
 * @example
 * ```ts
 * const failure = await probePostgres('postgres://postgres@127.0.0.1:5432/postgres');
 * if (failure) console.warn('Postgres is down', failure);
 * ```
 */
export async function probePostgres(
  url: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // An unreachable server emits 'error' after connect() rejects; without a listener it would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error: unknown) {
    return toError(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Checks that a Redis server answers `PING` at `url`, returning the failure when it does not.
 *
 * @returns `undefined` when the server answered, otherwise the error met.
 * @example
 * ```ts
 * const failure = await probeRedis('redis://127.0.0.1:6379');
 * ```
 */
export async function probeRedis(
  url: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<Error | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error: unknown) {
    return toError(error);
  } finally {
    client.disconnect();
  }
}

function toError(error: unknown): Error {
  if (error instanceof Error) {
    // An AggregateError from a failed dual-stack connect has an empty message.
    if (error.message === '' && error instanceof AggregateError && error.errors[0] instanceof Error)
      return error.errors[0];
    return error;
  }
  return new Error(String(error));
}

import { connect } from 'node:net';
import pg from 'pg';

const PROBE_TIMEOUT_MS = 1_500;

/**
 * The server version of a Postgres instance (`SHOW server_version`), or null when it cannot be
 * reached within a short timeout.
 *
 * @example
 * ```ts
 * await postgresVersion('postgres://postgres@127.0.0.1:5432/postgres'); // '15.18'
 * ```
 */
export async function postgresVersion(url: string): Promise<string | null> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
  });
  // A failed connection also emits 'error'; without a listener that would crash the run.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    const version = result.rows[0]?.server_version;
    return version === undefined ? null : (version.split(' ')[0] ?? version);
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function parseRedisVersion(info: string): string | null {
  const match = /^redis_version:(\S+)/m.exec(info);
  return match?.[1] ?? null;
}

/**
 * The server version of a Redis instance (`INFO server`), or null when it cannot be reached
 * within a short timeout. Speaks RESP directly, so the bench needs no Redis client for it.
 *
 * @example
 * ```ts
 * await redisVersion('redis://127.0.0.1:6379'); // '7.0.15'
 * ```
 */
export function redisVersion(url: string): Promise<string | null> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    let reply = '';
    const finish = (version: string | null): void => {
      socket.destroy();
      resolve(version);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on('connect', () => socket.write('*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.startsWith('-')) finish(null);
      const version = parseRedisVersion(reply);
      if (version !== null) finish(version);
    });
  });
}

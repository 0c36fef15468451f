import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresVersion, redisVersion } from './service-versions.js';

const servers: Server[] = [];

async function fakeRedis(reply: string): Promise<string> {
  const server = createServer((socket) => {
    socket.once('data', () => socket.write(reply));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `redis://127.0.0.1:${address.port}`;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('redisVersion', () => {
  it('reads redis_version when the server answers INFO server', async () => {
    const info = '# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n';
    const url = await fakeRedis(`$${info.length}\r\n${info}\r\n`);
    expect(await redisVersion(url)).toBe('7.0.15');
  });

  it('returns null when the server answers with an error', async () => {
    expect(await redisVersion(await fakeRedis('-NOAUTH Authentication required.\r\n'))).toBeNull();
  });

  it('returns null when nothing listens on the port', async () => {
    expect(await redisVersion(`redis://127.0.0.1:${await closedPort()}`)).toBeNull();
  });
});

describe('postgresVersion', () => {
  it('returns null when nothing listens on the port', async () => {
    expect(
      await postgresVersion(`postgres://postgres@127.0.0.1:${await closedPort()}/x`),
    ).toBeNull();
  });
});

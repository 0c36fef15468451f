import { createConnection, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTcpProxy, type TcpProxy } from './tcp-proxy.js';

let echo: Server | undefined;
let proxy: TcpProxy | undefined;

async function startEcho(): Promise<number> {
  const server = createServer((socket) => socket.pipe(socket));
  echo = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Sends `text` through a new connection; resolves the echo, or 'closed' if the socket closed. */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.on('error', () => resolve('closed'));
    socket.once('data', (data) => {
      resolve(data.toString());
      socket.destroy();
    });
    socket.once('close', () => resolve('closed'));
    socket.write(text);
  });
}

afterEach(async () => {
  await proxy?.close();
  await new Promise((resolve) => (echo ? echo.close(resolve) : resolve(undefined)));
  proxy = undefined;
  echo = undefined;
});

describe('createTcpProxy', () => {
  it('forwards bytes both ways when not cut', async () => {
    proxy = await createTcpProxy({ host: '127.0.0.1', port: await startEcho() });
    expect(await roundTrip(proxy.port, 'ping')).toBe('ping');
  });

  it('drops live connections and refuses new ones when cut, and forwards again when restored', async () => {
    proxy = await createTcpProxy({ host: '127.0.0.1', port: await startEcho() });
    const live = createConnection({ host: '127.0.0.1', port: proxy.port });
    const liveClosed = new Promise((resolve) => live.once('close', () => resolve(true)));
    await new Promise((resolve) => live.once('connect', resolve));

    proxy.cut();
    expect(await liveClosed).toBe(true);
    expect(await roundTrip(proxy.port, 'ping')).toBe('closed');

    proxy.restore();
    expect(proxy.isCut).toBe(false);
    expect(await roundTrip(proxy.port, 'pong')).toBe('pong');
  });

  it('closes the client when the target refuses the connection', async () => {
    const port = await startEcho();
    await new Promise((resolve) => echo?.close(resolve));
    echo = undefined;
    proxy = await createTcpProxy({ host: '127.0.0.1', port });
    expect(await roundTrip(proxy.port, 'ping')).toBe('closed');
  });
});

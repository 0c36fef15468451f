import { createConnection, createServer, type Socket } from 'node:net';

/** Where a {@link createTcpProxy} forwards connections to. */
export interface TcpProxyTarget {
  readonly host: string;
  readonly port: number;
}

/** An in-process TCP proxy a test can cut to simulate a network failure. */
export interface TcpProxy {
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The port clients connect to instead of the target's. */
  readonly port: number;
  /** True between {@link TcpProxy.cut} and {@link TcpProxy.restore}. */
  readonly isCut: boolean;
  /** Destroys every open connection and refuses new ones until restored. */
  cut(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on a free port of 127.0.0.1 forwarding to `target`, so a test can break
 * the network between a client and a shared server without stopping the server.
 *
 * @example
 * ```ts
 * const proxy = await createTcpProxy({ host: '127.0.0.1', port: 6379 });
 * const client = new Redis(proxy.port, proxy.host);
 * proxy.cut(); // the client's connection drops; reconnects are refused
 * proxy.restore(); // the client reconnects
 * await proxy.close();
 * ```
 */
export async function createTcpProxy(target: TcpProxyTarget): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let cut = false;
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const destroyAll = (): void => {
    for (const socket of sockets) socket.destroy();
  };

  const server = createServer((client) => {
    track(client);
    client.on('error', () => undefined);
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.host, port: target.port });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    host: '127.0.0.1',
    port,
    get isCut() {
      return cut;
    },
    cut() {
      cut = true;
      destroyAll();
    },
    restore() {
      cut = false;
    },
    close() {
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

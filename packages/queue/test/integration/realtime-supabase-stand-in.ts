import { WebSocketServer, type WebSocket } from 'ws';

/** A Phoenix channels message as Supabase Realtime speaks it with serializer 1.0.0. */
export interface PhoenixMessage {
  readonly topic: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
  readonly ref: string | null;
  readonly join_ref?: string | null;
}

interface Membership {
  readonly ack: boolean;
  readonly joinRef: string | null;
}

/**
 * A local stand-in for the Supabase Realtime server: it answers `phx_join`, `heartbeat` and
 * `phx_leave` with `phx_reply`, fans `broadcast` messages out to the other sockets joined to the
 * topic (broadcast `self: false`), and acknowledges them when the join asked for `ack`.
 */
export class RealtimeStandIn {
  readonly received: PhoenixMessage[] = [];
  /** Topics whose joins are refused with an error reply. */
  readonly refuseJoins = new Set<string>();
  /** When false, broadcasts are fanned out but not acknowledged. */
  acknowledge = true;
  readonly #server: WebSocketServer;
  readonly #joined = new Map<string, Map<WebSocket, Membership>>();

  constructor(port: number) {
    this.#server = new WebSocketServer({ port, host: '127.0.0.1' });
    this.#server.on('connection', (socket) => {
      socket.on('message', (data: Buffer) =>
        this.#receive(socket, JSON.parse(data.toString('utf8')) as PhoenixMessage),
      );
      socket.on('close', () => {
        for (const members of this.#joined.values()) members.delete(socket);
      });
    });
  }

  /** Drops every client connection, as a server restart or a network cut would. */
  dropConnections(): void {
    for (const socket of this.#server.clients) socket.terminate();
  }

  close(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #reply(
    socket: WebSocket,
    message: PhoenixMessage,
    status: 'ok' | 'error',
    response: object = {},
  ): void {
    socket.send(
      JSON.stringify({
        topic: message.topic,
        event: 'phx_reply',
        payload: { status, response },
        ref: message.ref,
        join_ref: message.join_ref ?? null,
      }),
    );
  }

  #receive(socket: WebSocket, message: PhoenixMessage): void {
    this.received.push(message);
    switch (message.event) {
      case 'heartbeat':
        this.#reply(socket, message, 'ok');
        return;
      case 'phx_join': {
        if (this.refuseJoins.has(message.topic)) {
          this.#reply(socket, message, 'error', { reason: 'Unauthorized' });
          return;
        }
        const config = (message.payload.config ?? {}) as { broadcast?: { ack?: boolean } };
        const members = this.#joined.get(message.topic) ?? new Map<WebSocket, Membership>();
        members.set(socket, {
          ack: config.broadcast?.ack === true,
          joinRef: message.join_ref ?? null,
        });
        this.#joined.set(message.topic, members);
        this.#reply(socket, message, 'ok', { postgres_changes: [] });
        return;
      }
      case 'phx_leave':
        this.#joined.get(message.topic)?.delete(socket);
        this.#reply(socket, message, 'ok');
        return;
      case 'broadcast': {
        const members = this.#joined.get(message.topic) ?? new Map<WebSocket, Membership>();
        for (const [member, state] of members) {
          if (member === socket) continue;
          member.send(
            JSON.stringify({
              topic: message.topic,
              event: 'broadcast',
              payload: message.payload,
              ref: null,
              join_ref: state.joinRef,
            }),
          );
        }
        if (this.acknowledge && members.get(socket)?.ack === true)
          this.#reply(socket, message, 'ok');
        return;
      }
      default:
        return;
    }
  }
}

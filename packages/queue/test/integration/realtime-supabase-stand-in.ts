import type { IncomingMessage } from 'node:http';
import type { SqlExecutor } from '@carequeue/core/sql';
import { WebSocketServer, type WebSocket } from 'ws';
import { mayBroadcast, mayJoin, type RealtimeCaller } from './realtime-authorization.js';

/** A Phoenix channels message as Supabase Realtime speaks it with serializer 1.0.0. */
export interface PhoenixMessage {
  readonly topic: string;
  readonly event: string;
  readonly payload: Record<string, unknown>;
  readonly ref: string | null;
  readonly join_ref?: string | null;
}

/** Options of {@link RealtimeStandIn}. */
export interface RealtimeStandInOptions {
  readonly port: number;
  /** The database whose `realtime.messages` policies authorize private channels. */
  readonly executor: () => SqlExecutor;
  /**
   * Whether public channels may be joined (Realtime's "Allow public access" setting). CareQueue's
   * host configuration turns it off.
   *
   * @default false
   */
  readonly allowPublicChannels?: boolean;
}

interface Membership {
  readonly ack: boolean;
  readonly joinRef: string | null;
  readonly caller: RealtimeCaller;
  readonly room: string;
}

/** The claims of an (unsigned, test) JWT, or undefined when the token is not one. */
function claimsOf(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A local stand-in for the Supabase Realtime server. It answers `phx_join`, `heartbeat` and
 * `phx_leave` with `phx_reply`, fans `broadcast` messages out to the other sockets joined to the
 * same channel (broadcast `self: false`), and acknowledges them when the join asked for `ack`.
 *
 * Private channels are authorized as Realtime does it, by the database: each join asks the
 * SELECT policies of `realtime.messages` (as the role and with the claims of the join's access
 * token, or of the socket's `apikey`), and each broadcast asks the INSERT policies; a refused
 * join gets an error reply, a refused broadcast is dropped without a reply. Realtime caches the
 * broadcast answer for the life of the join; the stand-in asks every time. A public channel is a
 * different room from the private channel of the same name, as in Realtime.
 */
export class RealtimeStandIn {
  readonly received: PhoenixMessage[] = [];
  readonly #options: RealtimeStandInOptions;
  readonly #server: WebSocketServer;
  /** Members by room (`private:<topic>` or `public:<topic>`). */
  readonly #rooms = new Map<string, Map<WebSocket, Membership>>();

  constructor(options: RealtimeStandInOptions) {
    this.#options = options;
    this.#server = new WebSocketServer({ port: options.port, host: '127.0.0.1' });
    this.#server.on('connection', (socket, request: IncomingMessage) => {
      const apiKey = new URL(request.url ?? '/', 'http://stand-in').searchParams.get('apikey');
      // Messages of one socket are handled in the order they came, as a channel process would.
      let handled = Promise.resolve();
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as PhoenixMessage;
        handled = handled.then(() => this.#receive(socket, apiKey, message));
      });
      socket.on('close', () => {
        for (const members of this.#rooms.values()) members.delete(socket);
      });
    });
  }

  /** The URL to give `createClient`. */
  get url(): string {
    return `http://127.0.0.1:${this.#options.port}`;
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

  #membership(socket: WebSocket, topic: string): Membership | undefined {
    return (
      this.#rooms.get(`private:${topic}`)?.get(socket) ??
      this.#rooms.get(`public:${topic}`)?.get(socket)
    );
  }

  async #join(socket: WebSocket, apiKey: string | null, message: PhoenixMessage): Promise<void> {
    const config = (message.payload.config ?? {}) as {
      broadcast?: { ack?: boolean };
      private?: boolean;
    };
    const channel = message.topic.replace(/^realtime:/, '');
    const claims = claimsOf(message.payload.access_token ?? apiKey);
    const role = typeof claims?.role === 'string' ? claims.role : undefined;
    if (claims === undefined || role === undefined) {
      this.#reply(socket, message, 'error', { reason: 'Unauthorized: the token is not a JWT' });
      return;
    }
    const caller: RealtimeCaller = { role, claims };
    const isPrivate = config.private === true;
    if (!isPrivate && this.#options.allowPublicChannels !== true) {
      this.#reply(socket, message, 'error', {
        reason: 'Unauthorized: this project allows private channels only',
      });
      return;
    }
    if (
      isPrivate &&
      !(await this.#allowed(() => mayJoin(this.#options.executor(), channel, caller)))
    ) {
      this.#reply(socket, message, 'error', {
        reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${channel}`,
      });
      return;
    }
    const room = `${isPrivate ? 'private' : 'public'}:${message.topic}`;
    const members = this.#rooms.get(room) ?? new Map<WebSocket, Membership>();
    members.set(socket, {
      ack: config.broadcast?.ack === true,
      joinRef: message.join_ref ?? null,
      caller,
      room,
    });
    this.#rooms.set(room, members);
    this.#reply(socket, message, 'ok', { postgres_changes: [] });
  }

  async #broadcast(socket: WebSocket, message: PhoenixMessage): Promise<void> {
    const sender = this.#membership(socket, message.topic);
    if (sender === undefined) return;
    if (sender.room.startsWith('private:')) {
      const channel = message.topic.replace(/^realtime:/, '');
      const allowed = await this.#allowed(() =>
        mayBroadcast(this.#options.executor(), channel, sender.caller),
      );
      if (!allowed) return;
    }
    for (const [member, state] of this.#rooms.get(sender.room) ?? []) {
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
    if (sender.ack) this.#reply(socket, message, 'ok');
  }

  // A policy that fails with an error refuses, as Realtime refuses on an RLS policy error.
  async #allowed(ask: () => Promise<boolean>): Promise<boolean> {
    try {
      return await ask();
    } catch {
      return false;
    }
  }

  async #receive(socket: WebSocket, apiKey: string | null, message: PhoenixMessage): Promise<void> {
    this.received.push(message);
    switch (message.event) {
      case 'heartbeat':
        this.#reply(socket, message, 'ok');
        return;
      case 'phx_join':
        await this.#join(socket, apiKey, message);
        return;
      case 'phx_leave':
        this.#rooms.get(`private:${message.topic}`)?.delete(socket);
        this.#rooms.get(`public:${message.topic}`)?.delete(socket);
        this.#reply(socket, message, 'ok');
        return;
      case 'broadcast':
        await this.#broadcast(socket, message);
        return;
      default:
        return;
    }
  }
}

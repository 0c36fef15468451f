import { requireArgument } from './argument-checks.js';

/**
 * One event of a `text/event-stream`.
 *
 * @example
 * ```ts
 * const onEvent = (event: ServerSentEvent) => {
 *   if (event.event === 'queue.called') render(JSON.parse(event.data));
 * };
 * ```
 */
export interface ServerSentEvent {
  /** The `event` field; `message` when the event had none. */
  readonly event: string;
  /** The `data` lines joined with `\n`. */
  readonly data: string;
  /** The `id` field of this event, when it had one. */
  readonly id?: string;
  /** The last event id of the stream after this event: this event's id or an earlier one. */
  readonly lastEventId: string;
}

/**
 * An incremental parser of the `text/event-stream` format (the WHATWG HTML "server-sent
 * events" rules): lines end with CR, LF or CRLF, also across chunks; `:` starts a comment; a
 * blank line dispatches the event if it has data; `data` lines join with `\n`; an `id` holding
 * NUL is ignored; `retry` with digits only sets {@link EventStreamParser.retryMs}.
 *
 * Created by {@link createEventStreamParser}.
 */
class EventStreamParser {
  /** The reconnection time the server last asked for with `retry`, in milliseconds. */
  retryMs: number | undefined;
  /** The last event id seen, kept across events as the format says. */
  lastEventId = '';
  private buffer = '';
  private started = false;
  private data: string[] = [];
  private eventType = '';
  private eventId: string | undefined;

  /**
   * Feeds decoded text; returns the events it completed.
   *
   * @param text - the next piece of the stream, of any length.
   * @returns the events dispatched by this piece, in order.
   */
  push(text: string): ServerSentEvent[] {
    requireArgument(typeof text === 'string', 'text', 'must be a string');
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
    }
    const events: ServerSentEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/[\r\n]/);
      if (end === -1) break;
      // A CR at the end of the buffer may be the first half of a CRLF split across chunks.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      const width = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + width);
      const event = this.line(line);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  /**
   * Ends the stream: a trailing CR ends its line; an event without its blank line is dropped,
   * as the format says.
   *
   * @returns the events completed by the end of the stream.
   */
  end(): ServerSentEvent[] {
    const events = this.buffer.endsWith('\r') ? this.push('\n') : [];
    this.buffer = '';
    this.data = [];
    this.eventType = '';
    this.eventId = undefined;
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.eventId = value;
          this.lastEventId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const { data, eventType, eventId } = this;
    this.data = [];
    this.eventType = '';
    this.eventId = undefined;
    if (data.length === 0) return undefined;
    return {
      event: eventType === '' ? 'message' : eventType,
      data: data.join('\n'),
      ...(eventId === undefined ? {} : { id: eventId }),
      lastEventId: this.lastEventId,
    };
  }
}

/**
 * Creates an {@link EventStreamParser}.
 *
 * @example
 * ```ts
 * const parser = createEventStreamParser();
 * parser.push('id: 7\nevent: queue.called\ndata: {"entryId":"qe_1"}\n\n');
 * // [{ event: 'queue.called', data: '{"entryId":"qe_1"}', id: '7', lastEventId: '7' }]
 * ```
 */
export function createEventStreamParser(): EventStreamParser {
  return new EventStreamParser();
}

export type { EventStreamParser };

/**
 * Reads the events of a `text/event-stream` body (such as `response.body` of a fetch) as they
 * arrive, decoding UTF-8 across chunk boundaries.
 *
 * @param body - the byte stream.
 * @param parser - the parser to use; pass one to read its `retryMs` and `lastEventId` afterwards.
 * @returns an async iterator over the events; it ends when the stream ends and throws when the
 *   stream fails.
 * @example
 * ```ts
 * const response = await fetch('/api/v1/events', { headers: { accept: 'text/event-stream' } });
 * for await (const event of readEventStream(response.body!)) console.info(event.event, event.data);
 * ```
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  parser: EventStreamParser = createEventStreamParser(),
): AsyncGenerator<ServerSentEvent, void, undefined> {
  requireArgument(body instanceof ReadableStream, 'body', 'must be a ReadableStream');
  requireArgument(parser instanceof EventStreamParser, 'parser', 'must be an EventStreamParser');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    // A reader that stops early (break, an error) cancels the stream so the connection closes.
    if (finished) reader.releaseLock();
    else await reader.cancel().catch(() => undefined);
  }
}

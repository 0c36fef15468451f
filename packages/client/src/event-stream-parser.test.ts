import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  createEventStreamParser,
  type EventStreamParser,
  readEventStream,
  type ServerSentEvent,
} from './event-stream-parser.js';

function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(stream)) events.push(event);
  return events;
}

describe('EventStreamParser', () => {
  it('reads id, event and multi-line data, and defaults the event type to message', () => {
    const parser = createEventStreamParser();
    const events = parser.push(
      'id: 1\nevent: queue.called\ndata: line one\ndata:line two\n\ndata: plain\n\n',
    );
    expect(events).toEqual([
      { event: 'queue.called', data: 'line one\nline two', id: '1', lastEventId: '1' },
      { event: 'message', data: 'plain', lastEventId: '1' },
    ]);
  });

  it('handles CR, LF and CRLF line ends, also split across chunks', () => {
    const parser = createEventStreamParser();
    expect(parser.push('data: a\r')).toEqual([]);
    // The last CR may be half of a CRLF, so the blank line completes with the next chunk.
    expect(parser.push('\ndata: b\r\r')).toEqual([]);
    expect(parser.push('data: c\r')).toEqual([{ event: 'message', data: 'a\nb', lastEventId: '' }]);
    expect(parser.end()).toEqual([]);
  });

  it('ignores comments, unknown fields, an id holding NUL and a non-numeric retry; reads retry', () => {
    const parser = createEventStreamParser();
    const events = parser.push(
      ': heartbeat\nfoo: bar\nid: 5\nid: x\0y\nretry: soon\nretry: 2500\ndata\n\n',
    );
    expect(events).toEqual([{ event: 'message', data: '', id: '5', lastEventId: '5' }]);
    expect(parser.retryMs).toBe(2500);
  });

  it('dispatches nothing for a block without data, and drops an unfinished event at the end', () => {
    const parser = createEventStreamParser();
    expect(parser.push('event: ping\n\nid: 9\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('9');
    expect(parser.push('data: half')).toEqual([]);
    expect(parser.end()).toEqual([]);
  });

  it('ends a line left with a CR when the stream ends', () => {
    const parser = createEventStreamParser();
    expect(parser.push('data: a\n\r')).toEqual([]);
    expect(parser.end()).toEqual([{ event: 'message', data: 'a', lastEventId: '' }]);
  });

  it('refuses input that is not text or a byte stream with ValidationError', async () => {
    expect(() => createEventStreamParser().push(1 as unknown as string)).toThrow(ValidationError);
    const read = async (body: unknown, parser?: unknown) => {
      for await (const _ of readEventStream(
        body as ReadableStream<Uint8Array>,
        parser as EventStreamParser,
      ))
        void _;
    };
    await expect(read('data: x')).rejects.toMatchObject({ issues: [{ path: 'body' }] });
    await expect(read(new ReadableStream(), {})).rejects.toMatchObject({
      issues: [{ path: 'parser' }],
    });
  });

  it('strips a leading byte order mark', () => {
    expect(createEventStreamParser().push('\uFEFFdata: x\n\n')).toEqual([
      { event: 'message', data: 'x', lastEventId: '' },
    ]);
  });
});

describe('readEventStream', () => {
  it('decodes UTF-8 split across chunks and yields events as they complete', async () => {
    const bytes = new TextEncoder().encode('data: Zoë\n\n');
    const events = await collect(streamOf([bytes.slice(0, 8), bytes.slice(8), 'data: ✓\r']));
    expect(events.map((e) => e.data)).toEqual(['Zoë']);
    expect(await collect(streamOf(['data: last\r\r']))).toEqual([
      { event: 'message', data: 'last', lastEventId: '' },
    ]);
  });

  it('cancels the stream when the reader stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\ndata: 2\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const event of readEventStream(stream)) {
      expect(event.data).toBe('1');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

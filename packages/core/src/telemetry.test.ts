import {
  trace,
  type Attributes,
  type AttributeValue,
  type Exception,
  type Span,
  type SpanContext,
  type SpanStatus,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError } from './errors.js';
import { TRACER_NAME, withSpan } from './telemetry.js';

interface RecordedSpan {
  name: string;
  tracer: string;
  attributes: Attributes;
  exceptions: Exception[];
  status?: SpanStatus;
  ended: boolean;
}

function createRecordingProvider(recorded: RecordedSpan[]): TracerProvider {
  return {
    getTracer(tracerName: string): Tracer {
      const startSpan = (name: string, options?: { attributes?: Attributes }): Span => {
        const record: RecordedSpan = {
          name,
          tracer: tracerName,
          attributes: { ...options?.attributes },
          exceptions: [],
          ended: false,
        };
        recorded.push(record);
        const span: Span = {
          spanContext: (): SpanContext => ({
            traceId: '1'.repeat(32),
            spanId: '1'.repeat(16),
            traceFlags: 1,
          }),
          setAttribute: (key: string, value: AttributeValue) => {
            record.attributes[key] = value;
            return span;
          },
          setAttributes: (attributes: Attributes) => {
            Object.assign(record.attributes, attributes);
            return span;
          },
          addEvent: () => span,
          addLink: () => span,
          addLinks: () => span,
          setStatus: (status: SpanStatus) => {
            record.status = status;
            return span;
          },
          updateName: () => span,
          end: () => {
            record.ended = true;
          },
          isRecording: () => !record.ended,
          recordException: (exception: Exception) => {
            record.exceptions.push(exception);
          },
        };
        return span;
      };
      return {
        startSpan,
        startActiveSpan: () => undefined,
      };
    },
  };
}

describe('withSpan', () => {
  const recorded: RecordedSpan[] = [];

  beforeAll(() => {
    trace.setGlobalTracerProvider(createRecordingProvider(recorded));
  });

  afterAll(() => {
    trace.disable();
  });

  it('returns the result and ends a span with the given attributes when the call succeeds', async () => {
    recorded.length = 0;
    const result = await withSpan(
      'booking.book',
      (span) => {
        span.setAttribute('carequeue.slots', 3);
        return Promise.resolve(42);
      },
      { 'carequeue.clinic_id': 'c-1' },
    );
    expect(result).toBe(42);
    expect(recorded).toEqual([
      {
        name: 'booking.book',
        tracer: TRACER_NAME,
        attributes: { 'carequeue.clinic_id': 'c-1', 'carequeue.slots': 3 },
        exceptions: [],
        ended: true,
      },
    ]);
  });

  it('records the error code and rethrows when a CareQueue error is thrown', async () => {
    recorded.length = 0;
    const error = new ConflictError('The slot was taken. Pick another slot.', {
      code: 'SLOT_TAKEN',
    });
    await expect(withSpan('booking.book', () => Promise.reject(error))).rejects.toBe(error);
    expect(recorded[0]).toMatchObject({
      attributes: { 'error.type': 'SLOT_TAKEN' },
      status: { code: 2, message: 'SLOT_TAKEN' },
      exceptions: [
        {
          name: 'ConflictError',
          code: 'SLOT_TAKEN',
          message: 'The slot was taken. Pick another slot.',
        },
      ],
      ended: true,
    });
  });

  it('records a foreign error by name only when its message may hold patient data', async () => {
    recorded.length = 0;
    await expect(
      withSpan('patients.find', () => {
        throw new TypeError('no patient named Jane Doe');
      }),
    ).rejects.toThrow(TypeError);
    await expect(
      withSpan('odd', () => {
        // Some libraries throw strings; the span must still record a failure.
        throw 'x' as unknown;
      }),
    ).rejects.toBe('x');
    expect(recorded.map((span) => [span.attributes['error.type'], span.exceptions])).toEqual([
      ['INTERNAL', [{ name: 'TypeError' }]],
      ['INTERNAL', [{ name: 'string' }]],
    ]);
  });
});

/**
 * Tracing around service calls with `@opentelemetry/api`. Without an SDK installed by the host,
 * every call here is a no-op.
 *
 * @packageDocumentation
 */
import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { isCarequeueError, toCarequeueError } from './errors.js';

/** The instrumentation scope name of CareQueue spans. */
export const TRACER_NAME = '@carequeue/core';

/**
 * Runs `fn` inside a new active span named `name`. When `fn` throws, the span is marked as an
 * error with the CareQueue error code (`error.type` attribute) and the error is rethrown
 * unchanged. Only CareQueue messages are recorded: foreign messages may contain patient data, so
 * they are recorded by name alone. Attribute values must never be PHI; ids are fine.
 *
 * @example
 * ```ts
 * const appointment = await withSpan('booking.book', () => repository.insert(draft), {
 *   'carequeue.clinic_id': clinicId,
 * });
 * ```
 */
export async function withSpan<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  attributes?: Attributes,
): Promise<T> {
  const span = trace
    .getTracer(TRACER_NAME)
    .startSpan(name, attributes === undefined ? {} : { attributes });
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(span));
  } catch (error: unknown) {
    const normalized = toCarequeueError(error);
    span.setAttribute('error.type', normalized.code);
    span.recordException(
      isCarequeueError(error)
        ? { name: error.name, message: error.message, code: error.code }
        : { name: error instanceof Error ? error.name : typeof error },
    );
    span.setStatus({ code: SpanStatusCode.ERROR, message: normalized.code });
    throw error;
  } finally {
    span.end();
  }
}

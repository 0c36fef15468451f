/**
 * `createLogger`: the {@link Logger} port on pino, writing JSON lines with the correlation id of
 * the current request and with PHI and credentials redacted.
 *
 * @packageDocumentation
 */
import { pino, type DestinationStream } from 'pino';
import type { Clock } from '../clock.js';
import { getContext } from '../context/request-context.js';
import type { LogFields, Logger } from '../logger-port.js';
import { createRedactor, type RedactorOptions } from './redaction.js';

/** The minimum level written; `silent` writes nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions extends RedactorOptions {
  /**
   * The minimum level written.
   *
   * @default 'info'
   */
  readonly level?: LogLevel;
  /** A name written on every line, such as the service name. */
  readonly name?: string;
  /** Fields written on every line; redacted like any other field. */
  readonly base?: LogFields;
  /**
   * Where lines go. Tests pass an object with a `write(line)` method to capture them.
   *
   * @default standard output
   */
  readonly destination?: DestinationStream;
  /**
   * Where the `time` of each line comes from.
   *
   * @default the system clock
   */
  readonly clock?: Pick<Clock, 'now'>;
}

type Level = Exclude<LogLevel, 'silent'>;

/**
 * Creates a logger that writes one JSON object per line with `level`, `time` (epoch ms), `msg`,
 * the current request's `correlationId` and `tenantId`, and the given fields. Fields named like
 * PHI in the model schemas (and in `schemas`), and credentials, are replaced by `[REDACTED]` at
 * any depth; errors are serialized by the policy of {@link serializeError}. Messages are written
 * as given: put data in fields, never in the message.
 *
 * @example
 * ```ts
 * import { createLogger } from '@carequeue/core/logger';
 *
 * const logger = createLogger({ name: 'booking', level: 'info' });
 * logger.info({ appointmentId, patient }, 'appointment booked'); // patient's PHI fields redacted
 * ```
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const redact = createRedactor(options);
  const redactFields = (fields: unknown): Record<string, unknown> => {
    if (fields instanceof Error) return { err: redact(fields) };
    const redacted = redact(fields);
    return typeof redacted === 'object' && redacted !== null && !Array.isArray(redacted)
      ? (redacted as Record<string, unknown>)
      : { value: redacted };
  };
  const clock = options.clock;
  const instance = pino(
    {
      level: options.level ?? 'info',
      base: redactFields({
        ...(options.name === undefined ? {} : { name: options.name }),
        ...options.base,
      }),
      formatters: { level: (label) => ({ level: label }) },
      // Fields arrive already serialized; pino's own error serializer would re-read messages.
      serializers: { err: (value: unknown) => value },
      timestamp:
        clock === undefined ? pino.stdTimeFunctions.epochTime : () => `,"time":${clock.now()}`,
      mixin: () => {
        const context = getContext();
        if (context === undefined) return {};
        return context.tenantId === undefined
          ? { correlationId: context.correlationId }
          : { correlationId: context.correlationId, tenantId: context.tenantId };
      },
    },
    options.destination ?? pino.destination(1),
  );
  return wrap(instance, redactFields);
}

function wrap(
  instance: pino.Logger,
  redactFields: (fields: unknown) => Record<string, unknown>,
): Logger {
  const method =
    (level: Level) =>
    (fieldsOrMessage: LogFields | string, message?: string): void => {
      if (typeof fieldsOrMessage === 'string') instance[level](fieldsOrMessage);
      else instance[level](redactFields(fieldsOrMessage), message);
    };
  return {
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: (bindings) => wrap(instance.child(redactFields(bindings)), redactFields),
  };
}

/**
 * `createLogger`: the {@link Logger} port on pino, writing JSON lines with the correlation id of
 * the current request and with PHI and credentials redacted.
 *
 * @packageDocumentation
 */
import { pino, type DestinationStream } from 'pino';
import { isRecord, optionalRecordIssues, throwIfIssues } from '../argument-checks.js';
import type { Clock } from '../clock.js';
import { getContext } from '../context/request-context.js';
import type { LogFields, Logger } from '../logger-port.js';
import type { ErrorIssue } from '../errors.js';
import { createRedactor, type RedactorOptions } from './redaction.js';
import { checkedRedactorOptions } from './redactor-options.js';

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

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** The longest logger name: it is written on every line. */
const MAX_NAME_LENGTH = 200;

/** Whether `value` is an object whose `method` is a function. */
function hasMethod(value: unknown, method: string): boolean {
  return isRecord(value) && typeof value[method] === 'function';
}

/** The issues of the options {@link createLogger} reads itself (the redactor checks its own). */
function loggerOptionsIssues(options: CreateLoggerOptions): ErrorIssue[] {
  const { level, name, base, destination, clock } = options;
  return [
    ...(level === undefined || LOG_LEVELS.includes(level)
      ? []
      : [{ path: 'options.level', message: `must be one of: ${LOG_LEVELS.join(', ')}` }]),
    ...(name === undefined ||
    (typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME_LENGTH)
      ? []
      : [
          {
            path: 'options.name',
            message: `must be a string of 1 to ${MAX_NAME_LENGTH} characters`,
          },
        ]),
    ...optionalRecordIssues(base, 'options.base'),
    ...(destination === undefined || hasMethod(destination, 'write')
      ? []
      : [{ path: 'options.destination', message: 'must be a stream with a write method' }]),
    ...(clock === undefined || hasMethod(clock, 'now')
      ? []
      : [{ path: 'options.clock', message: 'must be a clock with a now method' }]),
  ];
}

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
 * @throws `ValidationError` naming the option when `options` is not an object, `level` is not a
 * {@link LogLevel}, `name` is not a string of 1 to 200 characters, `base` is not an object,
 * `destination` has no `write` method, `clock` has no `now` method, or a redactor option is
 * malformed (see {@link createRedactor}).
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const { schemas, redactKeys } = checkedRedactorOptions('createLogger', options);
  throwIfIssues('createLogger', loggerOptionsIssues(options));
  const redact = createRedactor({ ...options, schemas, redactKeys });
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

/**
 * The `Logger` port. `@carequeue/core/logger` implements it on pino with PHI redaction; hosts may
 * pass any compatible logger.
 *
 * @packageDocumentation
 */

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** One log method: structured fields first, then a message. */
export interface LogMethod {
  (fields: LogFields, message?: string): void;
  (message: string): void;
}

/**
 * What CareQueue needs from a logger: leveled, structured, JSON-friendly, with child loggers.
 *
 * @example
 * ```ts
 * function onOpen(logger: Logger) {
 *   logger.warn({ breaker: 'twilio' }, 'circuit opened');
 * }
 * ```
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
}

const noop = (): void => undefined;

/**
 * A logger that drops everything: the default where none is given.
 *
 * @example
 * ```ts
 * const logger = options.logger ?? silentLogger;
 * ```
 */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

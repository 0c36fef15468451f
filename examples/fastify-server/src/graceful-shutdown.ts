import type { Logger } from '@carequeue/core';

/** The part of `process` that shutdown handling listens on. */
export interface SignalSource {
  once(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** Options of {@link closeOnSignals}. */
export interface GracefulShutdownOptions {
  /** Where the signals come from, usually `process`. */
  readonly source: SignalSource;
  /** Stops the server and releases its resources. */
  readonly close: () => Promise<void>;
  /** Ends the process with the given exit code once closing has finished. */
  readonly exit: (code: number) => void;
  readonly logger: Logger;
  /** Signals that start the shutdown. @default ['SIGINT', 'SIGTERM'] */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * Closes the server on the first SIGINT or SIGTERM, then exits with 0, or with 1 when closing
 * failed. A second signal is left to Node's default handling, so it still kills a stuck process.
 *
 * @param options - the signal source, the close and exit functions and a logger.
 * @returns a function that removes the handlers again.
 * @example
 * ```ts
 * closeOnSignals({ source: process, close: () => app.close(), exit: process.exit, logger });
 * ```
 */
export function closeOnSignals(options: GracefulShutdownOptions): () => void {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const removeAll = (): void => {
    for (const [signal, handler] of handlers) options.source.off(signal, handler);
  };
  const shutDown = (signal: NodeJS.Signals): void => {
    removeAll();
    options.logger.info({ signal }, 'shutting down');
    options.close().then(
      () => {
        options.logger.info('shutdown complete');
        options.exit(0);
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'shutdown failed');
        options.exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ['SIGINT', 'SIGTERM']) {
    const handler = (): void => shutDown(signal);
    handlers.set(signal, handler);
    options.source.once(signal, handler);
  }
  return removeAll;
}

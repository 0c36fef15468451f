import type { Logger, LogFields } from '@carequeue/core';

/** A logger that keeps every line it is given, serialized, for leak checks. */
export interface CapturingLogger extends Logger {
  /** Every line written so far through this logger or its children, as JSON text. */
  readonly lines: string[];
}

function describeLine(level: string, bindings: LogFields, args: unknown[]): string {
  const [first, second] = args;
  const fields = typeof first === 'string' ? {} : (first as LogFields);
  const message = typeof first === 'string' ? first : second;
  try {
    return JSON.stringify({ level, ...bindings, ...fields, message });
  } catch {
    // A field that cannot be serialized is still searched for markers through its string form.
    return `${level} ${String(message)} ${Object.values(fields).map(String).join(' ')}`;
  }
}

/**
 * Creates a {@link CapturingLogger}.
 *
 * @example
 * ```ts
 * const logger = captureLogger();
 * createCacheService({ namespaces: defaultNamespaces, logger });
 * expect(logger.lines.join('\n')).not.toContain(marker);
 * ```
 */
export function captureLogger(lines: string[] = [], bindings: LogFields = {}): CapturingLogger {
  const write =
    (level: string) =>
    (...args: unknown[]): void => {
      lines.push(describeLine(level, bindings, args));
    };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => captureLogger(lines, { ...bindings, ...more }),
  };
}

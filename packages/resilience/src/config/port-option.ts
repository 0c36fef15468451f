import { ResilienceConfigError } from '../errors.js';

/**
 * Checks an optional port option (a clock, a logger, a meter, a state bus): left out, or an
 * object with every method in `methods`, so that a wrong value is refused when the policy is
 * built instead of failing with a raw `TypeError` on first use.
 *
 * @param option - the option's path for the message, such as `CircuitBreaker options.clock`.
 * @throws ResilienceConfigError naming the option and the methods it needs.
 * @example
 * ```ts
 * const clock = portOption('RetryBudget options.clock', options.clock, ['now']) ?? systemClock;
 * ```
 */
export function portOption<T>(
  option: string,
  value: T | undefined,
  methods: readonly string[],
): T | undefined {
  if (value === undefined) return undefined;
  const port = value as Record<string, unknown> | null;
  if (
    typeof port !== 'object' ||
    port === null ||
    !methods.every((method) => typeof port[method] === 'function')
  ) {
    throw new ResilienceConfigError(`${option} must be an object with ${methods.join(', ')}.`);
  }
  return value;
}

/**
 * Checks an optional function option: left out, or a function.
 *
 * @throws ResilienceConfigError naming the option.
 * @example
 * ```ts
 * functionOption('CircuitBreaker options.isIgnored', options.isIgnored);
 * ```
 */
export function functionOption<T>(option: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new ResilienceConfigError(`${option} must be a function.`);
  }
  return value;
}

/**
 * Checks an optional name option: left out, or a string of 1 to 200 characters.
 *
 * @throws ResilienceConfigError naming the option.
 * @example
 * ```ts
 * const name = nameOption('CircuitBreaker options.name', options.name) ?? 'default';
 * ```
 */
export function nameOption(option: string, value: string | undefined): string | undefined {
  if (
    value !== undefined &&
    (typeof value !== 'string' || value.length < 1 || value.length > 200)
  ) {
    throw new ResilienceConfigError(`${option} must be a string of 1 to 200 characters.`);
  }
  return value;
}

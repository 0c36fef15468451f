import { CarequeueError } from '@carequeue/core';

/**
 * Thrown when an integration test needs a service that is not reachable while
 * `CAREQUEUE_REQUIRE_SERVICES` is set, so that CI fails instead of skipping.
 *
 * @example
 * ```ts
 * try {
 *   await requirePostgres();
 * } catch (error: unknown) {
 *   if (error instanceof TestServiceUnavailableError) console.error(error.message);
 * }
 * ```
 */
export class TestServiceUnavailableError extends CarequeueError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('TEST_SERVICE_UNAVAILABLE', 503, message, options);
  }
}

/**
 * Thrown when a harness fixture is used outside the tests of the `describe` that registered it,
 * for example at module top level, before its `beforeAll` hook has run.
 *
 * @example
 * ```ts
 * const db = useTestDatabase();
 * db.pool; // throws here: use it inside `it(...)` or a hook
 * ```
 */
export class FixtureNotReadyError extends CarequeueError {
  constructor(fixture: string) {
    super(
      'TEST_FIXTURE_NOT_READY',
      500,
      `${fixture} is not ready: read it inside a test or a hook of the describe block that called it, ` +
        'not at module top level.',
    );
  }
}

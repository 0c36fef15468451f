import { createPgliteExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, vi } from 'vitest';
import { idempotencyScenarios } from './idempotency-scenarios.js';

// PGlite runs one transaction at a time, so 100 polling duplicates queue behind each other.
vi.setConfig({ testTimeout: 60_000 });

describe('postgresIdempotencyStore on PGlite', () => {
  const pglite = useTestPglite();
  idempotencyScenarios(() => createPgliteExecutor(pglite.db));
});

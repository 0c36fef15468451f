import { describe, expect, it } from 'vitest';
import { runDeadLetterStoreContract } from '../testing/index.js';
import { createMemoryDeadLetterStore } from './memory-dead-letter-store.js';

describe('createMemoryDeadLetterStore', () => {
  const shared = createMemoryDeadLetterStore();
  runDeadLetterStoreContract({ name: 'memory', create: () => shared, describe, it, expect });
});

import { describe, expect, it } from 'vitest';
import { runDeadLetterStoreContract } from '../testing/index.js';
import { memoryDeadLetterStore } from './memory-dead-letter-store.js';

describe('memoryDeadLetterStore', () => {
  const shared = memoryDeadLetterStore();
  runDeadLetterStoreContract({ name: 'memory', create: () => shared, describe, it, expect });
});

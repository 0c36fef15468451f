import { describe, expect, it } from 'vitest';
import { runAuditStoreContract } from '../testing/index.js';
import { memoryAuditStore } from './memory.js';

runAuditStoreContract(
  { describe, it, expect },
  { name: 'memory', store: () => memoryAuditStore() },
);

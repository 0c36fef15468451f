import { memoryAuditStore } from './adapters/memory.js';
import { erasureScenarios } from '../test/support/erasure-scenarios.js';

erasureScenarios('memory', () => memoryAuditStore());

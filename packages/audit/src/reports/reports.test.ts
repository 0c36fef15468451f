import { memoryAuditStore } from '../adapters/memory.js';
import { reportScenarios } from '../../test/support/report-scenarios.js';

reportScenarios('memory', () => memoryAuditStore());

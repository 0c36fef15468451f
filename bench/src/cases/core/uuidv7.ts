import { uuidv7 } from '@carequeue/core';
import { v7 } from 'uuid';
import { defineCase } from '../../case-definition.js';

export default defineCase({
  id: 'core.id.uuidv7',
  kind: 'latency',
  unit: 'ns/op',
  better: 'lower',
  target: 1.0,
  peerName: 'uuid 14.0.3',
  notes:
    'one canonical string per call, default options on both; both keep a monotonic sequence ' +
    'within a millisecond; ours reads crypto.getRandomValues 4 KiB at a time and uses 16 bytes ' +
    'of it per id, the peer draws 16 bytes from it per id',
  ours: () => uuidv7,
  peer: () => v7,
});

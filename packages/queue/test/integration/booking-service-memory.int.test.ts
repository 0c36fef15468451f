import { describe, it } from 'vitest';
import {
  expectNoOverlapAmongConcurrentBookings,
  memoryContentionSetup,
} from './booking-service-concurrency.js';

describe('BookingService in memory', () => {
  it('leaves no overlap among 200 concurrent bookings of different lengths, every loser overlapping a winner', async () => {
    await expectNoOverlapAmongConcurrentBookings(await memoryContentionSetup(200), 200);
  });
});

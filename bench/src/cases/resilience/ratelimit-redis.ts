import { randomBytes } from 'node:crypto';
import { createRateLimiter } from '@carequeue/resilience';
import { redisRateLimitStore } from '@carequeue/resilience/redis';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import { defineCase } from '../../case-definition.js';
import { deletePrefix } from '../cache/getorset-mix.js';

const KEYS = 1_000;
const POINTS = 1_000_000_000;
const WINDOW_S = 60;

export default defineCase({
  id: 'resilience.ratelimit.redis',
  kind: 'throughput',
  unit: 'ops/s',
  better: 'higher',
  target: 1.5,
  peerName: 'rate-limiter-flexible 11.4.0 (RateLimiterUnion of two RateLimiterRedis)',
  notes:
    '50 concurrent callers cycling over 1,000 user keys, one endpoint; each decision checks a ' +
    'per-user and a per-endpoint limit on the same Redis (loopback), each side on its own ioredis ' +
    'connection; limits high enough that every decision is allowed. Ours: one Lua call over both ' +
    'token buckets on Redis server time; peer: RateLimiterUnion consuming from a per-user and a ' +
    'per-endpoint RateLimiterRedis (one Lua call each, both sent at once)',
  concurrency: 50,
  durationMs: 2_000,
  setup: ({ services }) => {
    const prefix = `cq:bench:rl:${randomBytes(4).toString('hex')}:`;
    const ourClient = new Redis(services.redis);
    const peerClient = new Redis(services.redis);
    const ours = createRateLimiter({
      windowMs: WINDOW_S * 1000,
      max: POINTS,
      endpointLimit: { windowMs: WINDOW_S * 1000, max: POINTS },
      store: redisRateLimitStore({ client: ourClient }),
      prefix: `${prefix}ours:`,
    });
    const peer = new RateLimiterUnion(
      new RateLimiterRedis({
        storeClient: peerClient,
        keyPrefix: `${prefix}peer:user`,
        points: POINTS,
        duration: WINDOW_S,
      }),
      new RateLimiterRedis({
        storeClient: peerClient,
        keyPrefix: `${prefix}peer:endpoint`,
        points: POINTS,
        duration: WINDOW_S,
      }),
    );
    let ourNext = 0;
    let peerNext = 0;
    return {
      prefix,
      ourClient,
      peerClient,
      decideOurs: () => {
        ourNext = (ourNext + 1) % KEYS;
        return ours.consume(`user-${ourNext}`, { endpoint: 'POST /bookings' });
      },
      decidePeer: () => {
        peerNext = (peerNext + 1) % KEYS;
        return peer.consume(`user-${peerNext}`);
      },
    };
  },
  teardown: async (state) => {
    await deletePrefix(state.ourClient, state.prefix);
    await Promise.all([state.ourClient.quit(), state.peerClient.quit()]);
  },
  ours: (state) => state.decideOurs,
  peer: (state) => state.decidePeer,
});

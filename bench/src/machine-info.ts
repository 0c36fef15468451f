import { availableParallelism } from 'node:os';
import type { ServiceUrls } from './case-definition.js';
import type { MachineInfo } from './results-file.js';
import { postgresVersion, redisVersion } from './service-versions.js';

/**
 * Describes the machine a run happens on: CPU count, Node version, and the Postgres and Redis
 * server versions (null for a service that is not reachable).
 *
 * @example
 * ```ts
 * await probeMachine({ postgres: 'postgres://postgres@127.0.0.1:5432/postgres', redis: 'redis://127.0.0.1:6379' });
 * // { cpus: 2, node: 'v20.20.2', postgres: '15.18', redis: '7.0.15' }
 * ```
 */
export async function probeMachine(services: ServiceUrls): Promise<MachineInfo> {
  const [postgres, redis] = await Promise.all([
    postgresVersion(services.postgres),
    redisVersion(services.redis),
  ]);
  return { cpus: availableParallelism(), node: process.version, postgres, redis };
}

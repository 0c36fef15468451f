import { availableParallelism } from 'node:os';
import type { ServiceUrls } from './case-definition.js';
import type { MachineInfo } from './results-file.js';
import { postgresVersion, redisVersion } from './service-versions.js';

/**
 * Describes the machine a run happens on: CPU count, Node and V8 versions, and the Postgres and
 * Redis server versions (null for a service that is not reachable). Node and V8 are those of this
 * process, and so of the case workers, which `runCaseInWorker` starts from the same binary.
 *
 * @example
 * ```ts
 * await probeMachine({ postgres: 'postgres://postgres@127.0.0.1:5432/postgres', redis: 'redis://127.0.0.1:6379' });
 * // { cpus: 2, node: 'v24.22.3', v8: '13.6.233.17-node.63', postgres: '15.18', redis: '7.0.15' }
 * ```
 */
export async function probeMachine(services: ServiceUrls): Promise<MachineInfo> {
  const [postgres, redis] = await Promise.all([
    postgresVersion(services.postgres),
    redisVersion(services.redis),
  ]);
  return {
    cpus: availableParallelism(),
    node: process.version,
    v8: process.versions.v8,
    postgres,
    redis,
  };
}

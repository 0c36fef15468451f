import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { killWithTestProcess } from './child-processes.js';
import { waitUntil } from './wait-until.js';

/** What {@link createManagedProcess} starts and how it knows the process is ready. */
export interface ManagedProcessSpec {
  /** Name used in errors, such as `redis-server`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly spawnOptions?: SpawnOptions;
  /** Resolves true once the process serves requests. */
  readonly isReady: () => Promise<boolean>;
  /** How long a start may take. @default 30_000 */
  readonly startTimeoutMs?: number;
}

/** A server process that can be started, stopped and started again. */
export interface ManagedProcess {
  /** True between a successful start and the process's exit. */
  readonly running: boolean;
  /** Starts the process and waits until it is ready. */
  start(): Promise<void>;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4_000;

/**
 * Wraps a server process with start/stop that wait for readiness and exit, and that is killed
 * with the test process.
 *
 * @throws {Error} from `start()` when the process exits or is not ready in time; the message
 * carries the end of its output.
 * @example
 * ```ts
 * const server = createManagedProcess({
 *   name: 'redis-server',
 *   command: 'redis-server',
 *   args: ['--port', '6390'],
 *   isReady: async () => (await probeRedis('redis://127.0.0.1:6390', 500)) === undefined,
 * });
 * await server.start();
 * await server.stop('SIGTERM');
 * ```
 */
export function createManagedProcess(spec: ManagedProcessSpec): ManagedProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  const isAlive = (): boolean =>
    child !== undefined && child.exitCode === null && child.signalCode === null;

  return {
    get running() {
      return isAlive();
    },
    async start() {
      if (isAlive()) return;
      output = '';
      const started = spawn(spec.command, [...spec.args], {
        ...spec.spawnOptions,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      const append = (chunk: Buffer): void => {
        output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
      };
      started.stdout?.on('data', append);
      started.stderr?.on('data', append);
      exited = new Promise((resolve) => started.once('close', () => resolve()));
      started.once('error', (error) => append(Buffer.from(String(error))));
      killWithTestProcess(started);
      try {
        const hasExited = (): boolean =>
          started.exitCode !== null || started.signalCode !== null || started.pid === undefined;
        await waitUntil(async () => hasExited() || (await spec.isReady()), {
          timeoutMs: spec.startTimeoutMs ?? 30_000,
          description: `${spec.name} to be ready`,
        });
        if (hasExited()) throw new Error(`${spec.name} exited during start-up`);
      } catch (error: unknown) {
        started.kill('SIGKILL');
        await exited;
        throw new Error(`${spec.name} did not start. Its output ends with:\n${output}`, {
          cause: error,
        });
      }
    },
    async stop(signal) {
      if (isAlive()) child?.kill(signal);
      await exited;
    },
  };
}

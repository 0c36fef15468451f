/**
 * Recording proxies around the ports a service is given (repositories, units of work, stores,
 * executors), so the fuzz suite can tell whether a refused call reached any of them.
 */

/** Counts the calls made through every port wrapped with the same recorder. */
export interface PortCallRecorder {
  /** The calls recorded since the last {@link PortCallRecorder.reset}, as `port.method`. */
  readonly calls: readonly string[];
  reset(): void;
  /** Wraps `port` so every method call on it is recorded under `name`. */
  spy<T extends object>(name: string, port: T): T;
}

/**
 * Creates a recorder; each wrapped port records `name.method` when one of its methods is called.
 *
 * @example
 * ```ts
 * const recorder = createPortCallRecorder();
 * const repository = recorder.spy('patients', memoryPatientRepository());
 * ```
 */
export function createPortCallRecorder(): PortCallRecorder {
  const calls: string[] = [];
  return {
    calls,
    reset() {
      calls.length = 0;
    },
    spy<T extends object>(name: string, port: T): T {
      return new Proxy(port, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return function recorded(this: unknown, ...args: unknown[]): unknown {
            calls.push(`${name}.${String(property)}`);
            return Reflect.apply(value, this === receiver ? target : this, args);
          };
        },
      });
    },
  };
}

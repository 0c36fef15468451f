/**
 * Pauses one operation at a chosen port call, so a test can run another operation to the end at
 * exactly that point and then let the first go on: every interleaving of the two at port
 * granularity, deterministically, with no sleeps.
 *
 * Every method of a wrapped port is assumed to return a promise (ports do). While armed, calls
 * are numbered in the order they are made; the call numbered `index` waits on a promise the
 * test resolves, before it reaches the port (`before`) or after the port answered (`after`).
 * Pausing disarms, so the calls of the interloping operation pass straight through.
 */
export interface PortPauser {
  /** `port` with every method routed through the pauser, labelled `<name>.<method>`. */
  wrap<T extends object>(port: T, name: string): T;
  /** Numbers calls from now on and pauses the call numbered `index` at `phase`. */
  arm(index: number, phase: PausePhase): void;
  /** Resolves with the label of the paused call when it pauses. */
  paused(): Promise<string>;
  /** Lets the paused call go on. */
  resume(): void;
  /** Stops numbering; returns the labels of the calls numbered since `arm`. */
  disarm(): readonly string[];
}

/** Whether a call pauses before it reaches the port or after the port answered. */
export type PausePhase = 'before' | 'after';

export function createPortPauser(): PortPauser {
  let armed = false;
  let target = -1;
  let phase: PausePhase = 'before';
  let seen: string[] = [];
  let reached: (label: string) => void = () => undefined;
  let pausedAt = new Promise<string>((resolve) => (reached = resolve));
  let release: () => void = () => undefined;

  function pause(label: string): Promise<void> {
    armed = false;
    const resumed = new Promise<void>((resolve) => (release = resolve));
    reached(label);
    return resumed;
  }

  function call(label: string, run: () => Promise<unknown>): Promise<unknown> {
    if (!armed) return run();
    const index = seen.length;
    seen.push(label);
    if (index !== target) return run();
    if (phase === 'before') return pause(label).then(run);
    return run().then(
      (value) => pause(label).then(() => value),
      (error: unknown) =>
        pause(label).then(() => {
          throw error;
        }),
    );
  }

  return {
    wrap<T extends object>(port: T, name: string): T {
      return new Proxy(port, {
        get(target_, property, receiver) {
          const value: unknown = Reflect.get(target_, property, receiver);
          if (typeof value !== 'function') return value;
          const label = `${name}.${String(property)}`;
          return (...args: unknown[]) =>
            call(label, () => Reflect.apply(value, target_, args) as Promise<unknown>);
        },
      });
    },
    arm(index, at) {
      armed = true;
      target = index;
      phase = at;
      seen = [];
      pausedAt = new Promise<string>((resolve) => (reached = resolve));
    },
    paused: () => pausedAt,
    resume: () => release(),
    disarm() {
      armed = false;
      return seen;
    },
  };
}

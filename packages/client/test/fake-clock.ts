import type { Sleep } from '../src/sleep.js';

/** A wait the code under test started; the test ends it with `fire()`. */
export interface PendingSleep {
  readonly ms: number;
  /** Advances the fake time by `ms` and ends the wait. */
  fire(): void;
}

/** A fake clock: time moves only when a test fires a pending sleep. No real time passes. */
export class FakeClock {
  nowMs = Date.parse('2026-12-07T12:00:00Z');
  private readonly pending: PendingSleep[] = [];
  private readonly waiters: { match: (ms: number) => boolean; resolve: (s: PendingSleep) => void }[] =
    [];

  readonly now = (): number => this.nowMs;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const entry: PendingSleep = {
        ms,
        fire: () => {
          this.remove(entry);
          this.nowMs += ms;
          resolve();
        },
      };
      signal?.addEventListener(
        'abort',
        () => {
          this.remove(entry);
          reject(signal.reason);
        },
        { once: true },
      );
      const waiter = this.waiters.find((w) => w.match(ms));
      this.pending.push(entry);
      if (waiter !== undefined) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(entry);
      }
    });

  /** The first pending sleep matching `match`, now or once the code starts one. */
  nextSleep(match: (ms: number) => boolean = () => true): Promise<PendingSleep> {
    const found = this.pending.find((s) => match(s.ms));
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** How many sleeps are pending (started and neither fired nor aborted). */
  get pendingCount(): number {
    return this.pending.length;
  }

  private remove(entry: PendingSleep): void {
    const index = this.pending.indexOf(entry);
    if (index !== -1) this.pending.splice(index, 1);
  }
}

/**
 * What one instance tells the others after a change: hashed keys and generation numbers only,
 * never values.
 *
 * @example
 * ```ts
 * const message: CacheBusMessage = { origin: 'i-1', scope: 't:clinic-settings', fields: ['n'], generations: [4] };
 * ```
 */
export interface CacheBusMessage {
  /** The instance that sent it; it ignores its own messages. */
  readonly origin: string;
  /** The keyed HMAC of the tenant, and the namespace: `<hmac(tenant)>:<namespace>`. */
  readonly scope: string;
  /** Hashed keys whose values changed or were deleted. */
  readonly keys?: readonly string[];
  /** Generation fields that moved. */
  readonly fields?: readonly string[];
  /** The new generations of `fields`, in order. */
  readonly generations?: readonly number[];
}

/**
 * Receives what a {@link CacheBus} delivers.
 *
 * @example
 * ```ts
 * bus.subscribe({ message: (m) => console.log(m.scope), connection: (up) => console.log(up) });
 * ```
 */
export interface CacheBusListener {
  /** A message from another instance. */
  message(message: CacheBusMessage): void;
  /** The bus lost (`false`) or regained (`true`) its connection. */
  connection(connected: boolean): void;
}

/**
 * The port of the invalidation bus between instances.
 *
 * @example
 * ```ts
 * const unsubscribe = bus.subscribe(listener);
 * await bus.publish({ origin: 'i-1', scope: 't:clinic-settings', keys: ['pQ3x'] });
 * unsubscribe();
 * ```
 */
export interface CacheBus {
  /** Whether messages are flowing right now. */
  readonly connected: boolean;
  /** Sends a message to every other subscribed instance. */
  publish(message: CacheBusMessage): Promise<void>;
  /** Starts delivering to `listener`; returns the function that stops it. */
  subscribe(listener: CacheBusListener): () => void;
}

import { pendingStatementError, type PendingStatement } from './connection-executor.js';
import { toSqlError } from './errors.js';

/** A protocol message pg's connection writes; only the fields the pipeline sets. */
interface ParseMessage {
  readonly text: string;
  readonly name?: string;
}

interface BindMessage {
  readonly statement?: string;
  readonly values: readonly (string | Uint8Array | null)[];
}

/**
 * The parts of a `pg` client's wire connection that a commit pipeline writes to. They are the
 * messages of the extended query protocol; `pg` has carried them since version 8.
 *
 * @example
 * ```ts
 * const connection = (client as unknown as { connection: PgWireConnection }).connection;
 * ```
 */
export interface PgWireConnection {
  readonly stream: { cork?(): void; uncork?(): void };
  /** Named statements this connection has parsed, shared with `pg`'s own `name` queries. */
  readonly parsedStatements: Record<string, string>;
  parse(message: ParseMessage): void;
  bind(message: BindMessage): void;
  execute(message: { readonly portal?: string; readonly rows?: number }): void;
  sync(): void;
  on(event: 'parseComplete', listener: () => void): unknown;
  removeListener(event: 'parseComplete', listener: () => void): unknown;
}

/**
 * A `pg` client that accepts submittables (objects with `submit(connection)`): the JavaScript
 * client, not `pg-native`.
 *
 * @example
 * ```ts
 * if (isPipelineClient(client)) await commitWithStatements(client, pending, toWire, true);
 * ```
 */
export interface PgPipelineClient {
  readonly connection: PgWireConnection;
  query(submittable: object): unknown;
}

/** Whether `client` is the JavaScript `pg` client, whose wire connection a pipeline can use. */
export function isPipelineClient(client: unknown): client is PgPipelineClient {
  const connection = (client as { connection?: Partial<PgWireConnection> } | null)?.connection;
  return (
    typeof connection?.parse === 'function' &&
    typeof connection.bind === 'function' &&
    typeof connection.execute === 'function' &&
    typeof connection.sync === 'function' &&
    typeof connection.on === 'function' &&
    typeof connection.parsedStatements === 'object'
  );
}

/** Turns one parameter into its text (or binary) wire form, as `pg` does for its own queries. */
export type WireValue = (value: unknown) => string | Uint8Array | null;

// FNV-1a over UTF-16 code units, 32 bits twice with different seeds: a short stable name per
// statement text. A collision is harmless: a name already parsed for another text is not used.
function hashName(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
  }
  return `cq_${(a >>> 0).toString(36)}_${(b >>> 0).toString(36)}`;
}

// Prepared statements are fixed texts, so their names are worth remembering; the bound keeps a
// caller that prepares generated SQL from growing it without limit.
const NAME_CACHE_LIMIT = 512;
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = hashName(text);
    if (names.size >= NAME_CACHE_LIMIT) names.clear();
    names.set(text, name);
  }
  return name;
}

// COMMIT ends every pipeline; prepared like the statements marked so (it has no mapError, so
// its own failure is reported as the SQL error it is).
const COMMIT: PendingStatement = { text: 'COMMIT', params: [], options: { prepare: true } };

interface PlannedStatement {
  readonly statement: PendingStatement;
  readonly values: readonly (string | Uint8Array | null)[];
  /** The named statement to bind, or undefined for the unnamed one. */
  readonly name: string | undefined;
  /** Whether this pipeline parses the statement (under `name`, or unnamed). */
  readonly parse: boolean;
}

/**
 * The statements queued by `queryBeforeCommit`, COMMIT last, written as one batch of
 * extended-protocol messages with a single Sync: one round trip. After a failure the server skips
 * the rest up to the Sync, so COMMIT does not run and the transaction stays open and aborted for
 * the executor to roll back. `pg` hands the responses to the `handle*` methods below.
 */
class CommitPipeline {
  readonly done: Promise<void>;
  readonly #planned: readonly PlannedStatement[];
  // The statements whose Parse is on the wire, in the order the server answers ParseComplete.
  readonly #parsesInFlight: PlannedStatement[] = [];
  #connection: PgWireConnection | undefined;
  #completed = 0;
  #settled = false;
  #resolve: () => void = () => undefined;
  #reject: (error: Error) => void = () => undefined;

  constructor(planned: readonly PlannedStatement[]) {
    this.#planned = planned;
    this.done = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  submit(connection: PgWireConnection): null {
    this.#connection = connection;
    // Only a named Parse changes what the connection holds; without one nothing is tracked.
    const tracksNames = this.#planned.some((entry) => entry.parse && entry.name !== undefined);
    if (tracksNames) connection.on('parseComplete', this.#onParseComplete);
    connection.stream.cork?.();
    try {
      for (const entry of this.#planned) {
        const { statement, values, name } = entry;
        if (entry.parse) {
          connection.parse(
            name === undefined ? { text: statement.text } : { text: statement.text, name },
          );
          if (tracksNames) this.#parsesInFlight.push(entry);
        }
        connection.bind(name === undefined ? { values } : { statement: name, values });
        connection.execute({});
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  readonly #onParseComplete = (): void => {
    const parsed = this.#parsesInFlight.shift();
    if (parsed?.name !== undefined && this.#connection) {
      this.#connection.parsedStatements[parsed.name] = parsed.statement.text;
    }
  };

  handleCommandComplete(): void {
    this.#completed += 1;
  }

  handleRowDescription(): void {}

  handleDataRow(): void {}

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyData(): void {}

  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('COPY is not supported before COMMIT');
  }

  handleError(error: unknown): void {
    if (this.#settled) return;
    const failed = this.#planned[this.#completed];
    this.#settle(failed ? pendingStatementError(failed.statement, error) : toSqlError(error));
  }

  handleReadyForQuery(): void {
    this.#settle(undefined);
  }

  #settle(error: Error | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#connection?.removeListener('parseComplete', this.#onParseComplete);
    if (error) this.#reject(error);
    else this.#resolve();
  }
}

function plan(
  connection: PgWireConnection,
  pending: readonly PendingStatement[],
  toWire: WireValue,
  preparedStatements: boolean,
): PlannedStatement[] {
  let parsedHere: Set<string> | undefined;
  return pending.map((statement) => {
    let values: (string | Uint8Array | null)[];
    try {
      values = statement.params.map(toWire);
    } catch (error: unknown) {
      throw pendingStatementError(statement, error);
    }
    if (!preparedStatements || statement.options.prepare !== true) {
      return { statement, values, name: undefined, parse: true };
    }
    const name = statementName(statement.text);
    const known = connection.parsedStatements[name];
    if (known !== undefined && known !== statement.text) {
      return { statement, values, name: undefined, parse: true };
    }
    parsedHere ??= new Set<string>();
    const parse = known === undefined && !parsedHere.has(name);
    parsedHere.add(name);
    return { statement, values, name, parse };
  });
}

/**
 * Sends the pending statements and COMMIT in one round trip on a `pg` client, and settles when
 * the server has answered all of them. Rejects with the first failure (mapped by that
 * statement's `mapError`); the transaction is then aborted and must be rolled back.
 *
 * @example
 * ```ts
 * await commitWithStatements(client, pending, prepareValue, true);
 * ```
 */
export async function commitWithStatements(
  client: PgPipelineClient,
  pending: readonly PendingStatement[],
  toWire: WireValue,
  preparedStatements: boolean,
): Promise<void> {
  // Parameters are converted before anything is written: a value that cannot be sent fails the
  // commit with nothing on the wire.
  const pipeline = new CommitPipeline(
    plan(client.connection, [...pending, COMMIT], toWire, preparedStatements),
  );
  client.query(pipeline);
  await pipeline.done;
}

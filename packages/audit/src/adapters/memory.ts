import type { AuditEvent, AuditLog } from '../audit-event.js';
import type { AuditStore, VerifyRange } from '../audit-store.js';
import { GENESIS_HASH, payloadHash } from '../canonical-form.js';
import { createChainVerifier, type ChainPosition } from '../chain-verifier.js';
import {
  compareKeyThenId,
  compareLogs,
  encodeCursor,
  matchesTrailQuery,
  resolveTrailQuery,
  sortKeyOf,
} from '../trail-query.js';
import {
  checkAppendArguments,
  checkHeadArguments,
  checkSealArguments,
  checkVerifyArguments,
} from './store-arguments.js';

interface ChainRow {
  readonly sequence: number;
  readonly eventId: string;
  readonly previousHash: string;
  readonly payloadHash: string;
}

interface TenantChain {
  readonly rows: ChainRow[];
  readonly pending: string[];
}

// Runs a store method now, as a promise: a refused argument rejects rather than throws.
function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (error: unknown) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * An in-memory {@link AuditStore}: for tests, examples and single-process tools. Events are
 * copied on write, so later changes to the caller's objects do not reach the store. It refuses
 * what the SQL stores refuse, with the same `ValidationError` (a tenant id that is not a UUID, a
 * NUL in text, a malformed event), and reads ids in lower case as Postgres returns them.
 *
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 *
 * const audit = createAuditLogService({ store: memoryAuditStore() });
 * ```
 */
export function memoryAuditStore(): AuditStore {
  const events = new Map<string, AuditEvent>();
  const chains = new Map<string, TenantChain>();

  function chainOf(tenantId: string): TenantChain {
    let chain = chains.get(tenantId);
    if (!chain) {
      chain = { rows: [], pending: [] };
      chains.set(tenantId, chain);
    }
    return chain;
  }

  function headOf(chain: TenantChain): ChainPosition {
    const last = chain.rows[chain.rows.length - 1];
    return last
      ? { sequence: last.sequence, hash: last.payloadHash }
      : { sequence: 0, hash: GENESIS_HASH };
  }

  function toLog(event: AuditEvent, row: ChainRow | undefined): AuditLog {
    return {
      ...event,
      sequence: row?.sequence ?? null,
      payloadHash: row?.payloadHash ?? null,
      previousHash: row?.previousHash ?? null,
    };
  }

  return {
    append(batch) {
      return settle(() => {
        checkAppendArguments('append', batch);
        for (const given of batch) {
          // Postgres keeps ids as uuid and reads them back in lower case; so does this store.
          const event = {
            ...given,
            id: given.id.toLowerCase(),
            tenantId: given.tenantId.toLowerCase(),
          };
          if (events.has(event.id)) continue;
          events.set(event.id, structuredClone(event));
          chainOf(event.tenantId).pending.push(event.id);
        }
      });
    },
    seal(tenantId, limit = 10_000) {
      return settle(() => {
        checkSealArguments(tenantId, limit);
        const chain = chainOf(tenantId.toLowerCase());
        const batch = chain.pending.splice(0, limit);
        let head = headOf(chain);
        for (const eventId of batch) {
          const event = events.get(eventId) as AuditEvent;
          const hash = payloadHash(event, head.hash);
          chain.rows.push({
            sequence: head.sequence + 1,
            eventId,
            previousHash: head.hash,
            payloadHash: hash,
          });
          head = { sequence: head.sequence + 1, hash };
        }
        return batch.length;
      });
    },
    query(query) {
      return settle(() => {
        const resolved = resolveTrailQuery(query);
        const sealed = new Map<string, ChainRow>();
        for (const row of chains.get(resolved.tenantId)?.rows ?? []) sealed.set(row.eventId, row);
        const direction = resolved.order === 'asc' ? 1 : -1;
        const matching = [...events.values()]
          .filter((event) => matchesTrailQuery(toLog(event, undefined), resolved))
          .map((event) => toLog(event, sealed.get(event.id)))
          .filter(
            (log) =>
              !resolved.after ||
              direction *
                compareKeyThenId(
                  sortKeyOf(log, resolved.sortBy),
                  log.id,
                  resolved.after.key,
                  resolved.after.id,
                ) >
                0,
          )
          .sort((a, b) => compareLogs(a, b, resolved.sortBy, resolved.order));
        const items = matching.slice(0, resolved.limit).map((log) => structuredClone(log));
        const last = items[items.length - 1];
        const nextCursor =
          matching.length > resolved.limit && last
            ? encodeCursor(last, resolved.sortBy, resolved.order)
            : null;
        return { items, nextCursor };
      });
    },
    verify(tenantId, range: VerifyRange = {}) {
      return settle(() => {
        checkVerifyArguments(tenantId, range);
        const chain = chainOf(tenantId.toLowerCase());
        const verifier = createChainVerifier(range.start, range.checkpoint);
        const from = range.start?.sequence ?? 0;
        for (const row of chain.rows) {
          if (row.sequence <= from) continue;
          if (range.toSequence !== undefined && row.sequence > range.toSequence) break;
          const event = events.get(row.eventId);
          const done = verifier.push({
            sequence: row.sequence,
            previousHash: row.previousHash,
            payloadHash: row.payloadHash,
            recomputedHash: event ? payloadHash(event, row.previousHash) : null,
          });
          if (done) break;
        }
        return verifier.finish(range.expectedEnd);
      });
    },
    head(tenantId) {
      return settle(() => {
        checkHeadArguments(tenantId);
        return headOf(chainOf(tenantId.toLowerCase()));
      });
    },
  };
}

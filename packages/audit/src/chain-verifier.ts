import { GENESIS_HASH } from './canonical-form.js';

/**
 * One sealed row as the verifier sees it: its stored chain fields and the hash recomputed from
 * the stored event (`null` when the event row is gone).
 *
 * @example
 * ```ts
 * const link: ChainLink = { sequence: 1, previousHash: GENESIS_HASH, payloadHash: h, recomputedHash: h };
 * ```
 */
export interface ChainLink {
  readonly sequence: number;
  readonly previousHash: string;
  readonly payloadHash: string;
  readonly recomputedHash: string | null;
}

/**
 * The last trusted position of a chain: sequence 0 with {@link GENESIS_HASH} for the start, or a
 * checkpoint.
 *
 * @example
 * ```ts
 * const start: ChainPosition = { sequence: 0, hash: GENESIS_HASH };
 * ```
 */
export interface ChainPosition {
  readonly sequence: number;
  readonly hash: string;
}

/**
 * What broke the chain first: a row whose content changed (`edited`), a missing row (`deleted`),
 * or a row that does not belong between its neighbours (`inserted`).
 *
 * @example
 * ```ts
 * if (!result.ok) console.warn(result.break.kind, result.break.sequence);
 * ```
 */
export interface ChainBreak {
  readonly sequence: number;
  readonly kind: 'edited' | 'deleted' | 'inserted';
}

/**
 * The result of verifying a chain range: `ok` with the last verified position, or the first break.
 *
 * @example
 * ```ts
 * const result = await store.verify(tenantId);
 * if (result.ok) console.log('verified up to', result.head.sequence);
 * ```
 */
export type ChainVerification =
  | { readonly ok: true; readonly checked: number; readonly head: ChainPosition }
  | { readonly ok: false; readonly checked: number; readonly break: ChainBreak };

/**
 * A streaming verifier: feed links in sequence order, then call `finish`.
 *
 * @example
 * ```ts
 * const verifier = createChainVerifier({ sequence: 0, hash: GENESIS_HASH });
 * for (const link of links) if (verifier.push(link)) break;
 * const result = verifier.finish();
 * ```
 */
export interface ChainVerifier {
  /** Checks the next link; true once a break is known (further links are ignored). */
  push(link: ChainLink): boolean;
  /** The verdict. `expectedEnd`, from a checkpoint, detects rows cut off the tail. */
  finish(expectedEnd?: number): ChainVerification;
}

/**
 * Creates a {@link ChainVerifier} starting after a trusted position.
 *
 * A row whose link to its predecessor is wrong is judged with the row after it: if that row links
 * to the expected predecessor, the row was inserted; otherwise a row before it was deleted.
 *
 * @example
 * ```ts
 * const verifier = createChainVerifier({ sequence: 0, hash: GENESIS_HASH });
 * ```
 */
export function createChainVerifier(
  start: ChainPosition = { sequence: 0, hash: GENESIS_HASH },
): ChainVerifier {
  let head = start;
  let headPreviousHash: string | undefined;
  let checked = 0;
  let found: ChainBreak | undefined;
  let suspect: { link: ChainLink; expectedPrevious: string } | undefined;

  function judgeSuspect(next: ChainLink | undefined): void {
    if (!suspect) return;
    const inserted = next !== undefined && next.previousHash === suspect.expectedPrevious;
    found = { sequence: suspect.link.sequence, kind: inserted ? 'inserted' : 'deleted' };
  }

  function check(link: ChainLink): ChainBreak | 'suspect' | undefined {
    const expected = head.sequence + 1;
    if (link.sequence > expected) return { sequence: expected, kind: 'deleted' };
    if (link.sequence < expected) return { sequence: link.sequence, kind: 'inserted' };
    if (link.recomputedHash === null) return { sequence: expected, kind: 'deleted' };
    const selfConsistent = link.recomputedHash === link.payloadHash;
    if (link.previousHash === head.hash) {
      return selfConsistent ? undefined : { sequence: expected, kind: 'edited' };
    }
    if (headPreviousHash !== undefined && link.previousHash === headPreviousHash) {
      return { sequence: head.sequence, kind: 'inserted' };
    }
    return selfConsistent ? 'suspect' : { sequence: expected, kind: 'edited' };
  }

  return {
    push(link) {
      if (found) return true;
      if (suspect) {
        judgeSuspect(link);
        return true;
      }
      const verdict = check(link);
      if (verdict === 'suspect') {
        suspect = { link, expectedPrevious: head.hash };
        return false;
      }
      if (verdict) {
        found = verdict;
        return true;
      }
      headPreviousHash = link.previousHash;
      head = { sequence: link.sequence, hash: link.payloadHash };
      checked += 1;
      return false;
    },
    finish(expectedEnd) {
      if (suspect && !found) judgeSuspect(undefined);
      if (found) return { ok: false, checked, break: found };
      if (expectedEnd !== undefined && head.sequence < expectedEnd) {
        return { ok: false, checked, break: { sequence: head.sequence + 1, kind: 'deleted' } };
      }
      return { ok: true, checked, head };
    },
  };
}

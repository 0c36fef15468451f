import {
  chainPositionIssues,
  checkArguments,
  hashIssues,
  integerIssues,
  isRecord,
} from './argument-checks.js';
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
 * a row that does not belong between its neighbours (`inserted`), or a chain whose hash at a
 * signed checkpoint's sequence is not the signed one (`rewritten`: the rows up to it were
 * changed and hashed again, so the chain agrees with itself but not with what was signed).
 *
 * @example
 * ```ts
 * if (!result.ok) console.warn(result.break.kind, result.break.sequence);
 * ```
 */
export interface ChainBreak {
  readonly sequence: number;
  readonly kind: 'edited' | 'deleted' | 'inserted' | 'rewritten';
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
  /**
   * The verdict. `expectedEnd` detects rows cut off the tail; so does the checkpoint given to
   * {@link createChainVerifier}, whose sequence the chain must reach.
   */
  finish(expectedEnd?: number): ChainVerification;
}

function linkIssues(link: unknown): ReturnType<typeof hashIssues> {
  if (!isRecord(link)) return [{ path: 'link', message: 'must be a chain link object' }];
  return [
    ...integerIssues(link['sequence'], 'link.sequence', { min: 1, max: Number.MAX_SAFE_INTEGER }),
    ...hashIssues(link['previousHash'], 'link.previousHash'),
    ...hashIssues(link['payloadHash'], 'link.payloadHash'),
    ...hashIssues(link['recomputedHash'], 'link.recomputedHash', { nullable: true }),
  ];
}

/**
 * Creates a {@link ChainVerifier} starting after a trusted position.
 *
 * A row whose link to its predecessor is wrong is judged with the row after it: if that row links
 * to the expected predecessor, the row was inserted; otherwise a row before it was deleted.
 *
 * With a `checkpoint` (a position opened from a signed checkpoint), the chain must reach its
 * sequence, and the row there must carry its hash: a chain that was rewritten and hashed again
 * from the genesis links up perfectly, and only the signed hash tells it apart (`rewritten`).
 *
 * @throws {ValidationError} when `start` or `checkpoint` is not a chain position, or the
 *   checkpoint lies before `start`
 * @example
 * ```ts
 * const verifier = createChainVerifier({ sequence: 0, hash: GENESIS_HASH }, openCheckpoint(signed, publicKey, tenantId));
 * ```
 */
export function createChainVerifier(
  start: ChainPosition = { sequence: 0, hash: GENESIS_HASH },
  checkpoint?: ChainPosition,
): ChainVerifier {
  checkArguments(
    'createChainVerifier',
    chainPositionIssues(start, 'start'),
    chainPositionIssues(checkpoint, 'checkpoint', { optional: true }),
  );
  if (checkpoint && checkpoint.sequence < start.sequence) {
    checkArguments('createChainVerifier', [
      { path: 'checkpoint', message: 'must not be before start' },
    ]);
  }
  let head = start;
  let headPreviousHash: string | undefined;
  let checked = 0;
  let found: ChainBreak | undefined =
    checkpoint && checkpoint.sequence === start.sequence && checkpoint.hash !== start.hash
      ? { sequence: checkpoint.sequence, kind: 'rewritten' }
      : undefined;
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
      checkArguments('ChainVerifier.push', linkIssues(link));
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
      if (
        checkpoint &&
        link.sequence === checkpoint.sequence &&
        link.payloadHash !== checkpoint.hash
      ) {
        found = { sequence: link.sequence, kind: 'rewritten' };
        return true;
      }
      headPreviousHash = link.previousHash;
      head = { sequence: link.sequence, hash: link.payloadHash };
      checked += 1;
      return false;
    },
    finish(expectedEnd) {
      checkArguments(
        'ChainVerifier.finish',
        integerIssues(expectedEnd, 'expectedEnd', {
          min: 0,
          max: Number.MAX_SAFE_INTEGER,
          optional: true,
        }),
      );
      if (suspect && !found) judgeSuspect(undefined);
      if (found) return { ok: false, checked, break: found };
      const end = Math.max(expectedEnd ?? 0, checkpoint?.sequence ?? 0);
      if (head.sequence < end) {
        return { ok: false, checked, break: { sequence: head.sequence + 1, kind: 'deleted' } };
      }
      return { ok: true, checked, head };
    },
  };
}

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from './canonical-form.js';
import { createChainVerifier, type ChainLink } from './chain-verifier.js';

function hashOf(content: string, previous: string): string {
  return createHash('sha256').update(`${previous}|${content}`).digest('hex');
}

interface Row {
  content: string;
  previousHash: string;
  payloadHash: string;
}

function chainOf(contents: readonly string[]): Row[] {
  let previous = GENESIS_HASH;
  return contents.map((content) => {
    const row = { content, previousHash: previous, payloadHash: hashOf(content, previous) };
    previous = row.payloadHash;
    return row;
  });
}

function linksOf(rows: readonly Row[]): ChainLink[] {
  return rows.map((row, index) => ({
    sequence: index + 1,
    previousHash: row.previousHash,
    payloadHash: row.payloadHash,
    recomputedHash: hashOf(row.content, row.previousHash),
  }));
}

function verify(links: readonly ChainLink[], expectedEnd?: number) {
  const verifier = createChainVerifier();
  for (const link of links) if (verifier.push(link)) break;
  return verifier.finish(expectedEnd);
}

const contents = fc.array(fc.string(), { minLength: 2, maxLength: 30 });

describe('createChainVerifier', () => {
  it('accepts any untouched chain', () => {
    fc.assert(
      fc.property(contents, (values) => {
        const result = verify(linksOf(chainOf(values)));
        expect(result.ok).toBe(true);
        expect(result.checked).toBe(values.length);
      }),
    );
  });

  it('reports an edit at its position when one row content changes', () => {
    fc.assert(
      fc.property(contents, fc.nat(), (values, pick) => {
        const rows = chainOf(values);
        const index = pick % rows.length;
        rows[index] = { ...(rows[index] as Row), content: `${(rows[index] as Row).content}!` };
        expect(verify(linksOf(rows))).toEqual({
          ok: false,
          checked: index,
          break: { sequence: index + 1, kind: 'edited' },
        });
      }),
    );
  });

  it('reports a deletion at its position when one row is removed and the rest renumbered', () => {
    fc.assert(
      fc.property(contents, fc.nat(), (values, pick) => {
        const rows = chainOf(values);
        const index = pick % (rows.length - 1);
        rows.splice(index, 1);
        const result = verify(linksOf(rows));
        expect(result.ok ? undefined : result.break).toEqual({
          sequence: index + 1,
          kind: 'deleted',
        });
      }),
    );
  });

  it('reports an insertion at its position when a forged row is put in and the rest renumbered', () => {
    fc.assert(
      fc.property(contents, fc.nat(), fc.boolean(), (values, pick, wellForged) => {
        const rows = chainOf(values);
        const index = pick % rows.length;
        const previous = index === 0 ? GENESIS_HASH : (rows[index - 1] as Row).payloadHash;
        const forgedPrevious = wellForged ? previous : 'e'.repeat(64);
        rows.splice(index, 0, {
          content: 'forged',
          previousHash: forgedPrevious,
          payloadHash: hashOf('forged', forgedPrevious),
        });
        const result = verify(linksOf(rows));
        expect(result.ok ? undefined : result.break).toEqual({
          sequence: index + 1,
          kind: 'inserted',
        });
      }),
    );
  });

  it('reports a missing sequence as deleted when a row is gone without renumbering', () => {
    const links = linksOf(chainOf(['a', 'b', 'c']));
    expect(verify([links[0] as ChainLink, links[2] as ChainLink])).toEqual({
      ok: false,
      checked: 1,
      break: { sequence: 2, kind: 'deleted' },
    });
    expect(
      verify([links[0] as ChainLink, { ...(links[1] as ChainLink), recomputedHash: null }]),
    ).toEqual({
      ok: false,
      checked: 1,
      break: { sequence: 2, kind: 'deleted' },
    });
  });

  it('reports a repeated sequence as inserted when two rows share it', () => {
    const links = linksOf(chainOf(['a', 'b']));
    expect(verify([links[0] as ChainLink, links[0] as ChainLink, links[1] as ChainLink])).toEqual({
      ok: false,
      checked: 1,
      break: { sequence: 1, kind: 'inserted' },
    });
  });

  it('reports an edited link when a row points elsewhere and its own hash is wrong', () => {
    const links = linksOf(chainOf(['a', 'b', 'c']));
    const tampered = {
      ...(links[1] as ChainLink),
      previousHash: 'd'.repeat(64),
      recomputedHash: 'c'.repeat(64),
    };
    expect(verify([links[0] as ChainLink, tampered, links[2] as ChainLink])).toEqual({
      ok: false,
      checked: 1,
      break: { sequence: 2, kind: 'edited' },
    });
  });

  it('reports a cut tail when the chain ends before the expected end', () => {
    const links = linksOf(chainOf(['a', 'b', 'c']));
    expect(verify(links, 5)).toEqual({
      ok: false,
      checked: 3,
      break: { sequence: 4, kind: 'deleted' },
    });
    const verifier = createChainVerifier();
    verifier.push({ ...(links[0] as ChainLink), previousHash: 'a'.repeat(64) });
    expect(verifier.push(links[1] as ChainLink)).toBe(true);
    expect(verifier.push(links[2] as ChainLink)).toBe(true);
    expect(verifier.finish().ok).toBe(false);
  });
});

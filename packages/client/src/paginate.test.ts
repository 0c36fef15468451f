import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { paginate, type Page } from './paginate.js';

describe('paginate', () => {
  it('yields every item of every page, following nextCursor until it is null', async () => {
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], nextCursor: 'c2' },
      c2: { items: [], nextCursor: 'c3' },
      c3: { items: [3], nextCursor: null },
    };
    const cursors: (string | undefined)[] = [];
    const items: number[] = [];
    for await (const item of paginate((cursor) => {
      cursors.push(cursor);
      return Promise.resolve(pages[cursor ?? 'start']!);
    })) {
      items.push(item);
    }
    expect(items).toEqual([1, 2, 3]);
    expect(cursors).toEqual([undefined, 'c2', 'c3']);
  });

  it('fetches no further page after break', async () => {
    let fetched = 0;
    for await (const item of paginate(() => {
      fetched += 1;
      return Promise.resolve({ items: [fetched], nextCursor: `c${fetched}` });
    })) {
      if (item === 1) break;
    }
    expect(fetched).toBe(1);
  });

  it('refuses a fetchPage that is not a function, and a page that is not { items, nextCursor }', async () => {
    const drain = async (pages: AsyncIterable<unknown>) => {
      for await (const _ of pages) void _;
    };
    await expect(
      drain(paginate(1 as unknown as () => Promise<Page<number>>)),
    ).rejects.toMatchObject({
      issues: [{ path: 'fetchPage' }],
    });
    for (const page of [null, { items: 'x' }, { items: [], nextCursor: 3 }]) {
      await expect(
        drain(paginate(() => Promise.resolve(page as unknown as Page<number>))),
      ).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
    }
  });

  it('throws PAGINATION_LOOP when the server repeats a cursor', async () => {
    const loop = paginate(() => Promise.resolve({ items: [], nextCursor: 'same' }));
    const error = await (async () => {
      for await (const _ of loop) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'PAGINATION_LOOP' });
  });
});

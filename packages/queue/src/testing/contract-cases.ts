/**
 * What the cases of a repository contract suite start from, and how they read a paged list to
 * its end.
 *
 * @internal
 * @packageDocumentation
 */
import type { TenantId } from '@carequeue/core';
import type { Page } from '../pagination.js';
import type { ContractFixtures, ContractRunner } from './contract-types.js';

/**
 * A fresh adapter of the repository under test and a fresh tenant it has no rows for.
 *
 * @example
 * ```ts
 * const start: ContractCase<StaffRepository> = { repo: create(), tenantId: await fixtures.tenant() };
 * ```
 */
export interface ContractCase<R> {
  readonly repo: R;
  readonly tenantId: TenantId;
}

/**
 * `it` for cases that each start from a new adapter (`create()`) and a new tenant, made in that
 * order before the body runs.
 *
 * @example
 * ```ts
 * const test = contractCase(it, create, fixtures);
 * test('reads back every field', async ({ repo, tenantId }) => { ... });
 * ```
 */
export function contractCase<R>(
  it: ContractRunner['it'],
  create: () => R,
  fixtures: Pick<ContractFixtures, 'tenant'>,
): (name: string, body: (start: ContractCase<R>) => Promise<void>) => void {
  return (name, body) => {
    it(name, async () => {
      const repo = create();
      const tenantId = await fixtures.tenant();
      await body({ repo, tenantId });
    });
  };
}

/**
 * The ids of every item of a paged list, in the order the pages gave them, following
 * `nextCursor` until a page has none.
 *
 * @example
 * ```ts
 * const seen = await idsOfEveryPage((cursor) => repo.list(tenantId, { limit: 2, cursor }));
 * ```
 */
export async function idsOfEveryPage(
  readPage: (cursor: string | undefined) => Promise<Page<{ readonly id: string }>>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await readPage(cursor);
    seen.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return seen;
}

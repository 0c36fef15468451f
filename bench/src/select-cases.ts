/**
 * Whether a case id belongs to a selection: a suite (`resilience`), an area
 * (`resilience.breaker`) or one case id. Matching stops at dots, so a selection never matches
 * part of a word.
 *
 * @example
 * ```ts
 * belongsToSuite('resilience.breaker.execute', 'resilience'); // true
 * belongsToSuite('resilience.breaker.execute', 'resilience.breaker.execute'); // true
 * belongsToSuite('resilience-extra.x', 'resilience'); // false
 * ```
 */
export function belongsToSuite(id: string, suite: string): boolean {
  return id === suite || id.startsWith(`${suite}.`);
}

/**
 * The cases a run covers: all of them, or those of one suite.
 *
 * @throws Error when a suite is given and none of the cases belongs to it.
 * @example
 * ```ts
 * selectCases(allCases, 'core'); // only core.* cases
 * selectCases(allCases, null); // every case
 * ```
 */
export function selectCases<Case extends { readonly id: string }>(
  cases: readonly Case[],
  suite: string | null,
): Case[] {
  if (suite === null) return [...cases];
  const selected = cases.filter((benchCase) => belongsToSuite(benchCase.id, suite));
  if (selected.length === 0) {
    const known = [...new Set(cases.map((benchCase) => benchCase.id.split('.')[0]))].join(', ');
    throw new Error(`No case id starts with "${suite}." (suites: ${known || 'none'}).`);
  }
  return selected;
}

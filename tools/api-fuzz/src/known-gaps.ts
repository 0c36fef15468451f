/**
 * Methods the suite still finds defects in, as `<test label> <method>` (a factory's own call is
 * `<entry point> <name> call`). Their failures are printed on every run, and do not fail it;
 * a failure anywhere else does. This list only shrinks: each entry is open work of the
 * hardening issue, and a run prints the entries that no longer fail so they can be removed.
 */
export const KNOWN_GAPS: ReadonlySet<string> = new Set<string>([]);

export function entryOfExport(
  manifest: { name: string; exports?: Record<string, unknown> },
  subpath: string,
): string;
export function entriesFromExports(packageDir: string): Record<string, string>;

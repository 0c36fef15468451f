export function entriesFromExports(packageDir: string): Record<string, string>;

import type { Options } from 'tsup';

export function packageBuildOptions(packageDir: string): Options;

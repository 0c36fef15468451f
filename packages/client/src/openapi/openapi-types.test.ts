import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOpenApiTypes } from '../../scripts/openapi-types.mjs';

const packageDir = join(import.meta.dirname, '../..');

describe('openapi.d.ts', () => {
  it('is what openapi-typescript generates from openapi.json (run pnpm --filter @carequeue/client openapi)', async () => {
    const document = JSON.parse(readFileSync(join(packageDir, 'openapi.json'), 'utf8')) as object;
    const committed = readFileSync(join(packageDir, 'openapi.d.ts'), 'utf8');
    expect(committed).toBe(await renderOpenApiTypes(document));
  });
});

/**
 * The types of an OpenAPI 3.1 document, as openapi-typescript prints them (a property with a
 * default stays optional).
 *
 * @param document - the parsed OpenAPI document.
 * @returns the text of a `.d.ts` file.
 * @example
 * ```ts
 * writeFileSync('openapi.d.ts', await renderOpenApiTypes(JSON.parse(readFileSync('openapi.json', 'utf8'))));
 * ```
 */
export function renderOpenApiTypes(document: object): Promise<string>;

// Renders the TypeScript that openapi-typescript generates from openapi.json. Shared by
// build-openapi.mjs, which writes openapi.d.ts, and by the test that fails when the committed
// file drifts from the document.
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';

/**
 * The types of an OpenAPI 3.1 document, as openapi-typescript prints them.
 *
 * @param {object} document the parsed OpenAPI document
 * @returns {Promise<string>} the text of a `.d.ts` file
 * @example
 * writeFileSync('openapi.d.ts', await renderOpenApiTypes(JSON.parse(readFileSync('openapi.json', 'utf8'))));
 */
export async function renderOpenApiTypes(document) {
  // A property with a default may be left out of a request, so it stays optional in the types
  // (openapi-typescript's default would make it required).
  const nodes = await openapiTS(document, { defaultNonNullable: false, silent: true });
  return `${COMMENT_HEADER}${astToString(nodes)}`;
}

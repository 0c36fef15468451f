import { entriesFromExports } from '../../scripts/package-entries.mjs';

/** @type {import('typedoc').TypeDocOptions} */
export default {
  entryPoints: Object.values(entriesFromExports(import.meta.dirname)),
  readme: 'README.md',
};

/** @type {import('typedoc').TypeDocOptions} */
export default {
  name: 'CareQueue',
  entryPointStrategy: 'packages',
  entryPoints: [
    'packages/core',
    'packages/resilience',
    'packages/cache',
    'packages/audit',
    'packages/queue',
    'packages/client',
  ],
  out: 'docs/api',
  readme: 'README.md',
  treatWarningsAsErrors: true,
  disableGit: true,
  sourceLinkTemplate: 'https://github.com/carequeue/carequeue/blob/main/{path}#L{line}',
  excludePrivate: true,
  excludeInternal: true,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
};

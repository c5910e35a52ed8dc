/** The architecture as rules (STYLE.md 1): checked by test/architecture.spec.ts on every test run. */
module.exports = {
  forbidden: [
    {
      name: 'no-cross-service-imports',
      comment: 'A service talks to another only through libs/contracts messages, never by importing its code.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'libs-do-not-import-services',
      comment: 'Libraries are shared by every service; they cannot depend on one.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'Contracts are plain names and types, importable by anyone without pulling in code.',
      severity: 'error',
      from: { path: '^libs/contracts/' },
      to: { path: '^(libs/(?!contracts/)|services/|node_modules/)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(libs|services)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$|\\.int-spec\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};

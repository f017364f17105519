/**
 * Two projects: pure unit tests next to the code (`libs/**\/*.spec.ts`) and integration tests on real
 * MySQL and Redis (`test/**\/*.int.spec.ts`). Both compile TypeScript with SWC and resolve `@libs/*`.
 * @type {import('jest').Config}
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  // bpmn-moddle and its relatives ship ES modules only; compile them like our own code.
  transformIgnorePatterns: [
    '/node_modules/(?!(bpmn-moddle|moddle|moddle-xml|min-dash|saxen|camunda-bpmn-moddle)/)',
  ],
  moduleNameMapper: { '^@libs/(.*)$': '<rootDir>/libs/$1' },
};

module.exports = {
  // Integration tests start servers and wait on real state; a generous bound, never a sleep.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.int.spec.ts'],
      slowTestThreshold: 30,
    },
  ],
};

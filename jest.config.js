// Unit tests sit beside the pure rules (src/**/*.spec.ts); e2e stories live in test/ and use real Postgres + Redis.
const tsJest = ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }];
// A few dependencies ship ES modules only; let ts-jest turn them into CommonJS for the tests.
const esmOnly = ['content-disposition', 'otplib', '@otplib', '@scure', '@noble', 'openid-client', 'oauth4webapi', 'jose'];
/** Stories on the real Postgres and Redis: the test database migrated and emptied once per run. */
const stories = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: { '^.+\\.(ts|js)$': tsJest },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  testTimeout: 30000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    { displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], ...stories },
    // Faults injected for real (a TCP proxy cutting Postgres or Redis, signals, a provider that
    // hangs) on the built service's processes: `npm run test:faults` builds first.
    { displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'], ...stories },
  ],
};

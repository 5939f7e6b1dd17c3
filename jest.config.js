// Unit tests sit beside the pure rules (src/**/*.spec.ts); e2e stories live in test/ and use real Postgres + Redis.
const tsJest = ['ts-jest', { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false }];
// A few dependencies ship ES modules only; let ts-jest turn them into CommonJS for the tests.
const esmOnly = ['content-disposition', 'otplib', '@otplib', '@scure', '@noble', 'openid-client', 'oauth4webapi', 'jose'];
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
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.(ts|js)$': tsJest },
      transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};

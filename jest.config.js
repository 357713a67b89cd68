/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/data/', '/web/dist/'],
  // The canvas's plain .ts modules import the shared contract through the same alias as its Vite build.
  moduleNameMapper: { '^\\$contract/(.*)$': '<rootDir>/contract/$1', '^\\$lib/(.*)$': '<rootDir>/web/src/lib/$1' },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

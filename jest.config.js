/** @type {import('jest').Config} */
// CommonJS + @swc/jest. ESM-only packages (jose, PGlite, Prisma's wasm engine) are transformed too,
// which lets jest load them without --experimental-vm-modules.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/client-sdk/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj|cj)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@electric-sql/pglite|@prisma/schema-engine-wasm)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/tests/setup/global-setup.ts',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};

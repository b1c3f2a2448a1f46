import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/marbles/**/*.marble.ts', '<rootDir>/examples/**/*.test.ts'],
  moduleNameMapper: {
    '^comfyui-rx$': '<rootDir>/src/index.ts',
    '^comfyui-rx/protocol$': '<rootDir>/src/protocol/index.ts',
    '^comfyui-rx/testing$': '<rootDir>/src/testing/index.ts',
    '^comfyui-rx/queue$': '<rootDir>/src/queue/index.ts',
  },
  testTimeout: 30_000,
  // Two workers on a 2-core machine (jest's default there is one): most suites wait on sockets and child processes, not the CPU.
  maxWorkers: 2,
};

export default config;

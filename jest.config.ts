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
};

export default config;

// Two jest projects: `unit` (pure logic of the runtime and the extension) and
// `kernel` (a real Jupyter server and tslab kernel). Browser tests run under
// Playwright (tests/browser).
// Built copies and Python environments hold package.json files jest must not see.
const ignored = ['<rootDir>/.venv/', '<rootDir>/bench/.venv/', '<rootDir>/jupyterlab_dagcells/', '<rootDir>/lib/'];

const tsJest = [
  'ts-jest',
  { tsconfig: '<rootDir>/tsconfig.test.json' }
];

module.exports = {
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      modulePathIgnorePatterns: ignored,
      testMatch: [
        '<rootDir>/kernel-helpers/test/**/*.test.ts',
        '<rootDir>/extension/test/**/*.test.ts'
      ],
      transform: { '^.+\\.(m?[tj]s|[tj]sx)$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!(d3-[^/]+|internmap|d3-dag|@jupyterlab|@lumino)/)']
    },
    {
      displayName: 'kernel',
      rootDir: __dirname,
      testEnvironment: 'node',
      modulePathIgnorePatterns: ignored,
      testMatch: ['<rootDir>/tests/kernel/**/*.test.ts'],
      transform: { '^.+\\.(m?[tj]s|[tj]sx)$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!(d3-[^/]+|internmap|d3-dag|@jupyterlab|@lumino)/)'],
      // One real Jupyter server for the run; each test starts real tslab kernels,
      // so it gets minutes, not seconds.
      globalSetup: '<rootDir>/tests/kernel/harness/global-setup.ts',
      globalTeardown: '<rootDir>/tests/kernel/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/kernel/jest.setup.ts']
    }
  ]
};

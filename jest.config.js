// Two jest projects: `unit` (pure logic of the runtime and the extension) and
// `kernel` (a real Jupyter server and tslab kernel). Browser tests run under
// Playwright (tests/browser).
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
      testMatch: [
        '<rootDir>/kernel-helpers/test/**/*.test.ts',
        '<rootDir>/extension/test/**/*.test.ts'
      ],
      transform: { '^.+\\.[tj]sx?$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!(d3-[^/]+|internmap|d3-dag|@jupyterlab|@lumino)/)']
    },
    {
      displayName: 'kernel',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/kernel/**/*.test.ts'],
      transform: { '^.+\\.[tj]sx?$': tsJest },
      transformIgnorePatterns: ['/node_modules/(?!(d3-[^/]+|internmap|d3-dag|@jupyterlab|@lumino)/)'],
      // A kernel test starts real kernels: allow it minutes, not seconds.
      setupFilesAfterEnv: ['<rootDir>/tests/kernel/jest.setup.ts']
    }
  ]
};

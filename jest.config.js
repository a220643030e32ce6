// Three jest projects: `unit` (pure logic of the runtime and the extension),
// `kernel` (a real Jupyter server and tslab kernel) and `airflow` (generated
// DAGs run by a real Airflow). Browser tests run under Playwright (tests/browser).
// Built copies and Python environments hold package.json files jest must not see.
const ignored = ['<rootDir>/.venv/', '<rootDir>/.venv-airflow/', '<rootDir>/.venv-data/', '<rootDir>/bench/.venv/', '<rootDir>/test-output/', '<rootDir>/jupyterlab_dagcells/', '<rootDir>/lib/'];

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
    },
    {
      displayName: 'airflow',
      rootDir: __dirname,
      testEnvironment: 'node',
      modulePathIgnorePatterns: ignored,
      testMatch: ['<rootDir>/tests/airflow/**/*.test.ts'],
      transform: { '^.+\\.(m?[tj]s|[tj]sx)$': tsJest },
      // One Airflow home for the run, its database migrated once; each `dags test`
      // costs 10-30 s, so tests get minutes.
      globalSetup: '<rootDir>/tests/airflow/harness/global-setup.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/airflow/jest.setup.ts']
    }
  ]
};

/**
 * Once per run of the Airflow tests: Airflow installed (scripts/setup-airflow.sh,
 * a no-op when it is), the dagcells command built, and a fresh Airflow home
 * whose SQLite database is migrated once (8-9 s) and then shared by every test.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, rmSync } from 'fs';
import { join } from 'path';

import { HOME, OUT, ROOT, VENV } from './airflow';

export default function globalSetup(): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'setup-airflow.sh')], { stdio: 'inherit' });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(ROOT, 'kernel-helpers')], { stdio: 'inherit' });
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'empty-dags'), { recursive: true });
  const migrated = spawnSync(join(VENV, 'bin', 'airflow'), ['db', 'migrate'], {
    env: { ...process.env, AIRFLOW_HOME: HOME, AIRFLOW__CORE__DAGS_FOLDER: join(OUT, 'empty-dags'), AIRFLOW__CORE__LOAD_EXAMPLES: 'False', PYTHONWARNINGS: 'ignore' },
    encoding: 'utf8'
  });
  if (migrated.status !== 0) {
    throw new Error(`airflow db migrate failed:\n${migrated.stdout}${migrated.stderr}`);
  }
}

// Sums the results of every test runner into one line, "N passed, N failed",
// printed last and written to test-output/summary.txt. A level whose runner left
// no results (it crashed, or ran no test) counts as a failure, never as nothing.
// Every level but browser (Playwright) is a jest project: unit, kernel, airflow.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [out, ...levels] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const lines = [];

function jest(file) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // Suites that failed to run (a syntax error, a crashed setup) have no test results.
  const broken = r.testResults.filter(s => s.status === 'failed' && s.assertionResults.length === 0).length;
  return { passed: r.numPassedTests, failed: r.numFailedTests + broken, skipped: r.numPendingTests + r.numTodoTests };
}

function playwright(file) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.stats ?? {};
  return { passed: s.expected ?? 0, failed: (s.unexpected ?? 0) + (s.flaky ?? 0) + (r.errors?.length ?? 0), skipped: s.skipped ?? 0 };
}

for (const level of levels) {
  const file = join(out, `results-${level}.json`);
  let result;
  try {
    result = existsSync(file) ? (level === 'browser' ? playwright(file) : jest(file)) : undefined;
  } catch (error) {
    lines.push(`${level}: unreadable results (${error.message})`);
  }
  if (!result || result.passed + result.failed === 0) {
    lines.push(`${level}: no tests ran: counted as a failure`);
    failed += 1;
    continue;
  }
  // A skipped test is neither passed nor silently fine: it fails the run.
  failed += result.failed + result.skipped;
  passed += result.passed;
  lines.push(`${level}: ${result.passed} passed, ${result.failed} failed${result.skipped ? `, ${result.skipped} skipped (counted as failed)` : ''}`);
}
const summary = `${passed} passed, ${failed} failed`;
writeFileSync(join(out, 'summary.txt'), summary + '\n');
console.log(lines.join('\n'));
console.log(summary);
process.exitCode = failed > 0 ? 1 : 0;

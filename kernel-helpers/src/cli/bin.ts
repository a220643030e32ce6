#!/usr/bin/env node
import { addCommand, main } from './main';

// Commands other than run and graph load only when used: a task that runs an
// unchanged module starts without the TypeScript compiler.
addCommand('export', argv => (require('./export-command') as typeof import('./export-command')).exportCommand(argv));
addCommand('airflow', argv => (require('./airflow-command') as typeof import('./airflow-command')).airflowCommand(argv));

main(process.argv.slice(2), {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
}).then(code => {
  process.exitCode = code;
});
